package awsrules

import (
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// naming says how the provider names a resource whose name input is unset.
type naming int

// The zero naming is explicit: an unset input is not sent (or AWS picks
// the value). autoName: Pulumi sends "<logical name>-<7 random hex
// characters>".
const autoName naming = 1

// prefixSuffix stands for the 26 characters the Terraform provider appends
// to a name prefix (id.PrefixedUniqueId: a timestamp and a counter).
const prefixSuffix = "20261207000000000000000001"

// autoSuffix stands for Pulumi's random autoname suffix.
const autoSuffix = "-a1b2c3d"

// target maps one resource input to the rule of the API member that
// receives it.
type target struct {
	typ string
	// path is a dot path into the inputs: "*" visits every element of a
	// list or value of a map, "~" every key of a map.
	path string
	rule string
	// prefix is the input holding a name prefix when path is unset.
	prefix string
	naming naming
}

// targets are the inputs the provider passes through to AWS unchanged.
var targets = []target{
	{typ: typetoken.SecurityGroup, path: "description", rule: "ec2.security-group.description"},
	{typ: typetoken.SecurityGroup, path: "name", prefix: "namePrefix", naming: autoName, rule: "ec2.security-group.name"},
	{typ: typetoken.SecurityGroup, path: "ingress.*.description", rule: "ec2.security-group-rule.description"},
	{typ: typetoken.SecurityGroup, path: "egress.*.description", rule: "ec2.security-group-rule.description"},
	{typ: typetoken.DefaultSecurityGroup, path: "ingress.*.description", rule: "ec2.security-group-rule.description"},
	{typ: typetoken.DefaultSecurityGroup, path: "egress.*.description", rule: "ec2.security-group-rule.description"},
	{typ: typetoken.SecurityGroupIngressRule, path: "description", rule: "ec2.security-group-rule.description"},
	{typ: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", path: "description", rule: "ec2.security-group-rule.description"},
	{typ: typetoken.LaunchTemplate, path: "name", prefix: "namePrefix", naming: autoName, rule: "ec2.launch-template.name"},
	{typ: typetoken.LaunchTemplate, path: "description", rule: "ec2.launch-template.description"},
	{typ: typetoken.LaunchTemplate, path: "tagSpecifications.*.tags.~", rule: "tag.key"},
	{typ: typetoken.LaunchTemplate, path: "tagSpecifications.*.tags.*", rule: "tag.value"},
	{typ: typetoken.AutoscalingTag, path: "tag.key", rule: "tag.key"},
	{typ: typetoken.AutoscalingTag, path: "tag.value", rule: "tag.value"},
	{typ: typetoken.Role, path: "name", prefix: "namePrefix", naming: autoName, rule: "iam.role.name"},
	{typ: typetoken.Role, path: "path", rule: "iam.path"},
	{typ: typetoken.Role, path: "description", rule: "iam.role.description"},
	{typ: typetoken.Role, path: "tags.~", rule: "iam.tag.key"},
	{typ: typetoken.Role, path: "tags.*", rule: "iam.tag.value"},
	{typ: typetoken.RolePolicy, path: "name", prefix: "namePrefix", naming: autoName, rule: "iam.policy.name"},
	{typ: typetoken.InstanceProfile, path: "name", prefix: "namePrefix", naming: autoName, rule: "iam.instance-profile.name"},
	{typ: typetoken.InstanceProfile, path: "path", rule: "iam.path"},
	{typ: typetoken.ProviderAWS, path: "defaultTags.tags.~", rule: "tag.key"},
	{typ: typetoken.ProviderAWS, path: "defaultTags.tags.*", rule: "tag.value"},
	// The provider's default tags land on the IAM roles too.
	{typ: typetoken.ProviderAWS, path: "defaultTags.tags.~", rule: "iam.tag.key"},
	{typ: typetoken.ProviderAWS, path: "defaultTags.tags.*", rule: "iam.tag.value"},
	{typ: typetoken.KMSAlias, path: "name", prefix: "namePrefix", rule: "kms.alias.name"},
	{typ: typetoken.KMSKey, path: "description", rule: "kms.key.description"},
	{typ: typetoken.LogGroup, path: "name", prefix: "namePrefix", naming: autoName, rule: "logs.log-group.name"},
	{typ: typetoken.Cluster, path: "name", naming: autoName, rule: "eks.cluster.name"},
	{typ: typetoken.DBInstance, path: "identifier", prefix: "identifierPrefix", naming: autoName, rule: "rds.instance.identifier"},
	{typ: typetoken.DBInstance, path: "finalSnapshotIdentifier", rule: "rds.snapshot.identifier"},
	{typ: typetoken.DBParameterGroup, path: "name", prefix: "namePrefix", naming: autoName, rule: "rds.parameter-group.name"},
	{typ: typetoken.DBSubnetGroup, path: "name", prefix: "namePrefix", naming: autoName, rule: "rds.subnet-group.name"},
	{typ: typetoken.SNSTopic, path: "name", prefix: "namePrefix", naming: autoName, rule: "sns.topic.name"},
	{typ: typetoken.Bucket, path: "bucket", prefix: "bucketPrefix", naming: autoName, rule: "s3.bucket.name"},
}

// values returns the strings at path in v.
func values(v any, path []string) []string {
	if len(path) == 0 {
		if s, ok := v.(string); ok {
			return []string{s}
		}
		return nil
	}
	var out []string
	switch seg := path[0]; seg {
	case "*":
		switch c := v.(type) {
		case []any:
			for _, e := range c {
				out = append(out, values(e, path[1:])...)
			}
		case map[string]any:
			for _, e := range c {
				out = append(out, values(e, path[1:])...)
			}
		}
	case "~":
		if m, ok := v.(map[string]any); ok {
			for k := range m {
				out = append(out, k)
			}
		}
	default:
		if m, ok := v.(map[string]any); ok {
			if e, ok := m[seg]; ok {
				out = append(out, values(e, path[1:])...)
			}
		}
	}
	return out
}

// sent returns the values the provider sends for t on a resource with
// these inputs and logical name.
func (t target) sent(inputs map[string]any, name string) []string {
	if got := values(inputs, strings.Split(t.path, ".")); len(got) > 0 {
		return got
	}
	if t.prefix != "" {
		if p, ok := inputs[t.prefix].(string); ok {
			return []string{p + prefixSuffix}
		}
	}
	if t.naming == autoName && !strings.Contains(t.path, ".") {
		if _, set := inputs[t.path]; !set {
			return []string{name + autoSuffix}
		}
	}
	return nil
}
