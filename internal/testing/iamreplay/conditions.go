package iamreplay

import (
	"maps"
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// known is what earlier provider operations made that AWS authorizes
// later requests by.
type known struct {
	// roles are the roles' ARNs by the name and ARN the provider reported
	// (which later inputs name them by), boundaries their permissions
	// boundaries by ARN.
	roles, boundaries map[string]string
	// profiles are the instance profiles' roles, by profile name, and
	// holders the roles of the profiles that exist, by profile ARN.
	profiles, holders map[string]string
	// aliases are the aliases of the keys, by key ARN.
	aliases map[string][]string
	// ebsKey is the account's default EBS key (DefaultKmsKey).
	ebsKey string
	// linked are the service-linked roles AWS has created, by ARN.
	linked map[string]bool
}

// remember records what op made that later requests are authorized by.
func (r *Replayer) remember(op ProviderOp, own target) {
	k := &r.known
	if k.roles == nil {
		k.roles, k.boundaries, k.profiles, k.holders, k.aliases = map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}, map[string][]string{}
	}
	in := input(op.Inputs)
	switch op.Type {
	case typetoken.Role:
		k.roles[outName(op)], k.roles[input(op.Outputs).str("arn")] = own.arn, own.arn
		k.boundaries[own.arn] = in.str("permissionsBoundary")
	case typetoken.InstanceProfile:
		k.profiles[outName(op)] = in.str("role")
		if op.Step == StepDelete {
			delete(k.holders, own.arn)
		} else {
			k.holders[own.arn] = in.str("role")
		}
	case typetoken.KMSAlias:
		key := r.keyARN(in.str("targetKeyId"))
		if op.Step == StepDelete {
			k.aliases[key] = slices.DeleteFunc(k.aliases[key], func(a string) bool { return a == in.str("name") })
		} else if !slices.Contains(k.aliases[key], in.str("name")) {
			k.aliases[key] = append(k.aliases[key], in.str("name"))
		}
	case typetoken.DefaultKmsKey:
		k.ebsKey = in.str("keyArn")
	}
}

// roleARN is the ARN of the role name names (its name or ARN as the
// provider reported them).
func (r *Replayer) roleARN(name string) string {
	if arn, ok := r.known.roles[name]; ok {
		return arn
	}
	if strings.HasPrefix(name, "arn:") {
		return name
	}
	return r.arn("iam", "", r.Account, "role/"+name)
}

// keyARN is the ARN of the key id names (a key ID or ARN).
func (r *Replayer) keyARN(id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	return r.arn("kms", r.Region, r.Account, "key/"+id)
}

// secret is the ARN of the master user secret RDS manages for a database.
func (r *Replayer) secret(in input) string {
	if l, ok := in["masterUserSecrets"].([]any); ok && len(l) > 0 {
		if m, ok := l[0].(map[string]any); ok {
			return input(m).str("secretArn")
		}
	}
	return ""
}

// conditions are the condition keys AWS sets for action on t: the tags
// a create sets, the role's permissions boundary, the managed policy
// attached, the EventBridge target, a key's aliases. A key is set only
// where the reference lists it for the action.
func (r *Replayer) conditions(action string, op ProviderOp, t target, tags map[string]string) map[string][]string {
	ref, err := reference()
	if err != nil {
		return nil
	}
	ctx := map[string][]string{}
	in := input(op.Inputs)
	if op.Step == StepCreate && len(tags) > 0 && ref.HasKey(action, "aws:RequestTag/${TagKey}") {
		maps.Copy(ctx, requestTags(tags))
	}
	if t.typ == "role" && ref.HasKey(action, "iam:PermissionsBoundary") {
		b := r.known.boundaries[t.arn]
		if op.Type == typetoken.Role && (op.Step == StepCreate || action == "iam:PutRolePermissionsBoundary") {
			b = in.str("permissionsBoundary")
		}
		if b != "" {
			ctx["iam:PermissionsBoundary"] = []string{b}
		}
	}
	from := map[string]string{"iam:PolicyARN": "policyArn", "events:TargetArn": "arn", "eks:policyArn": "policyArn", "eks:principalArn": "principalArn"}
	for key, name := range from {
		if v := in.str(name); v != "" && ref.HasKey(action, key) {
			ctx[key] = []string{v}
		}
	}
	if t.typ == "key" && len(r.known.aliases[t.arn]) > 0 {
		ctx["kms:ResourceAliases"] = slices.Clone(r.known.aliases[t.arn])
	}
	return ctx
}

// passedRoles are the inputs that hand a role to a service, by type
// token: the service's principal name the role is passed to.
var passedRoles = map[string]struct{ input, service string }{
	typetoken.Cluster:         {"roleArn", "eks"},
	typetoken.NodeGroup:       {"nodeRoleArn", "eks"},
	typetoken.FlowLog:         {"iamRoleArn", "vpc-flow-logs"},
	typetoken.DBInstance:      {"monitoringRoleArn", "monitoring.rds"},
	typetoken.InstanceProfile: {"role", "ec2"},
}

// passRoles are the iam:PassRole authorizations of a create (or an
// update) that hands a role to a service (IAM user guide, "Grant a user
// permissions to pass a role to an AWS service"): a cluster's or node
// group's role to EKS, a flow log's to VPC Flow Logs, a database's
// monitoring role to RDS enhanced monitoring, the role an instance
// profile holds to EC2, when the profile is made and when an instance is
// launched with it.
func (r *Replayer) passRoles(op ProviderOp) []Authorization {
	if op.Step != StepCreate && op.Step != StepUpdate {
		return nil
	}
	in := input(op.Inputs)
	role, service := "", ""
	if p, ok := passedRoles[op.Type]; ok {
		role, service = in.str(p.input), p.service
	}
	if op.Type == typetoken.EC2Instance && in.str("iamInstanceProfile") != "" {
		role, service = r.known.profiles[in.str("iamInstanceProfile")], "ec2"
	}
	if role == "" || op.Step == StepUpdate {
		return nil
	}
	a := one("iam:PassRole", "role", r.roleARN(role))
	a.Context = map[string][]string{"iam:PassedToService": {service + "." + r.dnsSuffix()}}
	return []Authorization{a}
}

// dnsSuffix is the partition's service DNS suffix.
func (r *Replayer) dnsSuffix() string {
	if strings.HasPrefix(r.Partition, "aws-cn") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}
