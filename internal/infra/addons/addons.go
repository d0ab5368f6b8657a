// Package addons declares the EKS managed add-ons: the VPC CNI with network
// policy enforcement, CoreDNS, kube-proxy, the EBS CSI driver with its IRSA
// role, the Pod Identity agent and, when enabled, CloudWatch observability
// (Container Insights).
package addons

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/eks"
)

// Add-on names as EKS spells them.
const (
	VpcCni                  = "vpc-cni"
	CoreDNS                 = "coredns"
	KubeProxy               = "kube-proxy"
	EBSCSIDriver            = "aws-ebs-csi-driver"
	PodIdentityAgent        = "eks-pod-identity-agent"
	CloudWatchObservability = "amazon-cloudwatch-observability"
)

// VpcCniConfiguration turns on the CNI's network policy agent, without
// which Kubernetes NetworkPolicies are accepted but not enforced.
const VpcCniConfiguration = `{"enableNetworkPolicy":"true"}`

// Args configures the add-ons.
type Args struct {
	ClusterName pulumi.StringInput
	// Versions pins add-ons by name (spec.AddonVersions for the cluster's
	// minor); an add-on without an entry takes EKS's default for the minor.
	Versions map[string]string
	// VpcCniRoleArn is the VPC CNI's own IRSA role.
	VpcCniRoleArn pulumi.StringInput
	// EBSCSIRoleArn and CloudWatchAgentRoleArn are the add-ons' IRSA roles.
	EBSCSIRoleArn          pulumi.StringInput
	CloudWatchAgentRoleArn pulumi.StringInput
	// ContainerInsights installs amazon-cloudwatch-observability.
	ContainerInsights bool
	// ContainerInsightsLogGroups must exist before the agent writes to them.
	ContainerInsightsLogGroups []pulumi.Resource
}

// Addons is the add-on component.
type Addons struct {
	pulumi.ResourceState

	// installed maps add-on names to their resources.
	installed map[string]pulumi.Resource
	name      string
	args      *Args
}

// Resources lists the installed add-ons in name order. Callers depend on
// these rather than on the component: a component's children are collected
// as they register, so depending on it races with add-ons still waiting
// for their node groups.
func (a *Addons) Resources() []pulumi.Resource {
	names := make([]string, 0, len(a.installed))
	for n := range a.installed {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]pulumi.Resource, 0, len(names))
	for _, n := range names {
		out = append(out, a.installed[n])
	}
	return out
}

type addon struct {
	name   string
	role   pulumi.StringInput
	config string
	deps   []pulumi.Resource
}

// NewAddons declares the component and the add-ons that need no nodes:
// the VPC CNI (with its IRSA role), kube-proxy and the Pod Identity agent,
// all DaemonSets, so EKS reports them active on a cluster without nodes.
// The node groups wait for the VPC CNI (BeforeNodes), as
// terraform-aws-eks's before_compute orders it. WithNodes declares the
// rest.
func NewAddons(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Addons, error) {
	a := &Addons{installed: map[string]pulumi.Resource{}, name: name, args: args}
	if err := ctx.RegisterComponentResource("mlops:addons:Addons", name, a, opts...); err != nil {
		return nil, err
	}
	return a, a.declare(ctx, []addon{
		{name: VpcCni, config: VpcCniConfiguration, role: args.VpcCniRoleArn},
		{name: KubeProxy},
		{name: PodIdentityAgent},
	})
}

// BeforeNodes are the add-ons the node groups wait for.
func (a *Addons) BeforeNodes() []pulumi.Resource { return a.Of(VpcCni) }

// WithNodes declares the add-ons whose pods need nodes to turn healthy
// (CoreDNS, the CSI controller, the CloudWatch agent), after nodeGroups.
func (a *Addons) WithNodes(ctx *pulumi.Context, nodeGroups []pulumi.Resource) error {
	list := []addon{
		{name: CoreDNS, deps: nodeGroups},
		{name: EBSCSIDriver, role: a.args.EBSCSIRoleArn, deps: nodeGroups},
	}
	if a.args.ContainerInsights {
		deps := append(append([]pulumi.Resource{}, nodeGroups...), a.args.ContainerInsightsLogGroups...)
		list = append(list, addon{name: CloudWatchObservability, role: a.args.CloudWatchAgentRoleArn, deps: deps})
	}
	if err := a.declare(ctx, list); err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(a, pulumi.Map{})
}

func (a *Addons) declare(ctx *pulumi.Context, list []addon) error {
	for _, ad := range list {
		addonArgs := &eks.AddonArgs{
			ClusterName:              a.args.ClusterName,
			AddonName:                pulumi.String(ad.name),
			ResolveConflictsOnCreate: pulumi.String("OVERWRITE"),
			ResolveConflictsOnUpdate: pulumi.String("PRESERVE"),
		}
		if v := a.args.Versions[ad.name]; v != "" {
			addonArgs.AddonVersion = pulumi.String(v)
		}
		if ad.role != nil {
			addonArgs.ServiceAccountRoleArn = ad.role.ToStringOutput()
		}
		if ad.config != "" {
			addonArgs.ConfigurationValues = pulumi.String(ad.config)
		}
		res, err := eks.NewAddon(ctx, a.name+"-"+ad.name, addonArgs, pulumi.Parent(a), pulumi.DependsOn(ad.deps))
		if err != nil {
			return fmt.Errorf("declaring add-on %s: %w", ad.name, err)
		}
		a.installed[ad.name] = res
	}
	return nil
}

// Of returns the installed add-ons among names, in that order (an add-on
// not installed, such as CloudWatch's without Container Insights, is
// skipped).
func (a *Addons) Of(names ...string) []pulumi.Resource {
	var out []pulumi.Resource
	for _, n := range names {
		if r, ok := a.installed[n]; ok {
			out = append(out, r)
		}
	}
	return out
}
