package plan

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Row is one row of the requirements document's Key Differences table,
// with the value read from the evaluated graph.
type Row struct {
	Feature string `json:"feature"`
	Value   string `json:"value"`
}

// KeyDifferences reads the document's Key Differences rows off the graph.
func KeyDifferences(g *Graph) []Row {
	return []Row{
		{"EKS Endpoint", endpoint(g)},
		{"Node Count", nodeGroupField(g, "general", "scalingConfig.minSize", "%v (min)")},
		{"Instance Types", nodeGroupField(g, "general", "instanceTypes", "%s")},
		{"NAT Gateway", natGateways(g)},
		{"RDS Multi-AZ", yesNo(dbField(g, "multiAz"))},
		{"RDS Backups", fmt.Sprintf("%v day(s)", dbField(g, "backupRetentionPeriod"))},
		{"Deletion Protection", yesNo(dbField(g, "deletionProtection"))},
		{"Container Insights", containerInsights(g)},
	}
}

func endpoint(g *Graph) string {
	cl := g.ByType(typetoken.Cluster)
	if len(cl) != 1 {
		return fmt.Sprintf("(%d clusters)", len(cl))
	}
	pub, _ := cl[0].Input("vpcConfig.endpointPublicAccess")
	priv, _ := cl[0].Input("vpcConfig.endpointPrivateAccess")
	switch {
	case pub == true && priv == true:
		return "Public + Private"
	case priv == true:
		return "Private only"
	case pub == true:
		return "Public only"
	}
	return "none"
}

// NodeGroup returns the node group named name ("general", "training", "gpu").
func NodeGroup(g *Graph, name string) (Resource, bool) {
	for _, r := range g.ByType(typetoken.NodeGroup) {
		if NodeGroupName(r) == name {
			return r, true
		}
	}
	return Resource{}, false
}

// NodeGroupName is the platform's name of a node group: its fixed EKS name,
// or its EKS name prefix without the trailing '-' (EKS adds a unique suffix).
func NodeGroupName(r Resource) string {
	if n, ok := r.Inputs["nodeGroupName"].(string); ok && n != "" {
		return n
	}
	p, _ := r.Inputs["nodeGroupNamePrefix"].(string)
	return strings.TrimSuffix(p, "-")
}

func nodeGroupField(g *Graph, group, path, format string) string {
	r, ok := NodeGroup(g, group)
	if !ok {
		return "(no " + group + " group)"
	}
	v, _ := r.Input(path)
	if list, ok := v.([]any); ok {
		parts := make([]string, len(list))
		for i, e := range list {
			parts[i] = fmt.Sprint(e)
		}
		return fmt.Sprintf(format, strings.Join(parts, "/"))
	}
	return fmt.Sprintf(format, v)
}

func natGateways(g *Graph) string {
	n := len(g.ByType(typetoken.NatGateway))
	switch n {
	case 1:
		return "Single"
	case 0:
		return "None"
	}
	return fmt.Sprintf("One per AZ (%d)", n)
}

func dbField(g *Graph, path string) any {
	db := g.ByType(typetoken.DBInstance)
	if len(db) != 1 {
		return nil
	}
	v, _ := db[0].Input(path)
	return v
}

func yesNo(v any) string {
	switch v {
	case true:
		return "Yes"
	case false:
		return "No"
	}
	return fmt.Sprint(v)
}

func containerInsights(g *Graph) string {
	for _, r := range g.ByType(typetoken.Addon) {
		if r.Inputs["addonName"] == "amazon-cloudwatch-observability" {
			return "Enabled"
		}
	}
	return "Disabled"
}
