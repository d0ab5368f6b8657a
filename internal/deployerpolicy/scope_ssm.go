package deployerpolicy

import (
	"slices"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// documentAction reports whether a is one of the table's Session Manager
// document actions, which Build grants on the graph's documents only: on
// "*" the deployer could rewrite any Session document, AWS's default
// shell preferences (SSM-SessionManagerRunShell) among them.
func documentAction(a string) bool {
	return slices.Contains(Table[typetoken.SSMDocument].All(), a)
}

// documentStatements grant the table's document actions on the graph's
// documents, by name (arn:<partition>:ssm:<region>:<account>:document/
// <name>, the resource type the Service Authorization Reference
// authorizes them on).
func documentStatements(g *plan.Graph, e env) []iampolicy.Statement {
	var docs []string
	for _, d := range g.ByType(typetoken.SSMDocument) {
		docs = append(docs, e.arn("ssm", e.region, "document/"+e.autonamed(d)))
	}
	if len(docs) == 0 {
		return nil
	}
	return []iampolicy.Statement{iampolicy.Allow("ManagePlatformDocuments",
		uniqueSorted(Table[typetoken.SSMDocument].All()), uniqueSorted(docs))}
}
