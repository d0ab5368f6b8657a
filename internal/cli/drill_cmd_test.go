package cli

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/drill/drilltest"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

const (
	prodDB        = "mlops-platform-prod-mlflow"
	prodArtifacts = "mlops-platform-prod-artifacts-20261129"
)

// fakeProdDrill is fakeProd with what the drill reads: the instance's
// placement and backups, artifact versions, and restores that answer a
// PostgreSQL holding MLflow's tables after two status reads.
func fakeProdDrill(t *testing.T) *awsfake.Server {
	t.Helper()
	srv := fakeProd(t)
	dir, port := drilltest.MLflowDB(t, true)
	drilltest.Prepare(t, srv, prodDB, prodArtifacts, dir, port, 2)
	return srv
}

// runDrillCmd runs mlops dr drill with a clock that advances a minute at
// each reading (deterministic durations) and a millisecond poll.
func runDrillCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var mu sync.Mutex
	tick := testNow
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		tick = tick.Add(time.Minute)
		return tick
	}
	var out, errOut bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Now: now,
		AWS: awsclient.Options{Backoff: &awsfake.Backoffs{}, AttemptTimeout: 2 * time.Second}}
	err := Run(context.Background(), env, append(append([]string{"dr", "drill", "--stack", "prod", "--poll", "1ms"}, args...), "--dir", repoRoot()))
	if strings.Contains(out.String()+errOut.String(), testSecretKey) {
		t.Errorf("the secret access key is in the output")
	}
	return out.String(), errOut.String(), err
}

// TestDrillGolden pins dr drill's table and JSON against the local
// endpoint: a drill that succeeds, a restore that never becomes
// available (deleted anyway), and a deletion that fails.
func TestDrillGolden(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		setup func(srv *awsfake.Server)
		code  int
	}{
		{"dr-drill-prod-table", nil, nil, ExitOK},
		{"dr-drill-prod-json", []string{"-o", "json"}, nil, ExitOK},
		{"dr-drill-prod-never-available-table", []string{"--timeout", "300ms"}, func(srv *awsfake.Server) {
			srv.SetRestore(awsfake.Restore{Polls: -1})
		}, ExitDrillFailed},
		{"dr-drill-prod-delete-fails-table", nil, func(srv *awsfake.Server) {
			srv.Fail("RestoreDBInstanceToPointInTime", awsfake.Throttling, 2)
			srv.Fail("DeleteDBInstance", awsfake.ServiceUnavailable, awsclient.MaxAttempts)
		}, ExitDrillFailed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeProdDrill(t)
			if tc.setup != nil {
				tc.setup(srv)
			}
			out, errOut, err := runDrillCmd(t, tc.args...)
			if code := ExitCode(err); code != tc.code {
				t.Fatalf("exit code %d (%v), want %d\n%s", code, err, tc.code, errOut)
			}
			golden(t, tc.name, out)
			if srv.DBInstance(prodDB) == nil || srv.Calls("DeleteDBInstance") == 0 {
				t.Errorf("production instance %+v, %d deletions", srv.DBInstance(prodDB), srv.Calls("DeleteDBInstance"))
			}
		})
	}
}

// TestDrillRefusesWhatCannotSucceed: a stack without automated backups is
// refused before any AWS call, naming the key.
func TestDrillRefusesWhatCannotSucceed(t *testing.T) {
	srv := fakeProd(t)
	before := len(srv.Requests())
	_, _, err := runDrillCmd(t, "--set", "database.backupRetentionDays=0")
	if ExitCode(err) != ExitInvalidConfig || !strings.Contains(err.Error(), "database.backupRetentionDays is 0") {
		t.Fatalf("%v (exit %d), want exit %d naming the key", err, ExitCode(err), ExitInvalidConfig)
	}
	for _, c := range srv.Requests()[before:] {
		if c.Service != "sts" {
			t.Errorf("%s called before the refusal", c.Op)
		}
	}
}

// TestDrillForwardsThroughTheBastion: with --bastion-instance-id the
// connect goes through a Session Manager forward from the bastion to the
// restored instance; without session-manager-plugin that forward step
// fails, naming the plugin, and the restored instance is deleted anyway.
func TestDrillForwardsThroughTheBastion(t *testing.T) {
	srv := fakeProdDrill(t)
	t.Setenv("PATH", t.TempDir())
	out, _, err := runDrillCmd(t, "--bastion-instance-id", "i-0bastion")
	if code := ExitCode(err); code != ExitDrillFailed {
		t.Fatalf("exit %d (%v), want %d\n%s", code, err, ExitDrillFailed, out)
	}
	if !strings.Contains(out, "FAILED") || !strings.Contains(out, "forward") || !strings.Contains(out, "session-manager-plugin is not on PATH") {
		t.Errorf("no failed forward step naming the plugin:\n%s", out)
	}
	if n := srv.Calls("DeleteDBInstance"); n == 0 {
		t.Error("the restored instance was not deleted after the forward failed")
	}
}
