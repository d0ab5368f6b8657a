package karpenter

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/cloudwatch"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/sqs"
)

// Rule is one EventBridge rule that feeds the interruption queue.
type Rule struct {
	// Name is the rule's suffix: its resource name and, after the
	// cluster's, its name in the account (RuleName).
	Name string
	// Source and DetailType are the event pattern's two fields.
	Source, DetailType string
}

// Rules are upstream's EventBridge rules (cloudformation-v1.14.yaml),
// each an event Karpenter acts on before EC2 does: it cordons and drains
// the node, and launches its replacement, ahead of the interruption.
var Rules = []Rule{
	{"health", "aws.health", "AWS Health Event"},
	{"spot", "aws.ec2", "EC2 Spot Instance Interruption Warning"},
	{"rebalance", "aws.ec2", "EC2 Instance Rebalance Recommendation"},
	{"state-change", "aws.ec2", "EC2 Instance State-change Notification"},
	{"reservation", "aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"},
}

// RuleName is a rule's name in the account: the cluster's name and the
// rule's suffix. A name per stack keeps two stacks in one account from
// sharing (PutRule overwrites a rule of the same name) and lets the
// deployer policy name each stack's rules exactly.
func RuleName(cluster string, r Rule) string { return cluster + "-" + r.Name }

// LongestRuleName is the longest rule suffix RuleName appends, with its
// hyphen: EventBridge names hold at most 64 characters (its API
// Reference, PutRule Name), which bounds the cluster's name.
func LongestRuleName() int {
	n := 0
	for _, r := range Rules {
		n = max(n, len(r.Name)+1)
	}
	return n
}

// MessageRetentionSeconds is how long an interruption message waits: a
// spot warning comes two minutes ahead, so older ones are useless
// (upstream's 300).
const MessageRetentionSeconds = 300

// QueuePolicy lets EventBridge (and SQS itself) send to the queue and
// refuses any access without TLS, as upstream's queue policy does.
func QueuePolicy(queueArn string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Statement{Sid: "EventBridgeSends", Effect: "Allow",
			Principal: map[string]any{"Service": []string{"events.amazonaws.com", "sqs.amazonaws.com"}},
			Action:    []string{"sqs:SendMessage"}, Resource: []string{queueArn}},
		iampolicy.Statement{Sid: "DenyHTTP", Effect: "Deny", Principal: map[string]any{"AWS": "*"},
			Action: []string{"sqs:*"}, Resource: []string{queueArn},
			Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}}},
	)
}

// EventPattern is a rule's event pattern as EventBridge takes it.
func (r Rule) EventPattern() string {
	return fmt.Sprintf(`{"source":[%q],"detail-type":[%q]}`, r.Source, r.DetailType)
}

// declareQueue declares the interruption queue (named after the cluster,
// as the chart's settings.interruptionQueue names it), its policy, and
// the rules that feed it.
func declareQueue(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*sqs.Queue, error) {
	q, err := sqs.NewQueue(ctx, name+"-interruption", &sqs.QueueArgs{
		Name:                    pulumi.String(args.ClusterName),
		MessageRetentionSeconds: pulumi.Int(MessageRetentionSeconds),
		SqsManagedSseEnabled:    pulumi.Bool(true),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring interruption queue: %w", err)
	}
	pol := iampolicy.Render(func(v []string) iampolicy.Document { return QueuePolicy(v[0]) }, q.Arn)
	if _, err := sqs.NewQueuePolicy(ctx, name+"-interruption", &sqs.QueuePolicyArgs{
		QueueUrl: q.ID(),
		Policy:   pol,
	}, child); err != nil {
		return nil, fmt.Errorf("declaring interruption queue policy: %w", err)
	}
	for _, r := range Rules {
		rule, err := cloudwatch.NewEventRule(ctx, name+"-"+r.Name, &cloudwatch.EventRuleArgs{
			Name:         pulumi.String(RuleName(args.ClusterName, r)),
			Description:  pulumi.Sprintf("%s: %s to Karpenter's interruption queue", args.ClusterName, r.DetailType),
			EventPattern: pulumi.String(r.EventPattern()),
		}, child)
		if err != nil {
			return nil, fmt.Errorf("declaring rule %s: %w", r.Name, err)
		}
		if _, err := cloudwatch.NewEventTarget(ctx, name+"-"+r.Name, &cloudwatch.EventTargetArgs{
			Rule:     rule.Name,
			TargetId: pulumi.String("KarpenterInterruptionQueueTarget"),
			Arn:      q.Arn,
		}, child); err != nil {
			return nil, fmt.Errorf("declaring target of rule %s: %w", r.Name, err)
		}
	}
	return q, nil
}
