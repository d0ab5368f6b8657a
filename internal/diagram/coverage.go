package diagram

import (
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// shown are the types the diagram draws: every resource of them is a node.
var shown = []string{
	typetoken.Vpc, typetoken.Subnet, typetoken.NatGateway, typetoken.InternetGateway, typetoken.VpcEndpoint,
	typetoken.EC2Instance, typetoken.Cluster, typetoken.NodeGroup, typetoken.Addon,
	typetoken.DBInstance, typetoken.Bucket, typetoken.BucketLegacy, typetoken.KMSKey, typetoken.SNSTopic,
	typetoken.Role, typetoken.HelmRelease, typetoken.Job, typetoken.ServiceAccount,
	typetoken.NodePool, typetoken.SQSQueue,
}

// omitted are the types the diagram leaves out on purpose: detail of a
// drawn resource (policies, route tables, bucket settings, launch
// templates), or drawn as a box or an edge instead of a node (VPC,
// namespace, subnet group).
var omitted = []string{
	typetoken.AccessEntry, typetoken.AccessPolicyAssociation, typetoken.AutoscalingTag,
	typetoken.BucketLifecycle, typetoken.BucketLogging, typetoken.BucketOwnershipControls, typetoken.BucketPolicy,
	typetoken.BucketPublicAccessBlock, typetoken.BucketEncryption, typetoken.BucketVersioning,
	typetoken.DBParameterGroup, typetoken.DBSubnetGroup, typetoken.DefaultKmsKey, typetoken.DefaultSecurityGroup,
	typetoken.Eip, typetoken.EncryptionByDefault, typetoken.FlowLog, typetoken.InstanceProfile, typetoken.KMSAlias,
	typetoken.SSMDocument,
	typetoken.LaunchTemplate, typetoken.LogGroup, typetoken.OIDCProvider, typetoken.RolePolicy,
	typetoken.RolePolicyAttachment, typetoken.Route, typetoken.RouteTable, typetoken.RouteTableAssociation,
	typetoken.SecurityGroup, typetoken.SecurityGroupIngressRule, typetoken.UserPolicyAttachment,
	typetoken.Ingress, typetoken.LimitRange, typetoken.Namespace, typetoken.NetworkPolicy,
	typetoken.PodDisruptionBudget, typetoken.ResourceQuota, typetoken.Secret, typetoken.StorageClass,
	// Karpenter's detail: the classes, the queue's policy, the rules that
	// feed it and the discovery tags (drawn as the pools' subnet edges).
	typetoken.EC2NodeClass, typetoken.SQSQueuePolicy, typetoken.EventRule, typetoken.EventTarget, typetoken.EC2Tag,
	// The GPU dashboard's ConfigMap: Grafana's content, drawn as Grafana's release.
	typetoken.ConfigMap,
}

// missing lists "type name" for each resource of a shown type that has no
// node in d, sorted.
func missing(g *plan.Graph, d *Diagram) []string {
	drawn := d.drawn()
	var out []string
	for _, t := range shown {
		for _, r := range g.ByType(t) {
			if !drawn[r.URN] {
				out = append(out, t+" "+r.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// unclassified lists the types of g that are neither shown nor omitted,
// ignoring providers and the platform's components, sorted.
func unclassified(g *plan.Graph) []string {
	known := map[string]bool{}
	for _, t := range append(append([]string{}, shown...), omitted...) {
		known[t] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range g.Resources {
		t := r.Type
		if known[t] || seen[t] || strings.HasPrefix(t, typetoken.ProviderPrefix) || strings.HasPrefix(t, typetoken.ComponentPrefix) {
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// drawn are the URNs of the resources the diagram draws as a node or a
// box.
func (d *Diagram) drawn() map[string]bool {
	out := map[string]bool{}
	for _, n := range d.allNodes() {
		out[n.URN] = true
	}
	var walk func([]Cluster)
	walk = func(cs []Cluster) {
		for _, c := range cs {
			out[c.URN] = true
			walk(c.Clusters)
		}
	}
	walk(d.Clusters)
	delete(out, "")
	return out
}

// allNodes are the diagram's nodes, in boxes or not, in DOT order.
func (d *Diagram) allNodes() []Node {
	out := append([]Node{}, d.Nodes...)
	var walk func([]Cluster)
	walk = func(cs []Cluster) {
		for _, c := range cs {
			out = append(out, c.Nodes...)
			walk(c.Clusters)
		}
	}
	walk(d.Clusters)
	return out
}
