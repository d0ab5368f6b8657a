package deployerpolicy

import (
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// The writes Build grants only on the graph's own resources (N9): with
// them on "*" the deploying role could attach AdministratorAccess to
// itself or rewrite any key's or bucket's policy.
var (
	roleWrites = []string{"iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
		"iam:UpdateRoleDescription", "iam:TagRole", "iam:UntagRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:DetachRolePolicy",
		"iam:PutRolePermissionsBoundary"}
	profileWrites = []string{"iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:AddRoleToInstanceProfile",
		"iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile"}
	// keyAdmin are scoped by the key's aliases; ScheduleKeyDeletion by its
	// tags, because a destroy deletes a key's alias before the key.
	keyAdmin = []string{"kms:PutKeyPolicy", "kms:DisableKey"}
	// aliasWrites name the alias and the key it points to; the alias part
	// is scoped to the graph's aliases.
	aliasWrites = []string{"kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"}
)

// scopedAction reports whether Build grants a of Table only on the
// graph's own resources, never on "*". Every bucket, queue, rule and
// document action of the table is.
func scopedAction(a string) bool {
	return strings.HasPrefix(a, "s3:") || queueAction(a) || ruleAction(a) || documentAction(a) || a == "iam:AttachRolePolicy" || a == "kms:ScheduleKeyDeletion" ||
		slices.Contains(roleWrites, a) || slices.Contains(profileWrites, a) || slices.Contains(keyAdmin, a) || slices.Contains(aliasWrites, a)
}

// autonamed is the name pattern of a resource: its name input, or the
// logical name and the random suffix Pulumi adds.
func (e env) autonamed(r plan.Resource) string {
	return e.pattern(r, r.DeclaredName(), r.DeclaredNamePrefix())
}

// bucketName is the name pattern of a bucket.
func (e env) bucketName(r plan.Resource) string {
	b := plan.BucketOf(r)
	return e.pattern(r, b.Name, b.Prefix)
}

// pattern is a resource's name, else its prefix and '*', else its
// logical name and the random suffix Pulumi adds.
func (e env) pattern(r plan.Resource, name, prefix string) string {
	if name != "" {
		return e.accountless(name)
	}
	if prefix != "" {
		return e.accountless(prefix) + "*"
	}
	return r.Name + "-*"
}

// roleARNs are the ARNs of the graph's roles (their name patterns).
func roleARNs(g *plan.Graph, e env) []string {
	var out []string
	for _, r := range g.ByType(typetoken.Role) {
		out = append(out, e.arn("iam", "", "role/"+e.autonamed(r)))
	}
	return uniqueSorted(out)
}

// identityStatements scope role, instance-profile and attachment writes to
// the graph's roles and profiles; the role writes IAM can condition on a
// boundary to roles that carry (or CreateRole to roles created with) the
// permissions boundary arn; and AttachRolePolicy to exactly the managed
// policies the graph attaches.
func identityStatements(g *plan.Graph, e env, arn string) []iampolicy.Statement {
	roles := roleARNs(g, e)
	if len(roles) == 0 {
		return nil
	}
	var tagging []string
	for _, a := range roleWrites {
		if !slices.Contains(boundedRoleWrites, a) {
			tagging = append(tagging, a)
		}
	}
	out := []iampolicy.Statement{
		withBoundary(iampolicy.Allow("ManagePlatformRoles", boundedRoleWrites, roles), arn),
		iampolicy.Allow("TagPlatformRoles", tagging, roles),
	}
	var policies []string
	for _, a := range g.ByType(typetoken.RolePolicyAttachment) {
		if p := a.String("policyArn"); p != "" {
			policies = append(policies, g.InAccount(p, account))
		}
	}
	if len(policies) > 0 {
		s := iampolicy.Allow("AttachGraphManagedPolicies", []string{"iam:AttachRolePolicy"}, roles)
		s.Condition = map[string]map[string]any{"ArnEquals": {"iam:PolicyARN": uniqueSorted(policies)}}
		out = append(out, withBoundary(s, arn))
	}
	var profiles []string
	for _, p := range g.ByType(typetoken.InstanceProfile) {
		profiles = append(profiles, e.arn("iam", "", "instance-profile/"+e.autonamed(p)))
	}
	if len(profiles) > 0 {
		out = append(out, iampolicy.Allow("ManagePlatformInstanceProfiles", profileWrites, uniqueSorted(profiles)))
	}
	return out
}

// keyStatements scope key-policy writes and disabling to the keys the
// graph's aliases name, and deletion to keys carrying every default tag
// of the stack's provider.
func keyStatements(g *plan.Graph, e env) []iampolicy.Statement {
	if len(g.ByType(typetoken.KMSKey)) == 0 {
		return nil
	}
	var aliases []string
	for _, a := range g.Aliases() {
		if a.Name != "" {
			aliases = append(aliases, a.Name)
		}
	}
	keys := []string{e.arn("kms", e.region, "key/*")}
	var out []iampolicy.Statement
	if len(aliases) > 0 {
		arns := slices.Clone(keys)
		for _, a := range uniqueSorted(aliases) {
			arns = append(arns, e.arn("kms", e.region, a))
		}
		out = append(out, iampolicy.Allow("ManagePlatformAliases", aliasWrites, arns))
		s := iampolicy.Allow("AdministerPlatformKeys", keyAdmin, keys)
		s.Condition = map[string]map[string]any{"ForAnyValue:StringEquals": {"kms:ResourceAliases": uniqueSorted(aliases)}}
		out = append(out, s)
	}
	if len(e.tags) > 0 {
		tags := map[string]any{}
		for _, k := range sortedKeys(e.tags) {
			tags["aws:ResourceTag/"+k] = e.tags[k]
		}
		s := iampolicy.Allow("DeletePlatformKeys", []string{"kms:ScheduleKeyDeletion"}, keys)
		s.Condition = map[string]map[string]any{"StringEquals": tags}
		out = append(out, s)
	}
	return out
}

// bucketStatements grant the table's bucket actions on the graph's
// buckets only, and, where a bucket declares forceDestroy, what the
// provider's emptying of it calls (ListObjectVersions, then DeleteObjects
// of every version and delete marker).
func bucketStatements(g *plan.Graph, e env, types []string) []iampolicy.Statement {
	var actions []string
	for _, t := range types {
		for _, a := range Table[t].All() {
			if strings.HasPrefix(a, "s3:") {
				actions = append(actions, a)
			}
		}
	}
	var buckets, emptied []string
	for _, b := range g.ByType(typetoken.Bucket) {
		arn := e.arn("s3", "", e.bucketName(b))
		buckets = append(buckets, arn)
		if force, _ := b.Bool("forceDestroy"); force {
			emptied = append(emptied, arn)
		}
	}
	if len(buckets) == 0 || len(actions) == 0 {
		return nil
	}
	out := []iampolicy.Statement{iampolicy.Allow("ManagePlatformBuckets", uniqueSorted(actions), uniqueSorted(buckets))}
	if len(emptied) > 0 {
		var objects []string
		for _, b := range emptied {
			objects = append(objects, b+"/*")
		}
		out = append(out,
			iampolicy.Allow("ListForceDestroyedBuckets", []string{"s3:ListBucketVersions"}, uniqueSorted(emptied)),
			iampolicy.Allow("EmptyForceDestroyedBuckets", []string{"s3:DeleteObject", "s3:DeleteObjectVersion"}, uniqueSorted(objects)))
	}
	return out
}

// certificateStatements let the preflight describe the certificates the
// graph names, and no others.
func certificateStatements(g *plan.Graph) []iampolicy.Statement {
	certs := certificates(g)
	if len(certs) == 0 {
		return nil
	}
	for i, c := range certs {
		certs[i] = g.InAccount(c, account)
	}
	return []iampolicy.Statement{iampolicy.Allow("DescribeStackCertificate", []string{"acm:DescribeCertificate"}, certs)}
}
