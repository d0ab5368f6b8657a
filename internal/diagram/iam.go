package diagram

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// serviceAccountPrefix starts the subject of a service account's token.
const serviceAccountPrefix = "system:serviceaccount:"

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
		t := readTrust(str(r, "assumeRolePolicy"))
		if t.webIdentity {
			irsa.Nodes = append(irsa.Nodes, b.node("role", r, lines(r.Name, strings.Join(t.subjects, " ")), style["role"]))
			continue
		}
		c.Nodes = append(c.Nodes, b.node("role", r, lines(r.Name, strings.Join(t.services, " ")), style["role"]))
	}
	if len(irsa.Nodes) > 0 {
		c.Clusters = append(c.Clusters, irsa)
	}
	return []Cluster{c}
}

// trust is what a role's trust policy says about who assumes it.
type trust struct {
	webIdentity bool
	// subjects are the service accounts ("namespace/name") a web identity
	// role admits; services the AWS service principals, without the
	// ".amazonaws.com".
	subjects, services []string
}

// readTrust reads a trust policy document; anything it cannot parse
// yields an empty trust.
func readTrust(doc string) trust {
	var p struct {
		Statement []struct {
			Action    any
			Principal map[string]any
			Condition map[string]map[string]any
		}
	}
	var t trust
	if json.Unmarshal([]byte(doc), &p) != nil {
		return t
	}
	for _, s := range p.Statement {
		for _, a := range anyStrings(s.Action) {
			if a == "sts:AssumeRoleWithWebIdentity" {
				t.webIdentity = true
			}
		}
		for _, svc := range anyStrings(s.Principal["Service"]) {
			t.services = append(t.services, strings.TrimSuffix(svc, ".amazonaws.com"))
		}
		for _, cond := range s.Condition {
			for key, v := range cond {
				if !strings.HasSuffix(key, ":sub") {
					continue
				}
				for _, sub := range anyStrings(v) {
					if sa, ok := strings.CutPrefix(sub, serviceAccountPrefix); ok {
						t.subjects = append(t.subjects, strings.Replace(sa, ":", "/", 1))
					}
				}
			}
		}
	}
	sort.Strings(t.subjects)
	sort.Strings(t.services)
	return t
}

// anyStrings is a JSON string or list of strings as a slice.
func anyStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
