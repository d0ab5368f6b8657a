// Package alerting declares where Alertmanager's alerts go in AWS: the
// platform's SNS topic, encrypted with the data key. Subscriptions (email,
// chat, paging) are the operators' to add.
package alerting

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/sns"
)

// Args configures the topic.
type Args struct {
	ClusterName string
	// KmsKeyArn encrypts the topic's messages at rest.
	KmsKeyArn pulumi.StringInput
}

// Topic is the alerting component.
type Topic struct {
	pulumi.ResourceState

	// Arn is the topic Alertmanager publishes to.
	Arn pulumi.StringOutput
}

// NewTopic declares the alert topic.
func NewTopic(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Topic, error) {
	t := &Topic{}
	if err := ctx.RegisterComponentResource("mlops:alerting:Topic", name, t, opts...); err != nil {
		return nil, err
	}
	topic, err := sns.NewTopic(ctx, name+"-alerts", &sns.TopicArgs{
		Name:           pulumi.String(args.ClusterName + "-alerts"),
		KmsMasterKeyId: args.KmsKeyArn.ToStringOutput(),
		Tags:           pulumi.StringMap{"Name": pulumi.String(args.ClusterName + "-alerts")},
	}, pulumi.Parent(t))
	if err != nil {
		return nil, fmt.Errorf("declaring alert topic: %w", err)
	}
	t.Arn = topic.Arn
	return t, ctx.RegisterResourceOutputs(t, pulumi.Map{"arn": t.Arn})
}
