package platform

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/testing/pgtest"
)

// findBoto3 returns a python3 that imports boto3, as the MLflow image
// does. Without one the test skips, except in CI (CI=true), where .ci/run
// installs Debian's python3-boto3 and its absence is a failure.
func findBoto3(t *testing.T) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(python, "-c", "import boto3").Run()
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 with boto3 not found (.ci/run installs python3-boto3): %v", err)
		}
		t.Skipf("python3 with boto3 not found: %v", err)
	}
	return python
}

// pgpassFields returns the five fields of a one-line pgpass file,
// unescaped as libpq reads it (a backslash escapes ':' and '\').
func pgpassFields(line string) (fields []string) {
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
		case c == ':' && len(fields) < 4:
			fields = append(fields, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(fields, strings.TrimRight(cur.String(), "\n"))
}

// waitToken waits until the sidecar's pgpass file holds a token other than
// prev, copies the file with its mode to a snapshot (the sidecar keeps
// rewriting it) and returns the token and the snapshot's path.
func waitToken(t *testing.T, dir, prev string) (string, string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		raw, err := os.ReadFile(filepath.Join(dir, "pgpass"))
		st, statErr := os.Stat(filepath.Join(dir, "pgpass"))
		if err == nil && statErr == nil {
			f := pgpassFields(string(raw))
			if len(f) == 5 && f[4] != prev {
				if f[0] != "*" || f[3] != database.MLflowUser {
					t.Fatalf("pgpass line %q: want *:*:*:%s:<token>", raw, database.MLflowUser)
				}
				// Same mode: libpq ignores a file others may read.
				snap := filepath.Join(t.TempDir(), "pgpass")
				if err := os.WriteFile(snap, raw, st.Mode().Perm()); err != nil {
					t.Fatal(err)
				}
				return f[4], snap
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the sidecar wrote no new token in 30s")
	return "", ""
}

// TestTokenSidecarScript runs the sidecar's own script with Python and
// boto3 (signing a token is local: static test credentials, no network;
// a stub stands for the CA bundle download) and hands the pgpass file it
// writes to libpq against a real PostgreSQL, where the role's password is
// set to the signed token: libpq must parse the escaped token and log in
// with an empty PGPASSWORD, as MLflow's container has it. The script then
// replaces the file with a newer token.
func TestTokenSidecarScript(t *testing.T) {
	python := findBoto3(t)
	pg := pgtest.Start(t, "local all "+database.MLflowUser+" scram-sha-256\nlocal all all trust\n")
	super := pgtest.Session{User: "postgres", DB: "postgres"}
	pg.Must(t, super, "CREATE ROLE "+database.MLflowUser+" LOGIN")

	dir := t.TempDir()
	stub := "import urllib.request\nurllib.request.urlretrieve = lambda url, path: open(path, 'w').write(url)\n"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", stub+refreshToken)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_REGION=eu-west-1",
		"CREDENTIALS_DIR="+dir, "REFRESH_SECONDS=1", "PGHOST=mlflow.abcdefghijkl.eu-west-1.rds.amazonaws.com", "PGPORT=5432", "PGUSER="+database.MLflowUser)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("sidecar stderr:\n%s", stderr.String())
		}
	}()

	first, snap := waitToken(t, dir, "")
	if !strings.HasPrefix(first, "mlflow.abcdefghijkl.eu-west-1.rds.amazonaws.com:5432/?") || !strings.Contains(first, "DBUser="+database.MLflowUser) {
		t.Errorf("token %q is not an RDS IAM token for %s", first, database.MLflowUser)
	}
	if ca, err := os.ReadFile(filepath.Join(dir, "rds-ca.pem")); err != nil || !strings.Contains(string(ca), "/eu-west-1/eu-west-1-bundle.pem") {
		t.Errorf("the region's CA bundle was not fetched: %q %v", ca, err)
	}
	pg.Must(t, super, "ALTER ROLE "+database.MLflowUser+" PASSWORD '"+first+"'")
	login := func(passfile string) error {
		_, err := pg.Exec(pgtest.Session{User: database.MLflowUser, DB: "postgres", Env: []string{"PGPASSWORD=", "PGPASSFILE=" + passfile}}, "SELECT 1")
		return err
	}
	if err := login(snap); err != nil {
		t.Fatalf("libpq did not log in with the sidecar's pgpass file: %v", err)
	}
	second, snap2 := waitToken(t, dir, first)
	pg.Must(t, super, "ALTER ROLE "+database.MLflowUser+" PASSWORD '"+second+"'")
	if err := login(snap2); err != nil {
		t.Errorf("libpq did not log in with the refreshed file: %v", err)
	}
	if err := login(snap); err == nil {
		t.Error("the first token still logs in after the password changed: the test proves nothing")
	}
}
