package karpenter

import (
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
)

// Tag keys Karpenter puts on what it creates and its policy conditions on.
const (
	NodePoolTag   = "karpenter.sh/nodepool"
	NodeClassTag  = "karpenter.k8s.aws/ec2nodeclass"
	NodeClaimTag  = "karpenter.sh/nodeclaim"
	EKSClusterTag = "eks:eks-cluster-name"
	RegionTag     = "topology.kubernetes.io/region"
)

// Scope names the stack a policy is written for.
type Scope struct {
	ClusterName, Region, AccountID, Partition string
}

func (s Scope) arn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", s.Partition, service, s.Region, s.AccountID, resource)
}

func (s Scope) ownedTag() string { return "kubernetes.io/cluster/" + s.ClusterName }

// ControllerPolicy is the Karpenter controller's policy: upstream's six
// policies of cloudformation-v1.14.yaml (node lifecycle, IAM integration,
// EKS integration, interruption, zonal shift, resource discovery) in one
// document, statement for statement with upstream's conditions. The one
// deliberate narrowing: ARNs name this stack's account where upstream
// writes "*" (the controller launches nothing in another account).
// nodeRoleArn is the node role it may pass; queueArn its interruption
// queue.
func ControllerPolicy(s Scope, nodeRoleArn, queueArn string) iampolicy.Document {
	return iampolicy.New(append(lifecycleStatements(s), append(integrationStatements(s, nodeRoleArn, queueArn), discoveryStatements(s)...)...)...)
}

func lifecycleStatements(s Scope) []iampolicy.Statement {
	ec2 := func(types ...string) []string {
		out := make([]string, 0, len(types))
		for _, t := range types {
			out = append(out, s.arn("ec2", t+"/*"))
		}
		return out
	}
	owned := map[string]any{"aws:ResourceTag/" + s.ownedTag(): "owned"}
	anyPool := map[string]any{"aws:ResourceTag/" + NodePoolTag: "*"}
	requestOwned := map[string]any{"aws:RequestTag/" + s.ownedTag(): "owned", "aws:RequestTag/" + EKSClusterTag: s.ClusterName}
	requestPool := map[string]any{"aws:RequestTag/" + NodePoolTag: "*"}
	created := []string{"fleet", "instance", "volume", "network-interface", "launch-template", "spot-instances-request"}
	withCreate := map[string]any{"ec2:CreateAction": []string{"RunInstances", "CreateFleet", "CreateLaunchTemplate"}}
	for k, v := range requestOwned {
		withCreate[k] = v
	}
	public := []string{
		fmt.Sprintf("arn:%s:ec2:%s::image/*", s.Partition, s.Region),
		fmt.Sprintf("arn:%s:ec2:%s::snapshot/*", s.Partition, s.Region),
	}
	return []iampolicy.Statement{
		{Sid: "AllowScopedEC2InstanceAccessActions", Effect: "Allow", Action: []string{"ec2:RunInstances", "ec2:CreateFleet"},
			Resource: append(public, ec2("security-group", "subnet", "capacity-reservation", "placement-group")...)},
		{Sid: "AllowScopedEC2LaunchTemplateAccessActions", Effect: "Allow", Action: []string{"ec2:RunInstances", "ec2:CreateFleet"},
			Resource: ec2("launch-template"), Condition: map[string]map[string]any{"StringEquals": owned, "StringLike": anyPool}},
		{Sid: "AllowScopedEC2InstanceActionsWithTags", Effect: "Allow", Action: []string{"ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"},
			Resource: ec2(created...), Condition: map[string]map[string]any{"StringEquals": requestOwned, "StringLike": requestPool}},
		{Sid: "AllowScopedResourceCreationTagging", Effect: "Allow", Action: []string{"ec2:CreateTags"},
			Resource: ec2(created...), Condition: map[string]map[string]any{"StringEquals": withCreate, "StringLike": requestPool}},
		{Sid: "AllowScopedResourceTagging", Effect: "Allow", Action: []string{"ec2:CreateTags"},
			Resource: ec2("instance"), Condition: map[string]map[string]any{
				"StringEquals": owned, "StringLike": anyPool,
				"StringEqualsIfExists":      {"aws:RequestTag/" + EKSClusterTag: s.ClusterName},
				"ForAllValues:StringEquals": {"aws:TagKeys": []string{EKSClusterTag, NodeClaimTag, "Name"}},
			}},
		{Sid: "AllowScopedDeletion", Effect: "Allow", Action: []string{"ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"},
			Resource: ec2("instance", "launch-template"), Condition: map[string]map[string]any{"StringEquals": owned, "StringLike": anyPool}},
	}
}

func integrationStatements(s Scope, nodeRoleArn, queueArn string) []iampolicy.Statement {
	profiles := []string{fmt.Sprintf("arn:%s:iam::%s:instance-profile/*", s.Partition, s.AccountID)}
	ownedHere := map[string]any{"aws:ResourceTag/" + s.ownedTag(): "owned", "aws:ResourceTag/" + RegionTag: s.Region}
	requestHere := map[string]any{"aws:RequestTag/" + s.ownedTag(): "owned", "aws:RequestTag/" + EKSClusterTag: s.ClusterName, "aws:RequestTag/" + RegionTag: s.Region}
	both := map[string]any{}
	for _, m := range []map[string]any{ownedHere, requestHere} {
		for k, v := range m {
			both[k] = v
		}
	}
	cluster := s.arn("eks", "cluster/"+s.ClusterName)
	return []iampolicy.Statement{
		{Sid: "AllowPassingInstanceRole", Effect: "Allow", Action: []string{"iam:PassRole"}, Resource: []string{nodeRoleArn},
			Condition: map[string]map[string]any{"StringEquals": {"iam:PassedToService": []string{"ec2.amazonaws.com", "ec2.amazonaws.com.cn"}}}},
		{Sid: "AllowScopedInstanceProfileCreationActions", Effect: "Allow", Action: []string{"iam:CreateInstanceProfile"}, Resource: profiles,
			Condition: map[string]map[string]any{"StringEquals": requestHere, "StringLike": {"aws:RequestTag/" + NodeClassTag: "*"}}},
		{Sid: "AllowScopedInstanceProfileTagActions", Effect: "Allow", Action: []string{"iam:TagInstanceProfile"}, Resource: profiles,
			Condition: map[string]map[string]any{"StringEquals": both, "StringLike": {"aws:ResourceTag/" + NodeClassTag: "*", "aws:RequestTag/" + NodeClassTag: "*"}}},
		{Sid: "AllowScopedInstanceProfileActions", Effect: "Allow", Action: []string{"iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"},
			Resource: profiles, Condition: map[string]map[string]any{"StringEquals": ownedHere, "StringLike": {"aws:ResourceTag/" + NodeClassTag: "*"}}},
		iampolicy.Allow("AllowAPIServerEndpointDiscovery", []string{"eks:DescribeCluster"}, []string{cluster}),
		iampolicy.Allow("AllowInterruptionQueueActions", []string{"sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"}, []string{queueArn}),
		{Sid: "AllowZonalShiftStatusReadOnly", Effect: "Allow", Action: []string{"arc-zonal-shift:GetManagedResource"}, Resource: []string{"*"},
			Condition: map[string]map[string]any{"StringEquals": {"arc-zonal-shift:ResourceIdentifier": cluster}}},
	}
}

func discoveryStatements(s Scope) []iampolicy.Statement {
	return []iampolicy.Statement{
		{Sid: "AllowRegionalReadActions", Effect: "Allow", Resource: []string{"*"}, Action: []string{
			"ec2:DescribeCapacityReservations", "ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeInstanceStatus",
			"ec2:DescribeInstanceTypeOfferings", "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplates",
			"ec2:DescribePlacementGroups", "ec2:DescribeSecurityGroups", "ec2:DescribeSpotPriceHistory", "ec2:DescribeSubnets",
		}, Condition: map[string]map[string]any{"StringEquals": {"aws:RequestedRegion": s.Region}}},
		iampolicy.Allow("AllowSSMReadActions", []string{"ssm:GetParameter"}, []string{fmt.Sprintf("arn:%s:ssm:%s::parameter/aws/service/*", s.Partition, s.Region)}),
		iampolicy.Allow("AllowPricingReadActions", []string{"pricing:GetProducts"}, []string{"*"}),
		iampolicy.Allow("AllowUnscopedInstanceProfileListAction", []string{"iam:ListInstanceProfiles"}, []string{"*"}),
		iampolicy.Allow("AllowInstanceProfileReadActions", []string{"iam:GetInstanceProfile"}, []string{fmt.Sprintf("arn:%s:iam::%s:instance-profile/*", s.Partition, s.AccountID)}),
	}
}
