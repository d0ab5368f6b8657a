package plan

import (
	"fmt"
	"strings"
)

// Row is one row of the requirements document's Key Differences table,
// with the value read from the evaluated graph.
type Row struct {
	Feature string `json:"feature"`
	Value   string `json:"value"`
}

// ContainerInsightsAddon is the EKS add-on that runs Container Insights.
const ContainerInsightsAddon = "amazon-cloudwatch-observability"

// KeyDifferences reads the document's Key Differences rows off the graph.
func KeyDifferences(g *Graph) []Row {
	multiAZ, backups, protection := "<nil>", "<nil> day(s)", "<nil>"
	if dbs := g.Databases(); len(dbs) == 1 {
		multiAZ, protection = yesNo(dbs[0].MultiAZ), yesNo(dbs[0].DeletionProtection)
		backups = fmt.Sprintf("%d day(s)", dbs[0].BackupRetentionDays)
	}
	insights := "Disabled"
	if g.HasAddon(ContainerInsightsAddon) {
		insights = "Enabled"
	}
	return []Row{
		{"EKS Endpoint", endpoint(g)},
		{"Node Count", generalGroup(g, func(ng ManagedNodeGroup) string {
			if ng.Scaling == nil {
				return "<nil> (min)"
			}
			return fmt.Sprintf("%d (min)", ng.Scaling.Min)
		})},
		{"Instance Types", generalGroup(g, func(ng ManagedNodeGroup) string { return strings.Join(ng.InstanceTypes, "/") })},
		{"NAT Gateway", natGateways(g)},
		{"RDS Multi-AZ", multiAZ},
		{"RDS Backups", backups},
		{"Deletion Protection", protection},
		{"Container Insights", insights},
	}
}

func endpoint(g *Graph) string {
	cl := g.Clusters()
	if len(cl) != 1 {
		return fmt.Sprintf("(%d clusters)", len(cl))
	}
	switch c := cl[0]; {
	case c.PublicEndpoint && c.PrivateEndpoint:
		return "Public + Private"
	case c.PrivateEndpoint:
		return "Private only"
	case c.PublicEndpoint:
		return "Public only"
	}
	return "none"
}

// generalGroup formats a field of the general node group.
func generalGroup(g *Graph, field func(ManagedNodeGroup) string) string {
	ng, ok := g.ManagedNodeGroup("general")
	if !ok {
		return "(no general group)"
	}
	return field(ng)
}

func natGateways(g *Graph) string {
	n := len(g.NatGateways())
	switch n {
	case 1:
		return "Single"
	case 0:
		return "None"
	}
	return fmt.Sprintf("One per AZ (%d)", n)
}

func yesNo(v bool) string {
	if v {
		return "Yes"
	}
	return "No"
}
