package iamreplay

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	serviceauthorization "github.com/mlops-platform/mlops-platform/third_party/aws-service-authorization"
)

var testEnv = Env{Partition: "aws", Account: "123456789012", Region: "eu-west-1"}

// variants are inputs that take every branch of the rules.
var variants = []input{
	{"name": "c", "clusterName": "c", "nodegroupName": "", "Bucket": "b", "Key": "k", "CopySource": "b/k",
		"DBInstanceIdentifier": "db", "TargetDBInstanceIdentifier": "db-drill-1", "SourceDBInstanceIdentifier": "db",
		"Target": "i-0", "SessionId": "s-1", "CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/x"},
	{"name": "c", "clusterName": "c", "nodegroupName": "ng", "Bucket": "b", "Key": "k", "VersionId": "v", "CopySource": "b/k?versionId=v",
		"DBInstanceIdentifier": "db", "FinalDBSnapshotIdentifier": "snap", "TargetDBInstanceIdentifier": "db-drill-1",
		"DBSubnetGroupName": "sg", "DBParameterGroupName": "pg", "OptionGroupName": "og", "DocumentName": "AWS-StartPortForwardingSession",
		"Tags": []any{map[string]any{"Key": "mlops:dr-drill", "Value": "db-drill-1"}}, "CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/x"},
	{"name": "c", "clusterName": "c", "addonName": "vpc-cni", "CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/x"},
}

// TestRulesFollowTheReference: every action a rule produces is an action
// of the vendored Service Authorization Reference, and every resource type
// it names is one the reference lists for that action ("" for an action
// the reference authorizes on "*" only).
func TestRulesFollowTheReference(t *testing.T) {
	ref, err := serviceauthorization.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := &Replayer{Env: testEnv, UserID: "AROAX:s", BucketKeys: map[string]Key{"b": {ARN: "arn:aws:kms:eu-west-1:123456789012:key/1"}}}
	n := 0
	for _, op := range slices.Sorted(maps.Keys(rules)) {
		for _, in := range variants {
			for _, a := range rules[op].auth(r, in) {
				n++
				if !ref.HasAction(a.Action) {
					t.Errorf("%s: %s is not an action of the reference", op, a.Action)
				} else if !ref.Uses(a.Action, a.ResourceType) {
					t.Errorf("%s: the reference does not list resource type %q for %s", op, a.ResourceType, a.Action)
				}
				if a.ResourceType == "" && a.Resource != "*" || a.ResourceType != "" && !strings.HasPrefix(a.Resource, "arn:aws:") {
					t.Errorf("%s: %s on %q for resource type %q", op, a.Action, a.Resource, a.ResourceType)
				}
			}
		}
	}
	t.Logf("%d operations, %d authorizations checked", len(rules), n)
}

// TestReferenceCheckRefuses: an operation's name where IAM's action
// differs, and a resource type the action does not use, are refused.
func TestReferenceCheckRefuses(t *testing.T) {
	ref, err := serviceauthorization.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"s3:ListObjectVersions", "s3:HeadBucket", "s3:GetBucketEncryption", "ssm:StartSessions"} {
		if ref.HasAction(a) {
			t.Errorf("%s accepted as an IAM action", a)
		}
	}
	if ref.Uses("eks:DescribeCluster", "nodegroup") || ref.Uses("s3:ListAllMyBuckets", "bucket") || !ref.Uses("s3:ListAllMyBuckets", "") {
		t.Error("resource types not checked against the reference")
	}
}

// TestReplay maps recorded calls, skips one answered with an injected
// fault, carries the tags a restore set to the deletion that follows, and
// reports what a policy denies.
func TestReplay(t *testing.T) {
	calls := []awsfake.Call{
		// Answered with an injected fault before the fake read it: skipped.
		{Service: "s3", Op: "GetObject", Injected: "ThrottlingException"},
		{Service: "rds", Op: "RestoreDBInstanceToPointInTime", Input: map[string]any{"SourceDBInstanceIdentifier": "db",
			"TargetDBInstanceIdentifier": "db-drill-1", "Tags": []any{map[string]any{"Key": "mlops:dr-drill", "Value": "db-drill-1"}}}},
		{Service: "rds", Op: "DeleteDBInstance", Input: map[string]any{"DBInstanceIdentifier": "db-drill-1", "SkipFinalSnapshot": "true"}},
		{Service: "s3", Op: "GetObject", Input: map[string]any{"Bucket": "b", "Key": "k", "VersionId": "v"}},
		{Service: "sts", Op: "GetCallerIdentity", Input: map[string]any{}},
	}
	r := &Replayer{Env: testEnv, BucketKeys: map[string]Key{"b": {ARN: "arn:aws:kms:eu-west-1:123456789012:key/1", Aliases: []string{"alias/a"}}}}
	auths, err := r.Replay(calls)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range auths {
		got = append(got, a.Action+" "+a.Resource)
	}
	want := []string{
		"rds:RestoreDBInstanceToPointInTime arn:aws:rds:eu-west-1:123456789012:db:db-drill-1",
		"rds:RestoreDBInstanceToPointInTime arn:aws:rds:eu-west-1:123456789012:db:db",
		"rds:AddTagsToResource arn:aws:rds:eu-west-1:123456789012:db:db-drill-1",
		"rds:DeleteDBInstance arn:aws:rds:eu-west-1:123456789012:db:db-drill-1",
		"s3:GetObjectVersion arn:aws:s3:::b/k",
		"kms:Decrypt arn:aws:kms:eu-west-1:123456789012:key/1",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("authorizations\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if tag := auths[3].Context["aws:ResourceTag/mlops:dr-drill"]; !slices.Equal(tag, []string{"db-drill-1"}) {
		t.Errorf("the deletion does not see the restore's tag: %v", auths[3].Context)
	}
	if v := auths[5].Context["kms:ViaService"]; !slices.Equal(v, []string{"s3.eu-west-1.amazonaws.com"}) || len(auths[5].Context["kms:ResourceAliases"]) != 1 {
		t.Errorf("kms context %v", auths[5].Context)
	}

	del := iampolicy.Allow("", []string{"rds:DeleteDBInstance"}, []string{"*"})
	del.Condition = map[string]map[string]any{"StringLike": {"aws:ResourceTag/mlops:dr-drill": "*-drill-*"}}
	policy := iampolicy.New(iampolicy.Allow("", []string{"rds:RestoreDBInstanceToPointInTime", "rds:AddTagsToResource", "s3:GetObjectVersion"}, []string{"*"}), del)
	denied, err := Denied([]iampolicy.Document{policy}, auths)
	if err != nil {
		t.Fatal(err)
	}
	if len(denied) != 1 || !strings.Contains(denied[0], "kms:Decrypt") {
		t.Errorf("denied %v, want only kms:Decrypt", denied)
	}
	if _, err := r.Replay([]awsfake.Call{{Service: "s3", Op: "PutBucketPolicy"}}); err == nil || !strings.Contains(err.Error(), "no rule for s3:PutBucketPolicy") {
		t.Errorf("an operation without a rule: %v", err)
	}
}

// TestReplayRefusesWhatTheReferenceDoesNot: a rule that names an
// operation as its action, or a resource type the action is not
// authorized on, fails the replay.
func TestReplayRefusesWhatTheReferenceDoesNot(t *testing.T) {
	for op, c := range map[string]struct {
		rule rule
		want string
	}{
		"s3:HeadBucket": {anywhere("s3:HeadBucket"), "s3:HeadBucket is not an action of the Service Authorization Reference"},
		"eks:DescribeCluster": {on("eks:DescribeCluster", "nodegroup", func(r *Replayer, in input) string { return nodegroup(r, "c", "ng") }),
			`does not authorize eks:DescribeCluster on resource type "nodegroup"`},
	} {
		saved := rules[op]
		rules[op] = c.rule
		svc, name, _ := strings.Cut(op, ":")
		_, err := (&Replayer{Env: testEnv}).Replay([]awsfake.Call{{Service: svc, Op: name, Input: map[string]any{"Bucket": "b", "name": "c"}}})
		rules[op] = saved
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", op, err, c.want)
		}
	}
}

// TestEveryDay2OperationHasARule: every operation the deployer policy
// derives its day-2 grants from can be replayed, so a command that starts
// calling one fails on a denial, not on a missing rule.
func TestEveryDay2OperationHasARule(t *testing.T) {
	for _, op := range deployerpolicy.Day2Operations {
		if _, ok := rules[op]; !ok {
			t.Errorf("deployerpolicy.Day2Operations lists %s, which rules.go has no rule for", op)
		}
	}
}
