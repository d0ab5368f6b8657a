# CloudWatch Logs and KMS controls: reference rows 60-62.
package mlops.guardrails.logs

import data.mlops.guardrails.lib

groups := lib.by_type("aws:cloudwatch/logGroup:LogGroup")

keys := lib.by_type("aws:kms/key:Key")

group_names := {lib.input_of(g, "name", "") | some g in groups}

checked contains lib.check(n, g.urn) if {
	some g in groups
	some n in [60, 61]
}

# Row 60: 30-day retention on every group, and every group AWS would
# otherwise create with no expiry is pre-created.
deny contains lib.fail(60, g.urn, sprintf("set retentionInDays=30 (logRetentionDays), not %v", [lib.input_of(g, "retentionInDays", "never expire")])) if {
	some g in groups
	lib.input_of(g, "retentionInDays", 0) < 30
}

expected_groups contains {"urn": c.urn, "name": sprintf("/aws/eks/%s/cluster", [c.inputs.name])} if {
	some c in lib.by_type("aws:eks/cluster:Cluster")
	count(lib.as_list(lib.input_of(c, "enabledClusterLogTypes", []))) > 0
}

expected_groups contains {"urn": a.urn, "name": sprintf("/aws/containerinsights/%s/%s", [a.inputs.clusterName, kind])} if {
	some a in lib.by_type("aws:eks/addon:Addon")
	a.inputs.addonName == "amazon-cloudwatch-observability"
	some kind in ["application", "dataplane", "host", "performance"]
}

expected_groups contains {"urn": d.urn, "name": sprintf("/aws/rds/instance/%s/%s", [d.inputs.identifier, kind])} if {
	some d in lib.by_type("aws:rds/instance:Instance")
	some kind in lib.as_list(lib.input_of(d, "enabledCloudwatchLogsExports", []))
}

checked contains lib.check(60, e.urn) if some e in expected_groups

deny contains lib.fail(60, e.urn, sprintf("pre-create log group %s with retentionInDays=30, or AWS creates it with no expiry", [e.name])) if {
	some e in expected_groups
	not e.name in group_names
}

# Row 61: groups encrypted with a customer-managed key whose policy admits
# CloudWatch Logs of this region.
deny contains lib.fail(61, g.urn, "set kmsKeyId to the customer-managed logs key") if {
	some g in groups
	not lib.uses_cmk(g, "kmsKeyId")
}

deny contains lib.fail(61, g.urn, sprintf("the key policy of %v must allow the service principal logs.%v.amazonaws.com", [k.name, lib.region])) if {
	some g in groups
	some k in lib.deps_of_type(g, "aws:kms/key:Key")
	not admits_logs(k)
}

admits_logs(k) if {
	some s in lib.statements(lib.doc(lib.input_of(k, "policy", "{}")))
	s.Effect == "Allow"
	sprintf("logs.%s.amazonaws.com", [lib.region]) in lib.as_list(object.get(s, ["Principal", "Service"], []))
}

# Row 62: rotated keys, a 30-day deletion window, an explicit policy without
# a bare "*" principal, protected against deletion.
checked contains lib.check(62, k.urn) if some k in keys

deny contains lib.fail(62, k.urn, "set enableKeyRotation=true") if {
	some k in keys
	not lib.is_true(lib.input_of(k, "enableKeyRotation", false))
}

deny contains lib.fail(62, k.urn, sprintf("set deletionWindowInDays=30, not %v", [lib.input_of(k, "deletionWindowInDays", "the default")])) if {
	some k in keys
	lib.input_of(k, "deletionWindowInDays", 0) != 30
}

deny contains lib.fail(62, k.urn, "give the key an explicit policy") if {
	some k in keys
	lib.input_of(k, "policy", "") == ""
}

deny contains lib.fail(62, k.urn, sprintf("key policy statement %d allows the bare \"*\" principal: name the account, role or service", [i])) if {
	some k in keys
	some i, s in lib.statements(lib.doc(lib.input_of(k, "policy", "{}")))
	s.Effect == "Allow"
	bare_star(s.Principal)
}

bare_star(p) if p == "*"

bare_star(p) if {
	is_object(p)
	some v in p
	"*" in lib.as_list(v)
}

deny contains lib.fail(62, k.urn, "protect the key (protectStatefulResources=true): deleting it destroys every secret and volume it encrypts") if {
	some k in keys
	not k.protect
}
