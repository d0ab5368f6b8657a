// Package karpenter declares the AWS side of Karpenter, which provisions
// the training and GPU capacity: the controller's IRSA role, the node role
// with its EKS access entry, the interruption queue fed by EventBridge,
// and the discovery tags its EC2NodeClasses select subnets and the node
// security group by. The NodePools themselves are Kubernetes objects of
// the in-cluster layer (internal/infra/platform).
package karpenter

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ec2"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/eks"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
)

// ServiceAccount is the controller's service account (the chart's name,
// in kube-system as upstream's getting-started installs it).
var ServiceAccount = identity.ServiceAccount{Namespace: "kube-system", Name: "karpenter"}

// NodePolicies are the AWS managed policies of the node role. Upstream
// also attaches AmazonEKS_CNI_Policy (the VPC CNI has its own IRSA role
// here, so nodes need no ENI rights) and AmazonSSMManagedInstanceCore
// (attached only when the spec's nodeSsmAccess asks, as for node groups).
var NodePolicies = []string{"AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"}

// Args configures the Karpenter component.
type Args struct {
	Scope
	PermissionsBoundary string
	// Cluster is the cluster's name as an output, so what needs the
	// cluster waits for it.
	Cluster pulumi.StringInput
	// OidcProviderArn and OidcIssuer identify the cluster's issuer.
	OidcProviderArn, OidcIssuer pulumi.StringInput
	// SSMAccess attaches AmazonSSMManagedInstanceCore to the node role.
	SSMAccess bool
	// PrivateSubnetIDs and their count (one per zone) get the discovery tag.
	PrivateSubnetIDs pulumi.StringArrayInput
	Zones            int
	// NodeSecurityGroupID is the cluster security group the nodes carry.
	NodeSecurityGroupID pulumi.StringInput
}

// Karpenter is the component: what the in-cluster layer passes on.
type Karpenter struct {
	pulumi.ResourceState

	// ControllerRoleArn is the controller's IRSA role.
	ControllerRoleArn pulumi.StringOutput
	// NodeRoleName is the role the EC2NodeClasses name.
	NodeRoleName pulumi.StringOutput
	// QueueName is the interruption queue (settings.interruptionQueue).
	QueueName pulumi.StringOutput
}

// New declares Karpenter's AWS resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Karpenter, error) {
	k := &Karpenter{}
	if err := ctx.RegisterComponentResource("mlops:karpenter:Karpenter", name, k, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(k)
	node, err := declareNodeRole(ctx, name, args, child)
	if err != nil {
		return nil, err
	}
	q, err := declareQueue(ctx, name, args, child)
	if err != nil {
		return nil, err
	}
	if err := declareDiscoveryTags(ctx, name, args, child); err != nil {
		return nil, err
	}
	k.ControllerRoleArn, err = declareController(ctx, name, args, node.Arn, q.Arn, child)
	if err != nil {
		return nil, err
	}
	k.NodeRoleName, k.QueueName = node.Name, q.Name
	return k, ctx.RegisterResourceOutputs(k, pulumi.Map{
		"controllerRoleArn": k.ControllerRoleArn, "nodeRoleName": k.NodeRoleName, "queueName": k.QueueName,
	})
}

// declareNodeRole declares the nodes' role and its access entry of type
// EC2_LINUX, which lets kubelets on instances with the role join.
func declareNodeRole(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*iam.Role, error) {
	role, err := boundary.NewRole(ctx, name+"-node-role", args.PermissionsBoundary, &iam.RoleArgs{
		Description:      pulumi.String("Karpenter-launched nodes (training and GPU NodePools)"),
		AssumeRolePolicy: pulumi.String(iampolicy.ServiceTrust("ec2.amazonaws.com")),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring Karpenter node role: %w", err)
	}
	policies := NodePolicies
	if args.SSMAccess {
		policies = append(append([]string{}, NodePolicies...), "AmazonSSMManagedInstanceCore")
	}
	var attached []pulumi.Resource
	for _, p := range policies {
		a, err := iam.NewRolePolicyAttachment(ctx, name+"-node-"+p, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/%s", args.Partition, p),
		}, child)
		if err != nil {
			return nil, fmt.Errorf("attaching %s to Karpenter node role: %w", p, err)
		}
		attached = append(attached, a)
	}
	if _, err := eks.NewAccessEntry(ctx, name+"-node", &eks.AccessEntryArgs{
		ClusterName:  args.Cluster,
		PrincipalArn: role.Arn,
		Type:         pulumi.String("EC2_LINUX"),
	}, child, pulumi.DependsOn(attached)); err != nil {
		return nil, fmt.Errorf("declaring access entry of Karpenter nodes: %w", err)
	}
	return role, nil
}

// declareController declares the controller's IRSA role with
// ControllerPolicy inline.
func declareController(ctx *pulumi.Context, name string, args *Args, nodeRoleArn, queueArn pulumi.StringOutput, child pulumi.ResourceOption) (pulumi.StringOutput, error) {
	var none pulumi.StringOutput
	trust := iampolicy.Render(func(v []string) iampolicy.Document {
		return identity.Trust(v[0], v[1], ServiceAccount)
	}, args.OidcProviderArn, args.OidcIssuer)
	role, err := boundary.NewRole(ctx, name+"-controller", args.PermissionsBoundary, &iam.RoleArgs{
		Description:      pulumi.Sprintf("IRSA for %s in %s: Karpenter controller", ServiceAccount.Subject(), args.ClusterName),
		AssumeRolePolicy: trust,
	}, child)
	if err != nil {
		return none, fmt.Errorf("declaring Karpenter controller role: %w", err)
	}
	pol, err := iam.NewRolePolicy(ctx, name+"-controller", &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: iampolicy.Render(func(v []string) iampolicy.Document {
			return ControllerPolicy(args.Scope, v[0], v[1])
		}, nodeRoleArn, queueArn),
	}, child)
	if err != nil {
		return none, fmt.Errorf("declaring Karpenter controller policy: %w", err)
	}
	// The controller gets the ARN once its policy exists.
	return pulumi.All(role.Arn, pol.ID()).ApplyT(func(v []any) string {
		s, _ := v[0].(string)
		return s
	}).(pulumi.StringOutput), nil
}

// declareDiscoveryTags tags the private subnets and the node security
// group with the cluster's name under DiscoveryTag: the EC2NodeClasses
// select exactly those, so a node never lands in a public subnet.
func declareDiscoveryTags(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) error {
	tag := func(res string, id pulumi.StringInput) error {
		_, err := ec2.NewTag(ctx, name+"-discovery-"+res, &ec2.TagArgs{
			ResourceId: id, Key: pulumi.String(DiscoveryTag), Value: pulumi.String(args.ClusterName),
		}, child)
		return err
	}
	for i := 0; i < args.Zones; i++ {
		if err := tag(fmt.Sprintf("subnet-%d", i), args.PrivateSubnetIDs.ToStringArrayOutput().Index(pulumi.Int(i))); err != nil {
			return fmt.Errorf("tagging private subnet %d for Karpenter: %w", i, err)
		}
	}
	if err := tag("node-sg", args.NodeSecurityGroupID); err != nil {
		return fmt.Errorf("tagging the node security group for Karpenter: %w", err)
	}
	return nil
}

// DiscoveryTag marks what the EC2NodeClasses select (platform.DiscoveryTag).
const DiscoveryTag = "karpenter.sh/discovery"
