package deployerpolicy

import (
	"slices"
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
	if len(rules) == 0 {
		return out
	}
	targets, ok := targetQueues(g, e)
	if ok && slices.Contains(ruleActions, "events:PutTargets") {
		ruleActions = slices.DeleteFunc(ruleActions, func(a string) bool { return a == "events:PutTargets" })
		s := iampolicy.Allow("TargetInterruptionQueue", []string{"events:PutTargets"}, uniqueSorted(rules))
		s.Condition = map[string]map[string]any{"ForAllValues:ArnEquals": {"events:TargetArn": targets}}
		out = append(out, s)
	}
	if len(ruleActions) > 0 {
		out = append(out, iampolicy.Allow("ManageInterruptionRules", uniqueSorted(ruleActions), uniqueSorted(rules)))
	}
	return out
}

// targetQueues are the ARNs of the queues the graph's rule targets
// deliver to, which PutTargets is limited to by events:TargetArn (the
// Service Authorization Reference's condition key for it): the rules can
// feed the stack's queue and nothing else. ok is false when a target
// delivers to anything but one of the graph's queues; PutTargets is then
// granted without the condition.
func targetQueues(g *plan.Graph, e env) (arns []string, ok bool) {
	queues := map[string]string{}
	for _, q := range g.ByType(typetoken.SQSQueue) {
		queues[q.URN] = e.arn("sqs", e.region, e.autonamed(q))
	}
	targets := g.ByType(typetoken.EventTarget)
	for _, t := range targets {
		var to []string
		for _, d := range t.Dependencies {
			if arn, found := queues[d]; found {
				to = append(to, arn)
			}
		}
		if len(to) != 1 {
			return nil, false
		}
		arns = append(arns, to[0])
	}
	return uniqueSorted(arns), len(arns) > 0
}
