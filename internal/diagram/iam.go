package diagram

import (
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// iam draws the IAM roles, the IRSA ones (assumed with a web identity)
// in a box of their own. Each is labelled with who assumes it: service
// accounts (namespace/name) or AWS service principals.
func (b *builder) iam() []Cluster {
	roles := b.byType(typetoken.Role)
	if len(roles) == 0 {
		return nil
	}
	c := Cluster{ID: "cluster_iam", Label: "IAM roles", Attrs: style["iam"]}
	irsa := Cluster{ID: "cluster_irsa", Label: "IRSA (cluster OIDC)", Attrs: style["irsa"]}
	for _, r := range roles {
		t := plan.RoleOf(r)
		if t.WebIdentity {
			irsa.Nodes = append(irsa.Nodes, b.node("role", r, lines(r.Name, strings.Join(t.ServiceAccounts, " ")), style["role"]))
			continue
		}
		c.Nodes = append(c.Nodes, b.node("role", r, lines(r.Name, strings.Join(t.Services, " ")), style["role"]))
	}
	if len(irsa.Nodes) > 0 {
		c.Clusters = append(c.Clusters, irsa)
	}
	return []Cluster{c}
}
