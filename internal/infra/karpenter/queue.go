package karpenter

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Rule is one EventBridge rule that feeds the interruption queue.
type Rule struct {
	// Name is the rule's resource suffix.
	Name string
	// Source and DetailType are the event pattern's two fields.
	Source, DetailType string
}

// Rules are upstream's EventBridge rules (cloudformation-v1.14.yaml),
// each an event Karpenter acts on before EC2 does: it cordons and drains
// the node, and launches its replacement, ahead of the interruption.
var Rules = []Rule{
	{"scheduled-change", "aws.health", "AWS Health Event"},
	{"spot-interruption", "aws.ec2", "EC2 Spot Instance Interruption Warning"},
	{"rebalance", "aws.ec2", "EC2 Instance Rebalance Recommendation"},
	{"instance-state-change", "aws.ec2", "EC2 Instance State-change Notification"},
	{"capacity-reservation-interruption", "aws.ec2", "EC2 Capacity Reservation Instance Interruption Warning"},
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

// queue is an aws:sqs/queue:Queue with its ARN and URL.
type queue struct {
	pulumi.CustomResourceState
	Arn  pulumi.StringOutput `pulumi:"arn"`
	Name pulumi.StringOutput `pulumi:"name"`
}

// declareQueue declares the interruption queue (named after the cluster,
// as the chart's settings.interruptionQueue names it), its policy, and
// the rules that feed it.
func declareQueue(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*queue, error) {
	q := &queue{}
	if err := provider.AWS(ctx, typetoken.SQSQueue, name+"-interruption", pulumi.Map{
		"name":                    pulumi.String(args.ClusterName),
		"messageRetentionSeconds": pulumi.Int(MessageRetentionSeconds),
		"sqsManagedSseEnabled":    pulumi.Bool(true),
	}, q, child); err != nil {
		return nil, fmt.Errorf("declaring interruption queue: %w", err)
	}
	pol := iampolicy.Render(func(v []string) iampolicy.Document { return QueuePolicy(v[0]) }, q.Arn)
	if err := provider.AWS(ctx, typetoken.SQSQueuePolicy, name+"-interruption", pulumi.Map{
		"queueUrl": q.ID(),
		"policy":   pol,
	}, &provider.Resource{}, child); err != nil {
		return nil, fmt.Errorf("declaring interruption queue policy: %w", err)
	}
	for _, r := range Rules {
		rule := &provider.Named{}
		if err := provider.AWS(ctx, typetoken.EventRule, name+"-"+r.Name, pulumi.Map{
			"description":  pulumi.Sprintf("%s: %s to Karpenter's interruption queue", args.ClusterName, r.DetailType),
			"eventPattern": pulumi.String(r.EventPattern()),
		}, rule, child); err != nil {
			return nil, fmt.Errorf("declaring rule %s: %w", r.Name, err)
		}
		if err := provider.AWS(ctx, typetoken.EventTarget, name+"-"+r.Name, pulumi.Map{
			"rule":     rule.Name,
			"targetId": pulumi.String("KarpenterInterruptionQueueTarget"),
			"arn":      q.Arn,
		}, &provider.Resource{}, child); err != nil {
			return nil, fmt.Errorf("declaring target of rule %s: %w", r.Name, err)
		}
	}
	return q, nil
}
