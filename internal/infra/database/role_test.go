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

// TestMLflowRoleScriptTakesOverEarlierTables: a database of the earlier
// release, where MLflow ran as the master user, has MLflow's tables, their
// sequences, a view and an enum type owned by the master user. After the
// script, mlflow owns them, can read and migrate them, the master user is
// not left a member of mlflow (nor, through it, of rds_iam), objects of
// other owners stay theirs, and a second run changes nothing.
func TestMLflowRoleScriptTakesOverEarlierTables(t *testing.T) {
	pg := pgtest.Start(t, hba)
	super := pgtest.Session{User: "postgres", DB: "postgres"}
	master := pgtest.Session{User: database.MasterUsername, DB: database.DatabaseName}
	pg.Must(t, super, "CREATE ROLE rds_iam NOLOGIN; CREATE ROLE "+database.MasterUsername+" LOGIN CREATEROLE CREATEDB; GRANT rds_iam TO "+database.MasterUsername+" WITH ADMIN OPTION")
	pg.Must(t, super, "CREATE DATABASE "+database.DatabaseName+" OWNER "+database.MasterUsername)
	// What MLflow's migrations left, run as the master user.
	pg.Must(t, master, `CREATE TYPE public.source_types AS ENUM ('NOTEBOOK', 'JOB');
CREATE TABLE public.experiments (experiment_id serial PRIMARY KEY, name text);
CREATE TABLE public.runs (run_uuid text PRIMARY KEY, source_type public.source_types, n int GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY);
CREATE SEQUENCE public.standalone_seq;
CREATE VIEW public.latest AS SELECT run_uuid FROM public.runs;
INSERT INTO public.experiments (name) VALUES ('Default')`)
	superDB := pgtest.Session{User: "postgres", DB: database.DatabaseName}
	pg.Must(t, superDB, "CREATE TABLE public.foreign_owned (id int)")

	for run := 1; run <= 2; run++ {
		pg.Must(t, master, database.MLflowRoleSQL)
	}
	owners := pg.Must(t, superDB, `SELECT string_agg(o, ',' ORDER BY o) FROM (
  SELECT relname || '=' || pg_get_userbyid(relowner) AS o FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v', 'S')
  UNION ALL SELECT typname || '=' || pg_get_userbyid(typowner) FROM pg_type WHERE typnamespace = 'public'::regnamespace AND typtype = 'e') x`)
	want := "alembic_version=mlflow,experiments=mlflow,experiments_experiment_id_seq=mlflow,foreign_owned=postgres,latest=mlflow,runs=mlflow,runs_n_seq=mlflow,source_types=mlflow,standalone_seq=mlflow"
	if owners != want {
		t.Errorf("owners after the script:\n got %s\nwant %s", owners, want)
	}
	if m := pg.Must(t, super, "SELECT pg_has_role('"+database.MasterUsername+"', '"+database.MLflowUser+"', 'MEMBER')"); m != "f" {
		t.Errorf("the master user is left a member of mlflow: %s", m)
	}
	pg.Must(t, super, "ALTER ROLE "+database.MLflowUser+" PASSWORD '"+token+"'")
	mlflow := pgtest.Session{User: database.MLflowUser, DB: database.DatabaseName, Env: passfileEnv(t, token)}
	for _, sql := range []string{
		"SELECT count(*) FROM public.experiments",
		"INSERT INTO public.experiments (name) VALUES ('next')",
		"ALTER TABLE public.runs ADD COLUMN lifecycle_stage text",
		"ALTER TYPE public.source_types ADD VALUE 'PROJECT'",
		"UPDATE public.alembic_version SET version_num = 'x'",
	} {
		if _, err := pg.Exec(mlflow, sql); err != nil {
			t.Errorf("mlflow: %s: %v", sql, err)
		}
	}
}
