package boundary

import (
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
)

func TestARN(t *testing.T) {
	for _, c := range []struct{ partition, account, cluster, want string }{
		{"aws", "123456789012", "mlops-platform-prod", "arn:aws:iam::123456789012:policy/mlops-platform-prod-permissions-boundary"},
		{"aws-cn", "210987654321", "ml-dev", "arn:aws-cn:iam::210987654321:policy/ml-dev-permissions-boundary"},
	} {
		if got := ARN(c.partition, c.account, c.cluster); got != c.want {
			t.Errorf("ARN(%q, %q, %q) = %s, want %s", c.partition, c.account, c.cluster, got, c.want)
		}
	}
}

func TestDocument(t *testing.T) {
	inline := iampolicy.New(
		iampolicy.Allow("A", []string{"s3:GetObject", "ec2:DescribeTags", "kms:Decrypt", "iam:CreateServiceLinkedRole"}, []string{"arn:aws:s3:::b/*"}),
		iampolicy.Statement{Effect: "Deny", Action: []string{"sqs:DeleteQueue"}, Resource: []string{"*"}},
	)
	d, err := Document([]string{"arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "AmazonEKSClusterPolicy"}, []iampolicy.Document{inline})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Statement) != 2 {
		t.Fatalf("got %d statements, want 2: %+v", len(d.Statement), d)
	}
	wide, exact := strings.Join(d.Statement[0].Action, " "), strings.Join(d.Statement[1].Action, " ")
	for _, c := range []struct {
		name, got, want string
	}{
		{"services of the managed policies", wide, "autoscaling:* ec2:* eks-auth:* eks:* elasticloadbalancing:*"},
		{"exact actions: IAM and KMS, and inline ones of other services", exact, "iam:CreateServiceLinkedRole kms:CreateGrant kms:Decrypt kms:DescribeKey s3:GetObject"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	for _, s := range d.Statement {
		if s.Effect != "Allow" || strings.Join(s.Resource, ",") != "*" || s.Condition != nil {
			t.Errorf("statement %s: want Allow on * without conditions", s.Sid)
		}
	}
}

func TestDocumentRefuses(t *testing.T) {
	ManagedPolicies["TestIAMWide"] = []string{"iam"}
	defer delete(ManagedPolicies, "TestIAMWide")
	for name, managed := range map[string][]string{
		"a managed policy without a row":  {"arn:aws:iam::aws:policy/AdministratorAccess"},
		"a row granting IAM service-wide": {"TestIAMWide"},
	} {
		if _, err := Document(managed, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestManagedRowsGrantNoAdministrationService: no reviewed row grants IAM,
// KMS or STS as a whole service.
func TestManagedRowsGrantNoAdministrationService(t *testing.T) {
	for name, row := range ManagedPolicies {
		for _, s := range row {
			if exactOnly[strings.ToLower(s)] {
				t.Errorf("%s grants %s service-wide", name, s)
			}
		}
	}
}
