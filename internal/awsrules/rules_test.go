package awsrules

import (
	"strings"
	"testing"
)

// TestEveryRuleRefusesItsBadValue is the mutation test per rule: each
// rule's recorded bad value is refused, so no rule is vacuous.
func TestEveryRuleRefusesItsBadValue(t *testing.T) {
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) < 20 {
		t.Fatalf("want at least 20 rules, got %d", len(rules))
	}
	for id, r := range rules {
		t.Run(id, func(t *testing.T) {
			if r.Bad == "" {
				t.Fatal("rule has no bad value to prove it refuses")
			}
			if r.Source == "" {
				t.Fatal("rule names no source")
			}
			if err := r.Check(r.Bad); err == nil {
				t.Errorf("accepted %q", r.Bad)
			}
		})
	}
}

// TestRules pins values on both sides of each rule's edge.
func TestRules(t *testing.T) {
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		rule, value string
		ok          bool
	}{
		{"ec2.security-group.description", "MLflow PostgreSQL: admits cluster nodes on 5432 only", true},
		{"ec2.security-group.description", "MLflow PostgreSQL: admits the cluster's nodes on 5432 only", false},
		{"ec2.security-group.description", "a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*", true},
		{"ec2.security-group.description", "", false},
		{"ec2.security-group.description", strings.Repeat("d", 255), true},
		{"ec2.security-group.description", strings.Repeat("d", 256), false},
		{"ec2.security-group.description", "caf\u00e9", false},
		{"ec2.security-group-rule.description", "", true},
		{"ec2.security-group-rule.description", "PostgreSQL from EKS nodes", true},
		{"ec2.security-group-rule.description", "nodes \"only\"", false},
		{"ec2.security-group.name", "database-sg-a1b2c3d", true},
		{"tag.key", strings.Repeat("k", 128), true},
		{"tag.key", strings.Repeat("k", 129), false},
		{"tag.key", "AWS:Owner", false},
		{"tag.key", "", false},
		{"tag.value", "", true},
		{"tag.value", strings.Repeat("v", 256), true},
		{"iam.role.name", strings.Repeat("r", 64), true},
		{"iam.role.name", strings.Repeat("r", 65), false},
		{"iam.role.name", "irsa-mlflow+db=1,a.b@c_d", true},
		{"iam.path", "/", true},
		{"iam.path", "/mlops/platform/", true},
		{"iam.path", "/mlops", false},
		{"iam.path", "mlops/", false},
		{"iam.path", "/ml ops/", false},
		{"iam.tag.key", "kubernetes.io/cluster/x", true},
		{"kms.alias.name", "alias/mlops-platform-prod-keys-data", true},
		{"kms.alias.name", "mlops-keys", false},
		{"kms.alias.name", "alias/", false},
		{"logs.log-group.name", "/aws/containerinsights/c/application", true},
		{"logs.log-group.name", strings.Repeat("l", 513), false},
		{"eks.cluster.name", "mlops-platform-prod", true},
		{"rds.instance.identifier", "mlops-platform-prod-mlflow", true},
		{"rds.instance.identifier", strings.Repeat("a", 64), false},
		{"rds.instance.identifier", "mlflow-", false},
		{"rds.instance.identifier", "1mlflow", false},
		{"rds.snapshot.identifier", "mlops-platform-prod-mlflow-final-532cf9f6", true},
		{"rds.subnet-group.name", "database-subnets-a1b2c3d", true},
		{"sns.topic.name", "mlops-platform-prod-alerts", true},
		{"sns.topic.name", "alerts.fifo", true},
		{"s3.bucket.name", "mlops-platform-prod-artifacts-20261207000000000000000001", true},
		{"s3.bucket.name", "ab", false},
		{"s3.bucket.name", "a..b", false},
		{"s3.bucket.name", "192.168.5.4", false},
		{"s3.bucket.name", "xn--bucket", false},
		{"s3.bucket.name", "bucket-", false},
		{"s3.bucket.name", strings.Repeat("b", 64), false},
	}
	for _, c := range cases {
		t.Run(c.rule+"/"+c.value, func(t *testing.T) {
			r, ok := rules[c.rule]
			if !ok {
				t.Fatalf("no rule %s", c.rule)
			}
			err := r.Check(c.value)
			if (err == nil) != c.ok {
				t.Errorf("Check(%q) = %v, want ok=%v", c.value, err, c.ok)
			}
		})
	}
}
