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
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
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
func declareNodeRole(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*provider.Named, error) {
	role := &provider.Named{}
	if err := boundary.Role(ctx, name+"-node-role", args.PermissionsBoundary, pulumi.Map{
		"description":      pulumi.String("Karpenter-launched nodes (training and GPU NodePools)"),
		"assumeRolePolicy": pulumi.String(iampolicy.ServiceTrust("ec2.amazonaws.com")),
	}, role, child); err != nil {
		return nil, fmt.Errorf("declaring Karpenter node role: %w", err)
	}
	policies := NodePolicies
	if args.SSMAccess {
		policies = append(append([]string{}, NodePolicies...), "AmazonSSMManagedInstanceCore")
	}
	var attached []pulumi.Resource
	for _, p := range policies {
		a := &provider.Resource{}
		if err := provider.AWS(ctx, typetoken.RolePolicyAttachment, name+"-node-"+p, pulumi.Map{
			"role":      role.Name,
			"policyArn": pulumi.Sprintf("arn:%s:iam::aws:policy/%s", args.Partition, p),
		}, a, child); err != nil {
			return nil, fmt.Errorf("attaching %s to Karpenter node role: %w", p, err)
		}
		attached = append(attached, a)
	}
	if err := provider.AWS(ctx, typetoken.AccessEntry, name+"-node", pulumi.Map{
		"clusterName":  args.Cluster,
		"principalArn": role.Arn,
		"type":         pulumi.String("EC2_LINUX"),
	}, &provider.Resource{}, child, pulumi.DependsOn(attached)); err != nil {
		return nil, fmt.Errorf("declaring access entry of Karpenter nodes: %w", err)
	}
	return role, nil
}

// declareController declares the controller's IRSA role with
// ControllerPolicy inline.
func declareController(ctx *pulumi.Context, name string, args *Args, nodeRoleArn, queueArn pulumi.StringOutput, child pulumi.ResourceOption) (pulumi.StringOutput, error) {
	var none pulumi.StringOutput
	role := &provider.Named{}
	trust := iampolicy.Render(func(v []string) iampolicy.Document {
		return identity.Trust(v[0], v[1], ServiceAccount)
	}, args.OidcProviderArn, args.OidcIssuer)
	if err := boundary.Role(ctx, name+"-controller", args.PermissionsBoundary, pulumi.Map{
		"description":      pulumi.Sprintf("IRSA for %s in %s: Karpenter controller", ServiceAccount.Subject(), args.ClusterName),
		"assumeRolePolicy": trust,
	}, role, child); err != nil {
		return none, fmt.Errorf("declaring Karpenter controller role: %w", err)
	}
	pol := &provider.Resource{}
	if err := provider.AWS(ctx, typetoken.RolePolicy, name+"-controller", pulumi.Map{
		"role": role.Name,
		"policy": iampolicy.Render(func(v []string) iampolicy.Document {
			return ControllerPolicy(args.Scope, v[0], v[1])
		}, nodeRoleArn, queueArn),
	}, pol, child); err != nil {
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
		return provider.AWS(ctx, typetoken.EC2Tag, name+"-discovery-"+res, pulumi.Map{
			"resourceId": id, "key": pulumi.String(DiscoveryTag), "value": pulumi.String(args.ClusterName),
		}, &provider.Resource{}, child)
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
