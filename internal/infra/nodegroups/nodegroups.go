// Package nodegroups declares the EKS managed node groups, their node role,
// hardened launch templates, and the Auto Scaling group tags the cluster
// autoscaler reads to scale a group up from zero.
package nodegroups

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/autoscaling"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ec2"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/eks"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
)

// NodePolicies are the AWS managed policies of the node role. The VPC CNI
// has its own IRSA role, so AmazonEKS_CNI_Policy is not among them.
var NodePolicies = []string{
	"AmazonEKSWorkerNodePolicy",
	"AmazonEC2ContainerRegistryReadOnly",
}

// SSMPolicy gives Session Manager shells on nodes (no SSH keys or open
// ports); attached only when the spec's nodeSsmAccess asks for it.
const SSMPolicy = "AmazonSSMManagedInstanceCore"

// AutoscalerTemplatePrefix starts the ASG tags that describe a node of a
// group to the cluster autoscaler while the group has no nodes.
const AutoscalerTemplatePrefix = "k8s.io/cluster-autoscaler/node-template/"

// Args configures the node groups.
type Args struct {
	ClusterName pulumi.StringInput
	// PermissionsBoundary is the ARN of the stack's permissions boundary
	// (internal/boundary), which every role declared here carries.
	PermissionsBoundary string
	// KubernetesVersion is the cluster's version; the groups follow it, so
	// an upgrade of the control plane rolls the nodes too.
	KubernetesVersion pulumi.StringInput
	// ClusterSecurityGroupID is the security group EKS gives the cluster;
	// the launch template's network interface carries it.
	ClusterSecurityGroupID pulumi.StringInput
	Partition              string
	// SSMAccess attaches AmazonSSMManagedInstanceCore to the node role.
	SSMAccess bool
	// SubnetIDs are the private subnets, one per zone.
	SubnetIDs pulumi.StringArrayInput
	// VolumeKeyArn encrypts the root volumes.
	VolumeKeyArn pulumi.StringInput
	Groups       []Group
	// Tags are copied onto instances and volumes, which default provider tags do not reach.
	Tags map[string]string
	// Before are what the groups wait for: the VPC CNI add-on, so the first
	// nodes' aws-node runs with its IRSA role, not the node role (which has
	// no ENI rights).
	Before []pulumi.Resource
}

// NodeGroups is the node group component.
type NodeGroups struct {
	pulumi.ResourceState

	NodeRoleArn pulumi.StringOutput
	// Groups holds the node group resources by name, for dependencies.
	Groups map[string]*NodeGroup
}

// NewNodeGroups declares the node role and every group.
func NewNodeGroups(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*NodeGroups, error) {
	n := &NodeGroups{Groups: map[string]*NodeGroup{}}
	if err := ctx.RegisterComponentResource("mlops:nodegroups:NodeGroups", name, n, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(n)
	role, attachments, err := declareNodeRole(ctx, name, args, child)
	if err != nil {
		return nil, err
	}
	n.NodeRoleArn = role.Arn
	deps := append(append([]pulumi.Resource{}, attachments...), args.Before...)
	for _, g := range args.Groups {
		ng, err := declareGroup(ctx, name, args, g, role, deps, child)
		if err != nil {
			return nil, err
		}
		n.Groups[g.Name] = ng
	}
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{"nodeRoleArn": n.NodeRoleArn})
}

func declareNodeRole(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*iam.Role, []pulumi.Resource, error) {
	role, err := boundary.NewRole(ctx, name+"-node-role", args.PermissionsBoundary, &iam.RoleArgs{
		Description:      pulumi.String("EKS managed node group instances"),
		AssumeRolePolicy: pulumi.String(iampolicy.ServiceTrust("ec2.amazonaws.com")),
	}, child)
	if err != nil {
		return nil, nil, fmt.Errorf("declaring node role: %w", err)
	}
	var deps []pulumi.Resource
	policies := NodePolicies
	if args.SSMAccess {
		policies = append(append([]string{}, NodePolicies...), SSMPolicy)
	}
	for _, p := range policies {
		a, err := iam.NewRolePolicyAttachment(ctx, name+"-node-"+p, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/%s", args.Partition, p),
		}, child)
		if err != nil {
			return nil, nil, fmt.Errorf("attaching %s to node role: %w", p, err)
		}
		deps = append(deps, a)
	}
	return role, deps, nil
}

func declareGroup(ctx *pulumi.Context, name string, args *Args, g Group, role *iam.Role, deps []pulumi.Resource, child pulumi.ResourceOption) (*NodeGroup, error) {
	res := name + "-" + g.Name
	lt, err := declareLaunchTemplate(ctx, res, args, g, child)
	if err != nil {
		return nil, err
	}
	taints := eks.NodeGroupTaintArray{}
	for _, t := range g.Taints {
		taints = append(taints, eks.NodeGroupTaintArgs{Key: pulumi.String(t.Key), Value: pulumi.String(t.Value), Effect: pulumi.String(eksEffect(t.Effect))})
	}
	version := args.KubernetesVersion
	if g.Version != "" {
		version = pulumi.String(g.Version)
	}
	ng, err := eks.NewNodeGroup(ctx, res, &eks.NodeGroupArgs{
		ClusterName: args.ClusterName,
		// A prefix, not a fixed name: changing instance types, capacity or
		// AMI type, or subnets replaces the group, and Pulumi creates the
		// replacement before deleting the old one. EKS refuses a second
		// group of the same name; a prefixed name never collides, and the
		// old group keeps serving until the new one is up.
		NodeGroupNamePrefix: pulumi.String(NamePrefix(g.Name)),
		Version:             version.ToStringOutput(),
		NodeRoleArn:         role.Arn,
		SubnetIds:           args.SubnetIDs,
		InstanceTypes:       pulumi.ToStringArray(g.InstanceTypes),
		CapacityType:        pulumi.String(g.CapacityType),
		AmiType:             pulumi.String(g.AmiType),
		ScalingConfig: eks.NodeGroupScalingConfigArgs{
			MinSize:     pulumi.Int(g.MinSize),
			DesiredSize: pulumi.Int(g.DesiredSize),
			MaxSize:     pulumi.Int(g.MaxSize),
		},
		Labels: pulumi.ToStringMap(g.Labels),
		Taints: taints,
		LaunchTemplate: eks.NodeGroupLaunchTemplateArgs{
			Id:      lt.ID().ToStringOutput(),
			Version: pulumi.Sprintf("%v", lt.LatestVersion),
		},
		UpdateConfig: eks.NodeGroupUpdateConfigArgs{MaxUnavailablePercentage: pulumi.Int(33)},
	}, child, pulumi.DependsOn(deps), desiredSizeOwner(g))
	if err != nil {
		return nil, fmt.Errorf("declaring node group %s: %w", g.Name, err)
	}
	asgName := ng.Resources.Index(pulumi.Int(0)).AutoscalingGroups().Index(pulumi.Int(0)).Name().Elem()
	for _, tag := range AutoscalerTags(g) {
		if _, err := autoscaling.NewTag(ctx, res+"-"+tagSlug(tag[0]), &autoscaling.TagArgs{
			AutoscalingGroupName: asgName,
			Tag: autoscaling.TagTagArgs{
				Key:               pulumi.String(tag[0]),
				Value:             pulumi.String(tag[1]),
				PropagateAtLaunch: pulumi.Bool(false),
			},
		}, child); err != nil {
			return nil, fmt.Errorf("tagging Auto Scaling group of %s: %w", g.Name, err)
		}
	}
	return ng, nil
}

// declareLaunchTemplate requires IMDSv2 with a hop limit of 1 (pods cannot
// reach the node's credentials), encrypts the root volume with the
// customer-managed key, and sets no key pair (no SSH).
func declareLaunchTemplate(ctx *pulumi.Context, res string, args *Args, g Group, child pulumi.ResourceOption) (*ec2.LaunchTemplate, error) {
	tags := pulumi.StringMap{}
	for k, v := range args.Tags {
		tags[k] = pulumi.String(v)
	}
	tags["Name"] = pulumi.Sprintf("%s-%s", args.ClusterName, g.Name)
	var specs ec2.LaunchTemplateTagSpecificationArray
	for _, rt := range []string{"instance", "volume", "network-interface"} {
		specs = append(specs, ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String(rt), Tags: tags})
	}
	lt, err := ec2.NewLaunchTemplate(ctx, res, &ec2.LaunchTemplateArgs{
		Description: pulumi.Sprintf("%s node group %s", args.ClusterName, g.Name),
		// No public address even in a subnet that maps one. EKS forbids a
		// subnet here (the group names them) but allows the interface;
		// naming the cluster security group keeps what EKS would apply.
		NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{
			ec2.LaunchTemplateNetworkInterfaceArgs{
				DeviceIndex:              pulumi.Int(0),
				AssociatePublicIpAddress: pulumi.String("false"),
				DeleteOnTermination:      pulumi.String("true"),
				SecurityGroups:           pulumi.StringArray{args.ClusterSecurityGroupID},
			},
		},
		MetadataOptions: ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{
			ec2.LaunchTemplateBlockDeviceMappingArgs{
				DeviceName: pulumi.String("/dev/xvda"),
				Ebs: ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
					VolumeSize:          pulumi.Int(g.DiskSizeGb),
					VolumeType:          pulumi.String("gp3"),
					Encrypted:           pulumi.String("true"),
					KmsKeyId:            args.VolumeKeyArn.ToStringOutput(),
					DeleteOnTermination: pulumi.String("true"),
				},
			},
		},
		TagSpecifications:    specs,
		UpdateDefaultVersion: pulumi.Bool(true),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring launch template of %s: %w", g.Name, err)
	}
	return lt, nil
}

// NamePrefix is the prefix of a group's EKS name; EKS appends a unique
// suffix, so a replacement group never collides with the one it replaces.
func NamePrefix(group string) string { return group + "-" }

// AutoscalerTags returns the node-template tags, as key/value pairs in a
// stable order, that describe a node of g to the cluster autoscaler.
func AutoscalerTags(g Group) [][2]string {
	var out [][2]string
	for k, v := range g.Labels {
		out = append(out, [2]string{AutoscalerTemplatePrefix + "label/" + k, v})
	}
	for _, t := range g.Taints {
		out = append(out, [2]string{AutoscalerTemplatePrefix + "taint/" + t.Key, t.Value + ":" + t.Effect})
	}
	for k, v := range g.Resources {
		out = append(out, [2]string{AutoscalerTemplatePrefix + "resources/" + k, v})
	}
	if g.MinSize == 0 {
		// A group at zero has no node to read the disk from; without this
		// the autoscaler assumes no ephemeral storage and will not scale up
		// for pods that request some.
		out = append(out, [2]string{AutoscalerTemplatePrefix + "resources/ephemeral-storage", fmt.Sprintf("%dGi", g.DiskSizeGb)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func tagSlug(key string) string {
	s := strings.TrimPrefix(key, AutoscalerTemplatePrefix)
	return strings.NewReplacer("/", "-", ".", "-").Replace(s)
}

// NodeGroup is a registered aws:eks/nodeGroup:NodeGroup and the resources
// EKS made for it (its Auto Scaling group).
type NodeGroup = eks.NodeGroup

// desiredSizeOwner leaves a live group's desired size to the autoscaler,
// which owns the running count, so a deploy does not reset it; except on
// a deploy that applies it (Capacity.ApplyDesiredSize), where EKS needs
// desiredSize >= a raised minSize in the same UpdateNodegroupConfig.
func desiredSizeOwner(g Group) pulumi.ResourceOption {
	if g.ApplyDesiredSize {
		return pulumi.IgnoreChanges(nil)
	}
	return pulumi.IgnoreChanges([]string{"scalingConfig.desiredSize"})
}
