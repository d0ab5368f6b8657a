package infra_test

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// rolePolicy merges the inline policies attached to role into one
// document; a managed policy attached to it fails the test, since its
// grants are not in the graph.
func rolePolicy(t *testing.T, g *plan.Graph, role string) iampolicy.Document {
	t.Helper()
	for _, a := range g.ByType(typetoken.RolePolicyAttachment) {
		if a.Inputs["role"] == role {
			t.Errorf("%s has managed policy %v: its grants cannot be checked here", role, a.Inputs["policyArn"])
		}
	}
	var merged iampolicy.Document
	for _, p := range g.ByType(tRolePol) {
		if p.Inputs["role"] != role {
			continue
		}
		raw, _ := p.Inputs["policy"].(string)
		doc, err := iampolicy.Parse([]byte(raw))
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		merged.Statement = append(merged.Statement, doc.Statement...)
	}
	if len(merged.Statement) == 0 {
		t.Errorf("no inline policy on %s", role)
	}
	return merged
}

// TestMLflowDatabaseAccess: MLflow's IRSA role may connect to
// this instance as its own database user with IAM tokens, and to nothing
// else; it cannot read the master secret, which only the setup Job's role
// reads. The rds-db:connect resource is
// arn:${Partition}:rds-db:${Region}:${Account}:dbuser:${DbiResourceId}/${DbUserName}
// (AWS Service Authorization Reference, Amazon RDS IAM Authentication).
func TestMLflowDatabaseAccess(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			g := stacktest.Graph(t, stack)
			dbs := g.ByType(typetoken.DBInstance)
			if len(dbs) != 1 {
				t.Fatalf("%d RDS instances", len(dbs))
			}
			region, _ := g.ByType(typetoken.ProviderAWS)[0].Inputs["region"].(string)
			connect := func(resourceID, user string) string {
				return database.ConnectArn("aws", region, engine.AccountID, resourceID, user)
			}
			rid := engine.DBIResourceID(dbs[0].ID)
			own := connect(rid, database.MLflowUser)
			mlflow, setup := rolePolicy(t, g, "irsa-mlflow"), rolePolicy(t, g, "irsa-mlflow-db-setup")
			secret := engine.DBSecretArn(region, dbs[0].ID)
			for _, c := range []struct {
				who              string
				doc              iampolicy.Document
				action, resource string
				want             iampolicy.Decision
			}{
				{"mlflow", mlflow, "rds-db:connect", own, iampolicy.Allowed},
				{"mlflow", mlflow, "rds-db:connect", connect(rid, database.MasterUsername), iampolicy.ImplicitDeny},
				{"mlflow", mlflow, "rds-db:connect", connect("db-ANOTHERINSTANCE0123456789", database.MLflowUser), iampolicy.ImplicitDeny},
				{"mlflow", mlflow, "rds-db:connect", connect(dbs[0].Inputs["identifier"].(string), database.MLflowUser), iampolicy.ImplicitDeny},
				{"mlflow", mlflow, "secretsmanager:GetSecretValue", secret, iampolicy.ImplicitDeny},
				{"setup", setup, "secretsmanager:GetSecretValue", secret, iampolicy.Allowed},
				{"setup", setup, "rds-db:connect", own, iampolicy.ImplicitDeny},
			} {
				got, err := c.doc.Evaluate(iampolicy.Request{Action: c.action, Resource: c.resource})
				if err != nil {
					t.Fatal(err)
				}
				if got != c.want {
					t.Errorf("%s: %s on %s: %s, want %s", c.who, c.action, c.resource, got, c.want)
				}
			}
			for _, st := range mlflow.Statement {
				for _, a := range st.Action {
					if a != "rds-db:connect" && (len(a) < 7 || a[:7] == "rds-db:") || a == "*" {
						t.Errorf("MLflow's role grants %s", a)
					}
					if a == "rds-db:connect" && (len(st.Resource) != 1 || st.Resource[0] != own) {
						t.Errorf("rds-db:connect on %v, want exactly %s", st.Resource, own)
					}
				}
			}
		})
	}
}
