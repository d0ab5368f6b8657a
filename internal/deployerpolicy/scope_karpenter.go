package deployerpolicy

import (
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// queueAction and ruleAction name the SQS and EventBridge actions Build
// grants only on the graph's own interruption queues and rules
// (interruptionStatements), never on "*": on "*" the deploying role could
// read, repoint or delete any queue or rule of the account.
func queueAction(a string) bool { return strings.HasPrefix(a, "sqs:") }

func ruleAction(a string) bool { return strings.HasPrefix(a, "events:") }

// interruptionStatements grant the table's SQS actions on the graph's
// queues, by name (arn:<partition>:sqs:<region>:<account>:<name>), and its
// EventBridge actions on the graph's rules on the default event bus
// (arn:<partition>:events:<region>:<account>:rule/<name>), the resource
// types the Service Authorization Reference authorizes them on. A target
// is authorized on the rule it belongs to, so the target rows' actions
// take the rules' ARNs too.
func interruptionStatements(g *plan.Graph, e env, types []string) []iampolicy.Statement {
	var queueActions, ruleActions []string
	for _, t := range types {
		for _, a := range Table[t].All() {
			switch {
			case queueAction(a):
				queueActions = append(queueActions, a)
			case ruleAction(a):
				ruleActions = append(ruleActions, a)
			}
		}
	}
	var queues, rules []string
	for _, q := range g.ByType(typetoken.SQSQueue) {
		queues = append(queues, e.arn("sqs", e.region, e.autonamed(q)))
	}
	for _, r := range g.ByType(typetoken.EventRule) {
		rules = append(rules, e.arn("events", e.region, "rule/"+e.autonamed(r)))
	}
	var out []iampolicy.Statement
	if len(queueActions) > 0 && len(queues) > 0 {
		out = append(out, iampolicy.Allow("ManageInterruptionQueue", uniqueSorted(queueActions), uniqueSorted(queues)))
	}
	if len(ruleActions) > 0 && len(rules) > 0 {
		out = append(out, iampolicy.Allow("ManageInterruptionRules", uniqueSorted(ruleActions), uniqueSorted(rules)))
	}
	return out
}
