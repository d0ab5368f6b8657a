package awsrules_test

import (
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/awsrules"
	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// graphs are the stacks as the repository configures them, and a prod
// variant that declares the optional resources (private API access, SSM
// on the nodes).
func graphs(t *testing.T) map[string]*plan.Graph {
	t.Helper()
	return map[string]*plan.Graph{
		"dev":  stacktest.Graph(t, "dev"),
		"prod": stacktest.Graph(t, "prod"),
		"prod-variant": stacktest.Evaluate(t, "prod",
			"clusterEndpointPrivateAccessCidrs=[10.200.0.0/16]",
			"clusterEndpointPrivateAccessSecurityGroups=["+engine.SecurityGroupID+"]",
			"nodeSsmAccess=true"),
	}
}

// TestGraphsMeetAWSRules runs every resource of each graph through the
// rules of the API members its inputs reach.
func TestGraphsMeetAWSRules(t *testing.T) {
	for name, g := range graphs(t) {
		t.Run(name, func(t *testing.T) {
			vs, err := awsrules.Check(g)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				t.Error(v)
			}
		})
	}
}

// TestCheckFindsBadValuesInGraphs breaks one input per kind of target in a
// copy of prod and expects the check to name it.
func TestCheckFindsBadValuesInGraphs(t *testing.T) {
	cases := []struct {
		typ, name, input string
		bad              any
		wantRule         string
	}{
		{typetoken.SecurityGroup, "database-sg", "description", "the cluster's nodes", "ec2.security-group.description"},
		{typetoken.SecurityGroupIngressRule, "database-from-nodes", "description", "nodes' 5432", "ec2.security-group-rule.description"},
		{typetoken.SecurityGroup, "bastion-sg", "egress", []any{map[string]any{"description": "HTTPS \"out\""}}, "ec2.security-group-rule.description"},
		{typetoken.Role, "irsa-mlflow", "name", strings.Repeat("r", 65), "iam.role.name"},
		{typetoken.Role, "irsa-mlflow", "path", "/mlops", "iam.path"},
		{typetoken.Role, "irsa-mlflow", "namePrefix", strings.Repeat("p", 39), "iam.role.name"},
		{typetoken.DBInstance, "database", "identifier", "mlflow--prod", "rds.instance.identifier"},
		{typetoken.DBInstance, "database", "finalSnapshotIdentifier", "mlflow-final-", "rds.snapshot.identifier"},
		{typetoken.KMSAlias, "keys-data", "name", "alias/aws/data", "kms.alias.name"},
		{typetoken.LogGroup, "logs-cluster", "name", "/aws/eks/mlops prod/cluster", "logs.log-group.name"},
		{typetoken.SNSTopic, "alerting-alerts", "name", "alerts.prod", "sns.topic.name"},
		{typetoken.Bucket, "artifacts", "bucketPrefix", "MLflow-artifacts-", "s3.bucket.name"},
		{typetoken.Vpc, "network-vpc", "tags", map[string]any{"aws:owner": "x"}, "tag.key"},
		{typetoken.ProviderAWS, "", "defaultTags", map[string]any{"tags": map[string]any{"Team": "ml&ops"}}, "iam.tag.value"},
	}
	base := stacktest.Graph(t, "prod")
	for _, c := range cases {
		t.Run(c.wantRule+"/"+c.name+"."+c.input, func(t *testing.T) {
			g := base.Clone()
			found := false
			for i, r := range g.Resources {
				if r.Type == c.typ && (c.name == "" || r.Name == c.name) {
					g.Resources[i].Inputs[c.input] = c.bad
					found = true
				}
			}
			if !found {
				t.Fatalf("prod has no %s %s", c.typ, c.name)
			}
			vs, err := awsrules.Check(g)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				if strings.Contains(v.Err.Error(), c.wantRule+":") {
					return
				}
			}
			t.Errorf("no %s violation; got %v", c.wantRule, vs)
		})
	}
}
