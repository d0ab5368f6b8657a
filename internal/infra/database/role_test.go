package database_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/testing/pgtest"
)

// hba lets the superuser and the master user log in over the socket
// without a password, and database.MLflowUser only with one, so that its
// logins prove libpq read the password file.
const hba = "local all " + database.MLflowUser + " scram-sha-256\nlocal all all trust\n"

// token stands for an IAM authentication token, a presigned URL: it holds
// the characters the pgpass format escapes (':' and '\').
const token = `db.example:5432/?Action=connect&DBUser=mlflow&X-Amz-Signature=0a\1b:2c`

// TestMLflowRoleScript runs the setup Job's script against a real
// PostgreSQL prepared as RDS prepares an instance, as the master user
// (not a superuser, as on RDS), twice, then checks what MLflow may do.
func TestMLflowRoleScript(t *testing.T) {
	pg := pgtest.Start(t, hba)
	super := pgtest.Session{User: "postgres", DB: "postgres"}
	master := pgtest.Session{User: database.MasterUsername, DB: database.DatabaseName}
	// What RDS has before the Job: rds_iam, a master user with CREATEROLE
	// and CREATEDB who may grant rds_iam (through rds_superuser), and the
	// database it owns.
	pg.Must(t, super, "CREATE ROLE rds_iam NOLOGIN; CREATE ROLE "+database.MasterUsername+" LOGIN CREATEROLE CREATEDB; GRANT rds_iam TO "+database.MasterUsername+" WITH ADMIN OPTION")
	pg.Must(t, super, "CREATE DATABASE "+database.DatabaseName+" OWNER "+database.MasterUsername)

	for run := 1; run <= 2; run++ {
		pg.Must(t, master, database.MLflowRoleSQL) // idempotent: the second run succeeds too
	}
	// In the test the role logs in with a password standing for its token.
	pg.Must(t, super, "ALTER ROLE "+database.MLflowUser+" PASSWORD '"+token+"'")
	mlflow := pgtest.Session{User: database.MLflowUser, DB: database.DatabaseName, Env: passfileEnv(t, token)}
	checkMLflowRole(t, pg, super, mlflow)

	// A role an operator widened by hand is narrowed again by the next run.
	pg.Must(t, super, "ALTER ROLE "+database.MLflowUser+" CREATEDB CREATEROLE")
	pg.Must(t, master, database.MLflowRoleSQL)
	checkMLflowRole(t, pg, super, mlflow)

	// A token that no longer matches is refused: the password file, not
	// the socket, let MLflow in.
	if _, err := pg.Exec(pgtest.Session{User: database.MLflowUser, DB: database.DatabaseName, Env: passfileEnv(t, "expired")}, "SELECT 1"); err == nil {
		t.Error("a wrong token in the password file was accepted")
	}
}

// checkMLflowRole: MLflow creates and uses its tables in the public schema
// of its database, is a member of rds_iam, and is neither a superuser nor
// able to create roles or databases.
func checkMLflowRole(t *testing.T, pg *pgtest.Server, super, mlflow pgtest.Session) {
	t.Helper()
	attrs := pg.Must(t, super, "SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, pg_has_role('"+database.MLflowUser+"', 'rds_iam', 'MEMBER') FROM pg_roles WHERE rolname = '"+database.MLflowUser+"'")
	if attrs != "f|f|f|t|t" {
		t.Errorf("superuser|createrole|createdb|login|rds_iam member = %s, want f|f|f|t|t", attrs)
	}
	for _, c := range []struct {
		what, sql string
		allowed   bool
	}{
		{"create a table in public and use it", "CREATE TABLE public.probe (id int); INSERT INTO public.probe VALUES (1); SELECT count(*) FROM public.probe; DROP TABLE public.probe", true},
		{"create a role", "CREATE ROLE intruder", false},
		{"create a database", "CREATE DATABASE intruder", false},
		{"grant itself rds_superuser-like powers", "ALTER ROLE " + database.MLflowUser + " CREATEROLE", false},
	} {
		_, err := pg.Exec(mlflow, c.sql)
		if (err == nil) != c.allowed {
			t.Errorf("%s: allowed = %v, want %v (%v)", c.what, err == nil, c.allowed, err)
		}
	}
}

// passfileEnv writes a pgpass file holding tok for every host and returns
// the environment MLflow's container has: the chart's PGPASSWORD, empty
// (from the database user Secret), and PGPASSFILE.
func passfileEnv(t *testing.T, tok string) []string {
	t.Helper()
	esc := strings.NewReplacer(`\`, `\\`, `:`, `\:`)
	path := filepath.Join(t.TempDir(), "pgpass")
	line := "*:*:*:" + esc.Replace(database.MLflowUser) + ":" + esc.Replace(tok) + "\n"
	if err := os.WriteFile(path, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"PGPASSWORD=", "PGPASSFILE=" + path}
}
