package deployerpolicy

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
)

// notGranted are actions the provider's source calls for a type that the
// policy leaves out on purpose: each is reached only under the condition
// named, which the program never meets. The check requires every call of
// the action to be under that condition, so an exclusion cannot hide a
// call the provider makes unconditionally.
var notGranted = map[string]struct{ when, why string }{
	"aws:iam/role:Role iam:DeleteRolePermissionsBoundary": {
		when: `permissionsBoundary == ""`,
		why: "resourceRoleUpdate removes the boundary only when permissions_boundary is unset; every role the program " +
			"declares carries the stack's boundary (graphBoundary fails otherwise), and granting it would let the " +
			"deployer strip a role's boundary",
	},
	// resourceSubnetDelete first deletes ENIs that Lambda, Comprehend or
	// DMS left in the subnet (deleteLingeringENIs); the platform runs none
	// of them, and granting ENI deletion would let the deployer remove
	// any ENI, the cluster's included.
	"aws:ec2/subnet:Subnet ec2:DetachNetworkInterface": {when: "lingering", why: "only for lingering Lambda/Comprehend/DMS ENIs"},
	"aws:ec2/subnet:Subnet ec2:DeleteNetworkInterface": {when: "lingering", why: "only for lingering Lambda/Comprehend/DMS ENIs"},
	// resourceSecurityGroupDelete runs the same cleanup on the group's ENIs.
	"aws:ec2/securityGroup:SecurityGroup ec2:DetachNetworkInterface": {when: "lingering", why: "only for lingering Lambda/Comprehend/DMS ENIs"},
	"aws:ec2/securityGroup:SecurityGroup ec2:DeleteNetworkInterface": {when: "lingering", why: "only for lingering Lambda/Comprehend/DMS ENIs"},
	// After a DependencyViolation, resourceSubnetDelete removes the subnet
	// from GuardDuty-managed VPC endpoints; the provider reports an
	// authorization failure there as a warning, so that, in its words, no
	// new permissions are required for users who do not have GuardDuty
	// monitoring enabled for their VPCs.
	"aws:ec2/subnet:Subnet ec2:DescribeVpcs":         {when: "DependencyViolation", why: "GuardDuty endpoint cleanup, optional"},
	"aws:ec2/subnet:Subnet ec2:DescribeVpcEndpoints": {when: "DependencyViolation", why: "GuardDuty endpoint cleanup, optional"},
	"aws:ec2/subnet:Subnet ec2:ModifyVpcEndpoint":    {when: "DependencyViolation", why: "GuardDuty endpoint cleanup, optional"},
	// flattenRoutes (vpc_route_table.go) describes the ENI of a route that
	// targets one, to skip cross-account ENIs of AWS services, and
	// ignores the error: the program's tables route to the internet and
	// NAT gateways only.
	"aws:ec2/routeTable:RouteTable ec2:DescribeNetworkInterfaces": {when: "NetworkInterfaceId", why: "ENI-target routes only; the provider ignores the error"},
}

// declared are the resources of the dev, prod and prod-variant graphs, by
// type: the inputs the program sets.
func declared(t *testing.T) map[string][]plan.Resource {
	t.Helper()
	out := map[string][]plan.Resource{}
	for _, g := range []*plan.Graph{
		stacktest.Graph(t, "dev"),
		stacktest.Graph(t, "prod"),
		stacktest.Evaluate(t, "prod",
			"clusterEndpointPrivateAccessCidrs=[10.200.0.0/16]",
			"clusterEndpointPrivateAccessSecurityGroups=["+engine.SecurityGroupID+"]",
			"nodeSsmAccess=true"),
	} {
		for _, r := range g.Resources {
			out[r.Type] = append(out[r.Type], r)
		}
	}
	return out
}

// made reports whether the provider makes call c for some resource of
// rs: one that sets every input of one of the alternatives the call's
// conditions test.
func made(c tfcalls.Call, rs []plan.Resource) bool {
	return slices.ContainsFunc(rs, func(r plan.Resource) bool {
		return slices.ContainsFunc(c.Inputs, func(alt []string) bool {
			for _, in := range alt {
				if v, ok := r.Input(in); !ok || v == nil {
					return false
				}
			}
			return true
		})
	})
}

// missingActions returns, for every type ops.json derives, each action
// the provider calls in some step, for the inputs the graphs set, that
// the type's row of table does not grant, or that notGranted excludes
// without cause.
func missingActions(table map[string]Actions, rs map[string][]plan.Resource) []string {
	t, err := tfcalls.Embedded()
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	for token, res := range t.Resources {
		row, ok := table[token]
		if !ok {
			if len(rs[token]) > 0 {
				out = append(out, token+": declared, but no row")
			}
			continue
		}
		granted := row.All()
		for _, step := range tfcalls.Steps {
			for _, c := range res.Steps[step] {
				if len(c.Inputs) > 0 && !made(c, rs[token]) {
					continue
				}
				if ex, ok := notGranted[token+" "+c.Action]; ok {
					if !slices.ContainsFunc(c.When, func(w string) bool { return strings.Contains(w, ex.when) }) {
						out = append(out, fmt.Sprintf("%s %s: %s is excluded as reached only when %s, but %s.%s (%s) calls it when %v",
							token, step, c.Action, ex.when, c.Function, c.Operation, c.File, c.When))
					}
					continue
				}
				if !slices.Contains(granted, c.Action) {
					out = append(out, fmt.Sprintf("%s %s: %s (%s calls %s, %s)", token, step, c.Action, c.Function, c.Operation, c.File))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// Every action the Terraform provider's source calls for a type ops.json
// derives, for the inputs the dev, prod and prod-variant graphs set, is in
// that type's row of Table, unless notGranted excludes it for a condition
// the program never meets.
func TestTableGrantsTheDerivedCalls(t *testing.T) {
	for _, m := range missingActions(Table, declared(t)) {
		t.Error(m)
	}
}

// An exclusion is not also granted: notGranted names only actions the
// row leaves out.
func TestNotGrantedIsNotInTheTable(t *testing.T) {
	for key := range notGranted {
		token, action, _ := strings.Cut(key, " ")
		if slices.Contains(Table[token].All(), action) {
			t.Errorf("%s grants %s, which notGranted excludes", token, action)
		}
	}
}

// Mutation check: removing from its row any one action the derivation
// finds made for the graphs' inputs makes the check name it.
func TestMissingActionsNamesARemovedAction(t *testing.T) {
	tab, err := tfcalls.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	rs := declared(t)
	for token, res := range tab.Resources {
		if _, ok := Table[token]; !ok {
			continue
		}
		needed := map[string]bool{}
		for _, step := range tfcalls.Steps {
			for _, c := range res.Steps[step] {
				if _, excluded := notGranted[token+" "+c.Action]; !excluded && (len(c.Inputs) == 0 || made(c, rs[token])) {
					needed[c.Action] = true
				}
			}
		}
		for action := range needed {
			mutated := map[string]Actions{}
			for k, v := range Table {
				mutated[k] = v
			}
			mutated[token] = without(Table[token], action)
			found := slices.ContainsFunc(missingActions(mutated, rs), func(m string) bool {
				return strings.HasPrefix(m, token+" ") && strings.Contains(m, ": "+action+" ")
			})
			if !found {
				t.Errorf("removing %s from the row of %s goes unnoticed", action, token)
			}
		}
	}
}

// without returns a with action removed from every step.
func without(a Actions, action string) Actions {
	drop := func(l []string) []string {
		return slices.DeleteFunc(slices.Clone(l), func(s string) bool { return s == action })
	}
	return Actions{Create: drop(a.Create), Read: drop(a.Read), Update: drop(a.Update), Delete: drop(a.Delete), Tag: drop(a.Tag)}
}
