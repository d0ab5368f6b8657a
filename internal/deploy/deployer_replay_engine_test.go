package deploy_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/awsaccount"
	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/iamreplay"
)

// envCallLog is the fake provider's call log (tools/fake-aws-provider,
// calllog.go).
const envCallLog = "MLOPS_FAKE_AWS_CALL_LOG"

// replayUserID is the deploying session's aws:userid.
const replayUserID = "AROAEXAMPLEDEPLOYER:mlops-platform-deploy"

// teardownSets are what an operator sets to tear prod down: nothing
// protected, the database's deletion protection off.
var teardownSets = []string{"protectStatefulResources=false", "database.deletionProtection=false"}

// replayCommand is one command of a replay: the sets its stack is
// resolved with and what it runs.
type replayCommand struct {
	name string
	sets []string
	run  func(ctx context.Context, d *deploy.Deployer) error
}

func upCommand(name string, sets ...string) replayCommand {
	return replayCommand{name, sets, func(ctx context.Context, d *deploy.Deployer) error {
		_, err := d.Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
		return err
	}}
}

func destroyCommand(sets ...string) replayCommand {
	return replayCommand{"destroy", sets, func(ctx context.Context, d *deploy.Deployer) error {
		return d.Destroy(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	}}
}

// replayStacks are the stacks the replay deploys and tears down: dev's
// AWS layer, and prod's, whose teardown first turns its protections off
// with an up (the engine and RDS refuse to delete protected resources).
var replayStacks = map[string][]replayCommand{
	"dev": {upCommand("up"), destroyCommand()},
	"prod": {upCommand("up", certificate), upCommand("teardown up", append([]string{certificate}, teardownSets...)...),
		destroyCommand(append([]string{certificate}, teardownSets...)...)},
}

// TestRealEngineUpAndDestroyAreAllowedByTheDeployerPolicy deploys and
// destroys dev's and prod's AWS layers through the real engine, with the
// fake provider logging every operation it carries out, and replays each
// (internal/testing/iamreplay: the IAM actions the provider calls for the
// type and step, on the resource's ARN, with the condition keys AWS sets,
// and the iam:PassRole and KMS authorizations of the services that
// receive a role or use a key) against the policy `mlops deployer-policy`
// prints for the stack as the command resolved it. It fails on any
// authorization the policy denies.
func TestRealEngineUpAndDestroyAreAllowedByTheDeployerPolicy(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			denied := replayDeploy(t, env, replayStacks[env], nil)
			for _, d := range denied {
				t.Error(d)
			}
		})
	}
}

// replayDeploy runs the commands on env's AWS layer and returns the
// authorizations the deployer policy (each statement rewritten by edit
// first, when set) denies, each named with its command.
func replayDeploy(t *testing.T, env string, cmds []replayCommand, edit func(iampolicy.Statement) iampolicy.Statement) []string {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	h := newHarness(t, env, cmds[0].sets...)
	var denied []string
	var r *iamreplay.Replayer
	for i, c := range cmds {
		h.resolve(c.sets...)
		log := filepath.Join(h.dir, fmt.Sprintf("calls-%d.jsonl", i))
		if err := c.run(ctx, h.deployer(map[string]string{envCallLog: log})); err != nil {
			t.Fatalf("%s %s: %v", env, c.name, err)
		}
		ops, err := iamreplay.ReadProviderLog(log)
		if err != nil {
			t.Fatal(err)
		}
		g := stacktest.Evaluate(t, env, c.sets...)
		if r == nil {
			r = &iamreplay.Replayer{Env: iamreplay.Env{Partition: g.Partition, Account: awsaccount.AccountID}, UserID: replayUserID}
		}
		auths, err := r.ReplayProvider(ops)
		if err != nil {
			t.Fatalf("%s %s: %v", env, c.name, err)
		}
		docs, err := iamreplay.DeployerDocuments(g, awsaccount.AccountID, replayUserID, edit)
		if err != nil {
			t.Fatal(err)
		}
		d, err := iamreplay.Denied(docs, auths)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range d {
			denied = append(denied, fmt.Sprintf("%s %s: %s", env, c.name, x))
		}
		t.Logf("%s %s: %d provider operations replayed as %d authorizations of %d IAM actions (%s); %d denied",
			env, c.name, len(ops), len(auths), distinctActions(auths), stepCounts(ops, auths), len(d))
	}
	return denied
}

// stepCounts counts operations and their authorizations by step.
func stepCounts(ops []iamreplay.ProviderOp, auths []iamreplay.Authorization) string {
	n, a := map[string]int{}, map[string]int{}
	for _, op := range ops {
		n[op.Step]++
	}
	for _, x := range auths {
		step, _, _ := strings.Cut(x.Op, " ")
		a[step]++
	}
	var parts []string
	for _, s := range slices.Sorted(maps.Keys(n)) {
		parts = append(parts, fmt.Sprintf("%s: %d operations, %d authorizations", s, n[s], a[s]))
	}
	return strings.Join(parts, "; ")
}

func distinctActions(auths []iamreplay.Authorization) int {
	seen := map[string]bool{}
	for _, a := range auths {
		seen[a.Action] = true
	}
	return len(seen)
}
