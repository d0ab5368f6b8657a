// Package pgtest starts a throwaway PostgreSQL for tests: initdb and pg_ctl
// into a temporary directory, listening only on a Unix socket there, and
// psql as the client. Without PostgreSQL a test skips, except in CI
// (CI=true), where .ci/run installs Debian's postgresql and its absence is
// a failure.
package pgtest

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Server is a throwaway PostgreSQL cluster listening only on a Unix
// socket in its own directory.
type Server struct {
	dir, port string
	// bin holds initdb and pg_ctl; psql is the client.
	bin, psql string
	// runAs prefixes the server's commands (runuser as root).
	runAs []string
}

// findPostgres returns the directory holding initdb and pg_ctl, and psql.
// Without them the test skips, except in CI (CI=true), where .ci/run
// installs Debian's postgresql and their absence is a failure.
func findPostgres(t *testing.T) (bin, psql string) {
	t.Helper()
	var candidates []string
	if p, err := exec.LookPath("initdb"); err == nil {
		candidates = append(candidates, filepath.Dir(p))
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	for i := len(matches) - 1; i >= 0; i-- { // newest major first
		candidates = append(candidates, matches[i])
	}
	psql, psqlErr := exec.LookPath("psql")
	for _, dir := range candidates {
		if _, err := os.Stat(filepath.Join(dir, "pg_ctl")); err == nil && psqlErr == nil {
			return dir, psql
		}
	}
	testtools.Unavailable(t, "PostgreSQL (initdb, pg_ctl, psql)", errors.New("not found; .ci/run installs Debian's postgresql"))
	return "", ""
}

// Start initialises and starts a cluster whose superuser is
// "postgres", with hba as its pg_hba.conf, and stops it when the test
// ends. initdb refuses to run as root, so as root the server runs as the
// postgres system user.
func Start(t *testing.T, hba string) *Server {
	t.Helper()
	bin, psql := findPostgres(t)
	dir, err := os.MkdirTemp("", "mlops-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// The port only names the socket file in dir; distinct per process anyway.
	s := &Server{dir: dir, port: strconv.Itoa(20000 + os.Getpid()%20000), bin: bin, psql: psql}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root needs the postgres system user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		s.runAs = []string{"runuser", "-u", "postgres", "--"}
	}
	data := filepath.Join(dir, "data")
	s.server(t, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o644); err != nil {
		t.Fatal(err)
	}
	s.server(t, filepath.Join(bin, "pg_ctl"), "-D", data, "-w", "-l", filepath.Join(dir, "server.log"),
		"-o", fmt.Sprintf("-k %s -p %s -c listen_addresses=''", dir, s.port), "start")
	t.Cleanup(func() {
		if out, err := s.command(filepath.Join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop").CombinedOutput(); err != nil {
			t.Logf("stopping PostgreSQL: %v\n%s", err, out)
		}
	})
	return s
}

// Socket returns the directory of the server's Unix socket and its port:
// a client's host and port (libpq and pgx take a directory as the host).
func (s *Server) Socket() (dir string, port int) {
	p, _ := strconv.Atoi(s.port)
	return s.dir, p
}

// command builds a server-side command, run as the postgres user as root.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	if len(s.runAs) == 0 {
		return exec.Command(name, args...)
	}
	full := append(append(append([]string{}, s.runAs[1:]...), name), args...)
	return exec.Command(s.runAs[0], full...)
}

// server runs a server-side command (as the postgres user when root).
func (s *Server) server(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := s.command(name, args...).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
		t.Fatalf("%s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, out, log)
	}
}

// Session is how psql connects: as user to database, with extra
// environment (PGPASSWORD, PGPASSFILE).
type Session struct {
	// User and DB name the role and database; Env is extra environment.

	User, DB string
	Env      []string
}

// Exec runs sql in one call (psql -c sends it as one query string, as
// psycopg2's cursor.execute does in the setup Job) and returns psql's
// unaligned output, or its error and stderr.
func (s *Server) Exec(sess Session, sql string) (string, error) {
	cmd := exec.Command(s.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
		"-h", s.dir, "-p", s.port, "-U", sess.User, "-d", sess.DB, "-c", sql)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	cmd.Env = append(cmd.Env, sess.Env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// Must runs sql and fails the test on an error.
func (s *Server) Must(t *testing.T, sess Session, sql string) string {
	t.Helper()
	out, err := s.Exec(sess, sql)
	if err != nil {
		t.Fatalf("as %s on %s: %s: %v", sess.User, sess.DB, firstLine(sql), err)
	}
	return out
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
