// Package observability declares every CloudWatch log group the platform
// writes to, before anything writes to it, so each has the profile's
// retention and the logs KMS key (AWS would otherwise create them unencrypted
// with no expiry).
package observability

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/cloudwatch"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
)

// Args configures the log groups.
type Args struct {
	ClusterName string
	// Region, AccountID and Partition scope the flow-log role's trust.
	Region, AccountID, Partition string
	// PermissionsBoundary is the ARN of the stack's permissions boundary
	// (internal/boundary), which every role declared here carries.
	PermissionsBoundary string
	// DatabaseIdentifier names the RDS instance whose exported logs are kept.
	DatabaseIdentifier string
	// DatabaseLogExports are the log types the instance exports.
	DatabaseLogExports []string
	RetentionDays      int
	KmsKeyArn          pulumi.StringInput
	// ContainerInsights pre-creates the four Container Insights groups.
	ContainerInsights bool
}

// ContainerInsightsGroups are the log groups the CloudWatch observability
// add-on writes to, under /aws/containerinsights/<cluster>/: the pods' logs
// (application), node logs its Fluent Bit reads from the AL2023 nodes'
// systemd journal (dataplane: kubelet and containerd; host: kernel and
// system messages), and metric log events (performance). The add-on's
// tests in internal/infra/addons check the journal inputs against the
// chart the pinned add-on is built from.
var ContainerInsightsGroups = []string{"application", "dataplane", "host", "performance"}

// Logs is the observability component.
type Logs struct {
	pulumi.ResourceState

	// ClusterLogGroup must exist before the EKS cluster is created.
	ClusterLogGroup *cloudwatch.LogGroup
	// ContainerInsightsLogGroups must exist before the add-on is installed.
	ContainerInsightsLogGroups []pulumi.Resource
	// DatabaseLogGroups must exist before the RDS instance exports logs.
	DatabaseLogGroups []pulumi.Resource
	FlowLogGroupArn   pulumi.StringOutput
	FlowLogRoleArn    pulumi.StringOutput
	// FlowLogRolePolicy grants the role its permissions; the flow log waits
	// for it, or its first deliveries fail.
	FlowLogRolePolicy pulumi.Resource
}

// NewLogs declares the log groups and the role VPC flow logs deliver with.
func NewLogs(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Logs, error) {
	l := &Logs{}
	if err := ctx.RegisterComponentResource("mlops:observability:Logs", name, l, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(l)
	group := func(suffix, path string) (*cloudwatch.LogGroup, error) {
		g, err := cloudwatch.NewLogGroup(ctx, name+"-"+suffix, &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(path),
			RetentionInDays: pulumi.Int(args.RetentionDays),
			KmsKeyId:        args.KmsKeyArn.ToStringOutput(),
		}, child)
		if err != nil {
			return nil, fmt.Errorf("declaring log group %s: %w", path, err)
		}
		return g, nil
	}

	var err error
	if l.ClusterLogGroup, err = group("cluster", fmt.Sprintf("/aws/eks/%s/cluster", args.ClusterName)); err != nil {
		return nil, err
	}
	if args.ContainerInsights {
		for _, g := range ContainerInsightsGroups {
			lg, err := group("ci-"+g, fmt.Sprintf("/aws/containerinsights/%s/%s", args.ClusterName, g))
			if err != nil {
				return nil, err
			}
			l.ContainerInsightsLogGroups = append(l.ContainerInsightsLogGroups, lg)
		}
	}
	for _, e := range args.DatabaseLogExports {
		lg, err := group("rds-"+e, fmt.Sprintf("/aws/rds/instance/%s/%s", args.DatabaseIdentifier, e))
		if err != nil {
			return nil, err
		}
		l.DatabaseLogGroups = append(l.DatabaseLogGroups, lg)
	}
	flow, err := group("flow-logs", fmt.Sprintf("/aws/vpc/%s/flow-logs", args.ClusterName))
	if err != nil {
		return nil, err
	}
	l.FlowLogGroupArn = flow.Arn

	role, err := boundary.NewRole(ctx, name+"-flow-logs", args.PermissionsBoundary, &iam.RoleArgs{
		Description:      pulumi.String("Delivers VPC flow logs of " + args.ClusterName),
		AssumeRolePolicy: pulumi.String(FlowLogTrust(args.Partition, args.Region, args.AccountID)),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring flow log role: %w", err)
	}
	flowPolicy, err := iam.NewRolePolicy(ctx, name+"-flow-logs", &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: iampolicy.Render(func(v []string) iampolicy.Document {
			return iampolicy.New(iampolicy.Allow("WriteFlowLogs",
				[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
				[]string{v[0], v[0] + ":*"}))
		}, flow.Arn),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring flow log policy: %w", err)
	}
	l.FlowLogRoleArn, l.FlowLogRolePolicy = role.Arn, flowPolicy
	return l, ctx.RegisterResourceOutputs(l, pulumi.Map{"clusterLogGroup": l.ClusterLogGroup.Name, "flowLogGroupArn": l.FlowLogGroupArn})
}

// FlowLogTrust lets VPC Flow Logs assume the delivery role only for flow
// logs of this account and region, so no other account's flow log can use
// it (the confused-deputy conditions of the VPC User Guide, "IAM role for
// publishing flow logs to CloudWatch Logs",
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html).
func FlowLogTrust(partition, region, accountID string) string {
	return iampolicy.SourceTrust("vpc-flow-logs.amazonaws.com", accountID,
		fmt.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", partition, region, accountID))
}
