package deployerpolicy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

var (
	// boundedRoleWrites are the role writes IAM lets a policy condition on
	// the role's permissions boundary (iam:PermissionsBoundary, the Service
	// Authorization Reference): the role's current boundary, and for
	// CreateRole and PutRolePermissionsBoundary the one the request sets.
	// TagRole and UntagRole have no such key and stay scoped by name only.
	boundedRoleWrites = []string{"iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
		"iam:UpdateRoleDescription", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
		"iam:PutRolePermissionsBoundary"}
	// unboundedWrites are denied on any role unless it carries (or the
	// request sets) the stack's boundary, whatever else the deploying role
	// is granted: together they give no way to a role without it.
	unboundedWrites = []string{"iam:AttachRolePolicy", "iam:CreateRole", "iam:PutRolePermissionsBoundary",
		"iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"}
	// boundaryPolicyWrites would widen the boundary itself. An account
	// administrator creates it; the deploying role may never write it.
	boundaryPolicyWrites = []string{"iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicy",
		"iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:TagPolicy", "iam:UntagPolicy"}
)

// graphBoundary returns the permissions boundary every role of g carries,
// with the account replaced by the policy variable. It fails when a role
// has none or two roles name different ones; "" when g has no roles.
func graphBoundary(g *plan.Graph) (string, error) {
	arn, first := "", ""
	for _, r := range g.ByType(typetoken.Role) {
		b, _ := r.Inputs["permissionsBoundary"].(string)
		if b == "" {
			return "", fmt.Errorf("deployer policy: role %s has no permissions boundary", r.Name)
		}
		if arn != "" && b != arn {
			return "", fmt.Errorf("deployer policy: role %s has the permissions boundary %s, role %s %s", r.Name, b, first, arn)
		}
		arn, first = b, r.Name
	}
	return accountless(arn), nil
}

// boundaryPolicy derives the boundary's document from the managed and
// inline policies of g's roles (internal/boundary says how).
func boundaryPolicy(g *plan.Graph, arn string) (*Policy, error) {
	var managed []string
	for _, a := range g.ByType(typetoken.RolePolicyAttachment) {
		if p, _ := a.Inputs["policyArn"].(string); p != "" {
			managed = append(managed, p)
		}
	}
	var inline []iampolicy.Document
	for _, p := range g.ByType(typetoken.RolePolicy) {
		raw, _ := p.Inputs["policy"].(string)
		d, err := iampolicy.Parse([]byte(raw))
		if err != nil {
			return nil, fmt.Errorf("deployer policy: the inline policy %s: %w", p.Name, err)
		}
		inline = append(inline, passedRolesAsPatterns(g, d))
	}
	d, err := boundary.Document(managed, inline)
	if err != nil {
		return nil, fmt.Errorf("deployer policy: %w", err)
	}
	return &Policy{Name: arn[strings.LastIndex(arn, "/")+1:], ARN: arn, Size: size(d), Document: d}, nil
}

// boundaryStatements deny what would get a role past the boundary arn:
// creating or changing a role without it, removing or replacing it, and
// writing the boundary policy.
func boundaryStatements(arn string) []iampolicy.Statement {
	without := iampolicy.Statement{Sid: "NoRoleWithoutTheBoundary", Effect: "Deny", Action: unboundedWrites, Resource: []string{"*"},
		Condition: map[string]map[string]any{"StringNotEquals": {"iam:PermissionsBoundary": arn}}}
	return []iampolicy.Statement{
		without,
		{Sid: "KeepTheBoundary", Effect: "Deny", Action: []string{"iam:DeleteRolePermissionsBoundary"}, Resource: []string{"*"}},
		{Sid: "NoWritesToTheBoundary", Effect: "Deny", Action: boundaryPolicyWrites, Resource: []string{arn}},
	}
}

// withBoundary conditions s on the role's boundary being arn.
func withBoundary(s iampolicy.Statement, arn string) iampolicy.Statement {
	if s.Condition == nil {
		s.Condition = map[string]map[string]any{}
	}
	if s.Condition["StringEquals"] == nil {
		s.Condition["StringEquals"] = map[string]any{}
	}
	s.Condition["StringEquals"]["iam:PermissionsBoundary"] = arn
	return s
}

// passedRolesAsPatterns names the roles an inline policy passes
// (iam:PassRole, Karpenter's node role) by the graph role's name pattern,
// as the deployer policy names roles: the evaluated graph's ARN carries an
// offline name, the boundary must match the name the deploy creates.
func passedRolesAsPatterns(g *plan.Graph, d iampolicy.Document) iampolicy.Document {
	patterns := map[string]string{}
	for _, r := range g.ByType(typetoken.Role) {
		// "<name>*" matches the offline ARN (<name>) and the deploy's
		// (<name>-<suffix>).
		p := autonamed(r, "name")
		if strings.HasSuffix(p, "-*") {
			p = strings.TrimSuffix(p, "-*") + "*"
		}
		patterns[r.ID], patterns[r.Name] = p, p
	}
	for i, s := range d.Statement {
		if !slices.Contains(s.Action, "iam:PassRole") {
			continue
		}
		res := make([]string, 0, len(s.Resource))
		for _, arn := range s.Resource {
			prefix, name, ok := strings.Cut(arn, ":role/")
			if p, known := patterns[name]; ok && known {
				arn = prefix + ":role/" + p
			}
			res = append(res, accountless(arn))
		}
		d.Statement[i].Resource = res
	}
	return d
}
