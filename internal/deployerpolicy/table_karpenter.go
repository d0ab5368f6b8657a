package deployerpolicy

import "github.com/mlops-platform/mlops-platform/internal/typetoken"

// karpenterRows are the rows of Karpenter's AWS resources (interruption
// queue, its policy, the EventBridge rules and targets, and the discovery
// tags), reviewed against the provider's implementations of
// aws_sqs_queue, aws_sqs_queue_policy, aws_cloudwatch_event_rule,
// aws_cloudwatch_event_target and aws_ec2_tag. The node role, its access
// entry and the controller's role use rows Table already has.
var karpenterRows = map[string]Actions{
	typetoken.SQSQueue: {
		Create: []string{"sqs:CreateQueue", "sqs:SetQueueAttributes"},
		Read:   []string{"sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"},
		Update: []string{"sqs:SetQueueAttributes"},
		Delete: []string{"sqs:DeleteQueue"},
		Tag:    []string{"sqs:TagQueue", "sqs:UntagQueue"},
	},
	typetoken.SQSQueuePolicy: {
		Create: []string{"sqs:SetQueueAttributes"},
		Read:   []string{"sqs:GetQueueAttributes"},
		Update: []string{"sqs:SetQueueAttributes"},
		Delete: []string{"sqs:SetQueueAttributes"},
	},
	typetoken.EventRule: {
		Create: []string{"events:PutRule"},
		Read:   []string{"events:DescribeRule", "events:ListTagsForResource"},
		Update: []string{"events:PutRule"},
		Delete: []string{"events:DeleteRule"},
		Tag:    []string{"events:TagResource", "events:UntagResource"},
	},
	typetoken.EventTarget: {
		Create: []string{"events:PutTargets"},
		Read:   []string{"events:ListTargetsByRule"},
		Update: []string{"events:PutTargets"},
		Delete: []string{"events:RemoveTargets"},
	},
	typetoken.EC2Tag: {
		Create: []string{"ec2:CreateTags"},
		Read:   []string{"ec2:DescribeTags"},
		Update: []string{"ec2:CreateTags"},
		Delete: []string{"ec2:DeleteTags"},
	},
}

// The rows join Table in its own file, so the table stays one reviewed
// map per area.
func init() {
	for typ, a := range karpenterRows {
		Table[typ] = a
	}
}
