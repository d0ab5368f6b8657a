package infra_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// check is one statement of the requirements document or the foundation
// issue, asserted on an evaluated graph.
type check struct {
	name string
	// stacks the check holds for; the other stack may legitimately differ.
	stacks []string
	fn     func(g *plan.Graph) error
	// breakIt changes a copy of the graph so that the statement is false;
	// the check must then fail, proving it can.
	breakIt func(g *plan.Graph)
}

var both = []string{"dev", "prod"}

// Types the checks read.
const (
	tCluster   = typetoken.Cluster
	tNodeGroup = typetoken.NodeGroup
	tLT        = typetoken.LaunchTemplate
	tNAT       = typetoken.NatGateway
	tEIP       = typetoken.Eip
	tSubnet    = typetoken.Subnet
	tRoute     = typetoken.Route
	tRTA       = typetoken.RouteTableAssociation
	tVpc       = typetoken.Vpc
	tDB        = typetoken.DBInstance
	tLogGroup  = typetoken.LogGroup
	tKey       = typetoken.KMSKey
	tRole      = typetoken.Role
	tRolePol   = typetoken.RolePolicy
	tAddon     = typetoken.Addon
	tASGTag    = typetoken.AutoscalingTag
	tBucket    = typetoken.Bucket
	tProvider  = typetoken.ProviderAWS
)

func in(g *plan.Graph, r plan.Resource, path string) any {
	v, _ := r.Input(path)
	return v
}

func only(g *plan.Graph, typ string) (plan.Resource, error) {
	rs := g.ByType(typ)
	if len(rs) != 1 {
		return plan.Resource{}, fmt.Errorf("want one %s, got %d", typ, len(rs))
	}
	return rs[0], nil
}

func expect(r plan.Resource, path string, want any) error {
	got, ok := r.Input(path)
	if !ok {
		return fmt.Errorf("%s: %s is not set (want %v)", r.Name, path, want)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("%s: %s = %v, want %v", r.Name, path, got, want)
	}
	return nil
}

func expectAll(g *plan.Graph, typ, path string, want any) error {
	rs := g.ByType(typ)
	if len(rs) == 0 {
		return fmt.Errorf("no %s declared", typ)
	}
	for _, r := range rs {
		if err := expect(r, path, want); err != nil {
			return err
		}
	}
	return nil
}

// set changes an input of every resource of typ (name "" for all) in g.
func set(g *plan.Graph, typ, name, path string, v any) {
	for i := range g.Resources {
		r := &g.Resources[i]
		if r.Type != typ || (name != "" && r.Name != name) {
			continue
		}
		parts := strings.Split(path, ".")
		m := r.Inputs
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[parts[len(parts)-1]] = v
	}
}

// drop removes every resource of typ whose name contains fragment.
func drop(g *plan.Graph, typ, fragment string) {
	g.Resources = slices.DeleteFunc(g.Resources, func(r plan.Resource) bool {
		return r.Type == typ && strings.Contains(r.Name, fragment)
	})
	*g = *plan.NewGraph(g.Stack, g.Project, g.Resources)
}

// privateSubnetIDs maps the private subnets' IDs to their zones.
func privateSubnetIDs(g *plan.Graph) map[string]string {
	ids := map[string]string{}
	for _, r := range g.ByType(tSubnet) {
		if strings.Contains(r.Name, "-private-") {
			ids[r.ID] = fmt.Sprint(r.Inputs["availabilityZone"])
		}
	}
	return ids
}

// keyArns returns the ARNs dependents saw for the customer-managed keys.
func keyArns(g *plan.Graph) map[string]bool {
	arns := map[string]bool{}
	for _, k := range g.ByType(tKey) {
		arns["arn:aws:kms:eu-west-1:"+engine.AccountID+":key/"+k.ID] = true
	}
	return arns
}

var _ = stacktest.Now
