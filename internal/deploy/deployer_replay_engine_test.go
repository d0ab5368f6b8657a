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
	"github.com/mlops-platform/mlops-platform/internal/plan"
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

func refreshCommand() replayCommand {
	return replayCommand{"refresh", nil, func(ctx context.Context, d *deploy.Deployer) error {
		return d.Refresh(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	}}
}

// changeSets change dev in place: the log groups' retention and the
// artifact bucket's lifecycle rule.
var changeSets = []string{"logRetentionDays=60", "artifacts.noncurrentVersionExpirationDays=45"}

// replayStacks are the stacks the replay deploys and tears down: dev's
// AWS layer, refreshed (every resource read back) and changed in place in
// between, and prod's, whose teardown first turns its protections off
// with an up (the engine and RDS refuse to delete protected resources).
var replayStacks = map[string][]replayCommand{
	"dev": {upCommand("up"), refreshCommand(), upCommand("change up", changeSets...), destroyCommand(changeSets...)},
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
			runs := replayDeploy(t, env, replayStacks[env])
			for _, d := range denials(t, runs, nil) {
				t.Error(d)
			}
		})
	}
}

// replayed is what one command of a replay made the provider do, as
// authorizations, and the graph its stack evaluated to.
type replayed struct {
	name  string
	g     *plan.Graph
	auths []iamreplay.Authorization
}

// replayDeploy runs the commands on env's AWS layer with the provider's
// call log on, and replays each command's log.
func replayDeploy(t *testing.T, env string, cmds []replayCommand) []replayed {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	h := newHarness(t, env, cmds[0].sets...)
	var out []replayed
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
		if len(ops) == 0 {
			t.Fatalf("%s %s: the provider logged no operation", env, c.name)
		}
		g := stacktest.Evaluate(t, env, c.sets...)
		if r == nil {
			r = &iamreplay.Replayer{Env: iamreplay.Env{Partition: g.Partition, Account: awsaccount.AccountID}, UserID: replayUserID}
		}
		auths, err := r.ReplayProvider(ops)
		if err != nil {
			t.Fatalf("%s %s: %v", env, c.name, err)
		}
		t.Logf("%s %s: %d provider operations replayed as %d authorizations of %d IAM actions (%s)",
			env, c.name, len(ops), len(auths), distinctActions(auths), stepCounts(ops, auths))
		out = append(out, replayed{env + " " + c.name, g, auths})
	}
	return out
}

// denials are the authorizations of runs the deployer policy of each
// command's stack (each statement rewritten by edit first, when set)
// denies, each named with its command.
func denials(t *testing.T, runs []replayed, edit func(iampolicy.Statement) iampolicy.Statement) []string {
	t.Helper()
	var out []string
	for _, run := range runs {
		docs, err := iamreplay.DeployerDocuments(run.g, awsaccount.AccountID, replayUserID, edit)
		if err != nil {
			t.Fatal(err)
		}
		d, err := iamreplay.Denied(docs, run.auths)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range d {
			out = append(out, run.name+": "+x)
		}
	}
	return out
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

// TestRealEngineReplayFindsANarrowedStatement: with one statement of
// dev's deployer policy removed or narrowed, the replay of dev's up and
// destroy fails, naming the operation the statement allowed.
func TestRealEngineReplayFindsANarrowedStatement(t *testing.T) {
	runs := replayDeploy(t, "dev", replayStacks["dev"])
	tests := []struct {
		name, sid string
		edit      func(s *iampolicy.Statement)
		want      string
	}{
		{"an EC2 action removed", "Ec2", func(s *iampolicy.Statement) {
			s.Action = slices.DeleteFunc(s.Action, func(a string) bool { return a == "ec2:CreateVpc" })
		}, "dev up: implicit deny: create aws:ec2/vpc:Vpc network-vpc needs ec2:CreateVpc"},
		{"roles passed to EKS only", "PassPlatformRoles", func(s *iampolicy.Statement) {
			s.Condition["StringEquals"]["iam:PassedToService"] = []string{"eks.amazonaws.com"}
		}, "dev up: implicit deny: create aws:ec2/flowLog:FlowLog network-flow-log needs iam:PassRole on arn:aws:iam::123456789012:role/logs-flow-logs-"},
		{"roles bounded by another boundary", "ManagePlatformRoles", func(s *iampolicy.Statement) {
			s.Condition["StringEquals"]["iam:PermissionsBoundary"] = "arn:aws:iam::${aws:PrincipalAccount}:policy/other"
		}, "dev destroy: implicit deny: delete aws:iam/role:Role cluster-role needs iam:DeleteRole"},
		{"grants on another key", "GrantKeysToServices", func(s *iampolicy.Statement) {
			s.Resource = []string{"arn:aws:kms:eu-west-1:${aws:PrincipalAccount}:key/other"}
		}, "dev up: implicit deny: create aws:eks/cluster:Cluster cluster needs kms:CreateGrant"},
		{"key deletion needs a tag the keys lack", "DeletePlatformKeys", func(s *iampolicy.Statement) {
			s.Condition["StringEquals"]["aws:ResourceTag/Owner"] = "someone-else"
		}, "dev destroy: implicit deny: delete aws:kms/key:Key keys-data needs kms:ScheduleKeyDeletion"},
		{"bucket writes on another bucket", "ManagePlatformBuckets", func(s *iampolicy.Statement) {
			s.Resource = []string{"arn:aws:s3:::other"}
		}, "dev up: implicit deny: create aws:s3/bucketV2:BucketV2 artifacts needs s3:CreateBucket"},
		{"rules target another queue", "TargetInterruptionQueue", func(s *iampolicy.Statement) {
			s.Condition["ForAllValues:ArnEquals"]["events:TargetArn"] = []string{"arn:aws:sqs:eu-west-1:${aws:PrincipalAccount}:other"}
		}, "dev up: implicit deny: create aws:cloudwatch/eventTarget:EventTarget karpenter-spot needs events:PutTargets"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := false
			denied := denials(t, runs, func(s iampolicy.Statement) iampolicy.Statement {
				if strings.TrimRight(s.Sid, "AB") == tt.sid {
					tt.edit(&s)
					edited = true
				}
				return s
			})
			if !edited {
				t.Fatalf("dev's policy has no statement %s", tt.sid)
			}
			if !slices.ContainsFunc(denied, func(d string) bool { return strings.HasPrefix(d, tt.want) }) {
				t.Errorf("denied %d authorizations, none %q:\n%s", len(denied), tt.want, strings.Join(denied, "\n"))
			}
			t.Logf("%d authorizations denied, among them %s…", len(denied), tt.want)
		})
	}
}
