package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/testing/iamreplay"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// deployerUserID is the deploying session's aws:userid: the deployer
// role's ID and the session name the commands use.
const deployerUserID = "AROAEXAMPLEDEPLOYER:mlops-platform-prod-deploy"

// bucketKeys are the keys the graph's buckets are encrypted with by
// default (the key its encryption configuration names, and that key's
// aliases), for the live buckets names gives by logical name.
func bucketKeys(g *plan.Graph, region string, names map[string]string) map[string]iamreplay.Key {
	out := map[string]iamreplay.Key{}
	for _, b := range g.ByType(typetoken.Bucket) {
		live, ok := names[b.Name]
		if !ok {
			continue
		}
		for _, enc := range g.ByType(typetoken.BucketEncryption) {
			if !slices.Contains(enc.Dependencies, b.URN) {
				continue
			}
			rules, _ := json.Marshal(enc.Inputs["rules"])
			for _, a := range g.Aliases() {
				if a.TargetKeyID != "" && strings.Contains(string(rules), ":key/"+a.TargetKeyID) {
					k := out[live]
					k.ARN = "arn:aws:kms:" + region + ":" + awsfake.Account + ":key/" + a.TargetKeyID
					k.Aliases = append(k.Aliases, a.Name)
					out[live] = k
				}
			}
		}
	}
	return out
}

// day2Step is one command the replay runs.
type day2Step struct {
	name string
	run  func(t *testing.T, srv *awsfake.Server) error
}

// TestDay2CallsAreAllowedByTheDeployerPolicy runs verify, nodes rotate, dr
// drill and upgrade against one local endpoint, replays every call each
// made (internal/testing/iamreplay: the IAM action, the resource's ARN
// and the condition keys AWS authorizes it with) against the prod policy
// `mlops deployer-policy` prints, and fails on any call it denies. Every
// operation must also be one deployerpolicy.Day2Operations lists, as the
// policy's day-2 statements derive from that list.
func TestDay2CallsAreAllowedByTheDeployerPolicy(t *testing.T) {
	denied, sum := replayDay2(t, nil)
	for _, d := range denied {
		t.Error(d)
	}
	t.Logf("replayed %d calls (%d distinct by operation and input: %v) as %d authorizations of %d distinct IAM actions (%d operations)",
		sum.calls, sum.total(), sum.distinct, sum.auths, len(sum.actions), len(sum.ops))
	t.Logf("IAM actions: %v", slices.Sorted(maps.Keys(sum.actions)))
}

// replaySummary counts what a replay covered.
type replaySummary struct {
	calls, auths int
	// distinct are each command's distinct calls (operation and input).
	distinct     map[string]int
	actions, ops map[string]bool
}

func (s replaySummary) total() int {
	n := 0
	for _, v := range s.distinct {
		n += v
	}
	return n
}

// TestDay2ReplayFindsARemovedAction: without rds:DeleteDBInstance in the
// policy, the replay fails naming the drill's deletion.
func TestDay2ReplayFindsARemovedAction(t *testing.T) {
	denied, _ := replayDay2(t, func(s iampolicy.Statement) iampolicy.Statement {
		s.Action = slices.DeleteFunc(slices.Clone(s.Action), func(a string) bool { return a == "rds:DeleteDBInstance" })
		return s
	})
	if len(denied) != 1 || !strings.Contains(denied[0], "dr drill: implicit deny: rds:DeleteDBInstance needs rds:DeleteDBInstance on arn:aws:rds:") {
		t.Errorf("denied %q, want the drill's DeleteDBInstance only", denied)
	}
}

// replayDay2 runs the commands and returns the denied calls (each named
// with its command) and what the replay covered.
func replayDay2(t *testing.T, drop func(iampolicy.Statement) iampolicy.Statement) ([]string, replaySummary) {
	srv := fakeProdDrill(t)
	kubeconfig := rotateCluster(t)
	atVersion(srv, "mlops-platform-prod", "1.35")
	steps := []day2Step{
		{"verify", func(t *testing.T, _ *awsfake.Server) error {
			_, _, err := runAWS(t, "verify", "--stack", "prod")
			return err
		}},
		{"nodes rotate", func(t *testing.T, _ *awsfake.Server) error {
			_, _, err := runAWS(t, "nodes", "rotate", "training", "--stack", "prod", "--kubeconfig", kubeconfig, "--poll", "1ms")
			return err
		}},
		{"dr drill", func(t *testing.T, _ *awsfake.Server) error {
			_, _, err := runDrillCmd(t)
			return err
		}},
		{"upgrade", func(t *testing.T, srv *awsfake.Server) error {
			atVersion(srv, "mlops-platform-prod", "1.34")
			_, _, err := runAWS(t, "upgrade", "--stack", "prod", "--to", "1.35", "--plan-only")
			return err
		}},
	}
	g := stacktest.Graph(t, "prod")
	env := iamreplay.Env{Partition: g.Partition, Account: awsfake.Account, Region: awsfake.Region}
	r := &iamreplay.Replayer{Env: env, UserID: deployerUserID,
		BucketKeys: bucketKeys(g, env.Region, map[string]string{"artifacts": prodArtifacts})}
	docs, err := iamreplay.DeployerDocuments(g, env.Account, deployerUserID, drop)
	if err != nil {
		t.Fatal(err)
	}
	var denied []string
	sum := replaySummary{distinct: map[string]int{}, actions: map[string]bool{}, ops: map[string]bool{}}
	for _, s := range steps {
		before := len(srv.Requests())
		if err := s.run(t, srv); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		calls := srv.Requests()[before:]
		seen := map[string]bool{}
		for _, c := range calls {
			op := c.Service + ":" + c.Op
			if !slices.Contains(deployerpolicy.Day2Operations, op) {
				t.Errorf("%s calls %s, which deployerpolicy.Day2Operations does not list", s.name, op)
			}
			in, _ := json.Marshal(c.Input)
			seen[op+" "+string(in)] = true
			sum.ops[op] = true
		}
		sum.distinct[s.name] = len(seen)
		sum.calls += len(calls)
		auths, err := r.Replay(calls)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		sum.auths += len(auths)
		for _, a := range auths {
			sum.actions[a.Action] = true
		}
		d, err := iamreplay.Denied(docs, auths)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range d {
			denied = append(denied, fmt.Sprintf("%s: %s", s.name, x))
		}
	}
	return denied, sum
}
