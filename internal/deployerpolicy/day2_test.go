package deployerpolicy

import (
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// allowed maps each action the policy allows to its statements.
func allowed(r *Result) map[string][]iampolicy.Statement {
	m := map[string][]iampolicy.Statement{}
	for _, p := range r.Policies {
		for _, s := range p.Document.Statement {
			for _, a := range s.Action {
				m[a] = append(m[a], s)
			}
		}
	}
	return m
}

// TestDay2OperationsAreAllowed: every action of every operation the
// day-2 commands call is in each stack's policy, the documents still fit
// IAM's limit, and the drill's changes are scoped to its own resources.
func TestDay2OperationsAreAllowed(t *testing.T) {
	for stack, g := range stackGraphs(t) {
		r, err := Build(g, ManagedPolicyLimit)
		if err != nil {
			t.Fatal(err)
		}
		m := allowed(r)
		bastion := len(g.ByType(typetoken.EC2Instance)) > 0
		for _, op := range Day2Operations {
			if strings.HasPrefix(op, "ssm:") && !bastion {
				continue // --tunnel needs the bastion
			}
			for _, a := range OperationActions(op) {
				if len(m[a]) == 0 {
					t.Errorf("%s: %s needs %s, which the policy does not allow", stack, op, a)
				}
			}
		}
		for _, s := range m["rds:RestoreDBInstanceToPointInTime"] {
			if slices.Contains(s.Resource, "*") || !slices.ContainsFunc(s.Resource, func(r string) bool { return strings.HasSuffix(r, "-mlflow-drill-*") }) {
				t.Errorf("%s: restore allowed on %v", stack, s.Resource)
			}
		}
		for _, a := range []string{"s3:PutObject", "s3:DeleteObjectVersion"} {
			for _, s := range m[a] {
				if s.Sid == "EmptyForceDestroyedBuckets" {
					continue // destroy's emptying of a forceDestroy bucket
				}
				if len(s.Resource) != 1 || !strings.HasSuffix(s.Resource[0], "-artifacts-*/dr-drill/*") {
					t.Errorf("%s: %s allowed on %v, want the artifact bucket's dr-drill/ only", stack, a, s.Resource)
				}
			}
		}
		var drillDelete bool
		for _, s := range m["rds:DeleteDBInstance"] {
			if s.Sid == "DrillDelete" && s.Condition["StringLike"]["aws:ResourceTag/mlops:dr-drill"] != nil {
				drillDelete = true
			}
		}
		if !drillDelete || len(m["rds-db:connect"]) != 1 {
			t.Errorf("%s: no tag-conditioned drill deletion or no rds-db:connect", stack)
		}
		t.Logf("%s: %d policies, sizes %v", stack, len(r.Policies), sizes(r))
	}
}

// TestOperationActionsFollowTheReference pins the operations whose IAM
// action is not named like them.
func TestOperationActionsFollowTheReference(t *testing.T) {
	for op, want := range map[string]string{
		"s3:ListObjectVersions": "s3:ListBucketVersions", "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
		"s3:GetBucketEncryption": "s3:GetEncryptionConfiguration", "s3:ListBuckets": "s3:ListAllMyBuckets",
		"s3:HeadBucket": "s3:ListBucket", "s3:DeleteObject": "s3:DeleteObjectVersion", "eks:DescribeUpdate": "eks:DescribeUpdate",
	} {
		if got := OperationActions(op); !slices.Contains(got, want) {
			t.Errorf("%s: %v, want %s", op, got, want)
		}
	}
}
