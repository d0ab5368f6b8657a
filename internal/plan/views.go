package plan

import (
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// The typed views of the graph: each reads one kind of resource's inputs,
// by their Pulumi wire names, in one place, so readers (cost, diagram,
// verify, deploy time, the simulated cluster, the tests) never spell a
// property name. Each view keeps the Resource it was read from.

// Cluster is an EKS cluster as declared.
type Cluster struct {
	Resource Resource
	// Name is the cluster's EKS name ("" when the program leaves it to AWS).
	Name, Version string
	// SupportType is upgradePolicy.supportType, "" when not declared.
	SupportType                     string
	PublicEndpoint, PrivateEndpoint bool
	// SecretsKeyArn is the KMS key that envelope-encrypts secrets.
	SecretsKeyArn string
	LogTypes      []string
}

// ClusterOf reads an aws:eks/cluster:Cluster resource.
func ClusterOf(r Resource) Cluster {
	pub, _ := r.Bool("vpcConfig.endpointPublicAccess")
	priv, _ := r.Bool("vpcConfig.endpointPrivateAccess")
	return Cluster{Resource: r, Name: r.String("name"), Version: r.String("version"),
		SupportType: r.String("upgradePolicy.supportType"), PublicEndpoint: pub, PrivateEndpoint: priv,
		SecretsKeyArn: r.String("encryptionConfig.provider.keyArn"), LogTypes: r.Strings("enabledClusterLogTypes")}
}

// Clusters are the graph's EKS clusters, in URN order.
func (g *Graph) Clusters() []Cluster { return viewAll(g, typetoken.Cluster, ClusterOf) }

// Scaling is a node group's scaling configuration.
type Scaling struct{ Min, Desired, Max int }

// Taint is a node group's Kubernetes taint, with the EKS API's effect
// name (NO_SCHEDULE, NO_EXECUTE, PREFER_NO_SCHEDULE).
type Taint struct{ Key, Value, Effect string }

// ManagedNodeGroup is an EKS managed node group as declared.
type ManagedNodeGroup struct {
	Resource Resource
	// Name is the platform's name: the EKS name, or the EKS name prefix
	// without its trailing '-' (EKS adds a unique suffix).
	Name string
	// EKSName is the fixed EKS name, NamePrefix the EKS name prefix; one
	// of them is set.
	EKSName, NamePrefix      string
	ClusterName, Version     string
	CapacityType, AmiType    string
	InstanceTypes, SubnetIDs []string
	Labels                   map[string]string
	Taints                   []Taint
	// Scaling is nil when the group declares no scaling configuration.
	Scaling *Scaling
	// LaunchTemplateID is the physical ID of the launch template it uses.
	LaunchTemplateID string
	// DiskSize is the root volume's size in GB, 0 when not declared.
	DiskSize int
}

// ManagedNodeGroupOf reads an aws:eks/nodeGroup:NodeGroup resource.
func ManagedNodeGroupOf(r Resource) ManagedNodeGroup {
	ng := ManagedNodeGroup{Resource: r, EKSName: r.String("nodeGroupName"), NamePrefix: r.String("nodeGroupNamePrefix"),
		ClusterName: r.String("clusterName"), Version: r.String("version"),
		CapacityType: r.String("capacityType"), AmiType: r.String("amiType"),
		InstanceTypes: r.Strings("instanceTypes"), SubnetIDs: r.Strings("subnetIds"),
		Labels: r.StringMap("labels"), LaunchTemplateID: r.String("launchTemplate.id")}
	ng.Name = ng.EKSName
	if ng.Name == "" {
		ng.Name = strings.TrimSuffix(ng.NamePrefix, "-")
	}
	ng.DiskSize, _ = r.Int("diskSize")
	minSize, okMin := r.Int("scalingConfig.minSize")
	desired, okDesired := r.Int("scalingConfig.desiredSize")
	maxSize, okMax := r.Int("scalingConfig.maxSize")
	if okMin && okDesired && okMax {
		ng.Scaling = &Scaling{Min: minSize, Desired: desired, Max: maxSize}
	}
	taints, _ := r.Input("taints")
	list, _ := taints.([]any)
	for _, x := range list {
		m, _ := x.(map[string]any)
		t := Resource{Inputs: m}
		ng.Taints = append(ng.Taints, Taint{Key: t.String("key"), Value: t.String("value"), Effect: t.String("effect")})
	}
	return ng
}

// ManagedNodeGroups are the graph's managed node groups, in URN order.
func (g *Graph) ManagedNodeGroups() []ManagedNodeGroup {
	return viewAll(g, typetoken.NodeGroup, ManagedNodeGroupOf)
}

// ManagedNodeGroup returns the node group with the platform's name
// ("general", "training", "gpu").
func (g *Graph) ManagedNodeGroup(name string) (ManagedNodeGroup, bool) {
	for _, ng := range g.ManagedNodeGroups() {
		if ng.Name == name {
			return ng, true
		}
	}
	return ManagedNodeGroup{}, false
}

// NodeGroup returns the resource of the node group with the platform's
// name; ManagedNodeGroup is its typed view.
func NodeGroup(g *Graph, name string) (Resource, bool) {
	ng, ok := g.ManagedNodeGroup(name)
	return ng.Resource, ok
}

// NodeGroupName is the platform's name of a node group resource.
func NodeGroupName(r Resource) string { return ManagedNodeGroupOf(r).Name }

// Addon is an EKS managed add-on as declared.
type Addon struct {
	Resource                   Resource
	Name, Version, ClusterName string
	// RoleArn is the IRSA role of the add-on's service account, "" for
	// none.
	RoleArn string
}

// AddonOf reads an aws:eks/addon:Addon resource.
func AddonOf(r Resource) Addon {
	return Addon{Resource: r, Name: r.String("addonName"), Version: r.String("addonVersion"), ClusterName: r.String("clusterName"),
		RoleArn: r.String("serviceAccountRoleArn")}
}

// Addons are the graph's EKS add-ons, in URN order.
func (g *Graph) Addons() []Addon { return viewAll(g, typetoken.Addon, AddonOf) }

// HasAddon reports whether the graph declares the add-on named name.
func (g *Graph) HasAddon(name string) bool {
	return slices.ContainsFunc(g.Addons(), func(a Addon) bool { return a.Name == name })
}

// viewAll reads every resource of one type through of.
func viewAll[V any](g *Graph, typ string, of func(Resource) V) []V {
	var out []V
	for _, r := range g.ByType(typ) {
		out = append(out, of(r))
	}
	return out
}
