package iamreplay

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// DeployerDocuments are the documents `mlops deployer-policy` prints for
// g, with the policy variables IAM substitutes for the deploying session
// (its account and aws:userid) substituted. edit, when set, rewrites each
// statement first: a mutation test removes an action with it.
func DeployerDocuments(g *plan.Graph, account, userID string, edit func(iampolicy.Statement) iampolicy.Statement) ([]iampolicy.Document, error) {
	r, err := deployerpolicy.Build(g, deployerpolicy.ManagedPolicyLimit)
	if err != nil {
		return nil, fmt.Errorf("building the deployer policy: %w", err)
	}
	vars := strings.NewReplacer("${aws:PrincipalAccount}", account, "${aws:userid}", userID)
	var docs []iampolicy.Document
	for _, p := range r.Policies {
		if edit != nil {
			for i, s := range p.Document.Statement {
				p.Document.Statement[i] = edit(s)
			}
		}
		b, err := json.Marshal(p.Document)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		d, err := iampolicy.Parse([]byte(vars.Replace(string(b))))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// InstanceARN is an EC2 instance's ARN in the replay's environment, the
// key of its tags in Replayer.Tags.
func (e Env) InstanceARN(id string) string {
	return "arn:" + e.Partition + ":ec2:" + e.Region + ":" + e.Account + ":instance/" + id
}
