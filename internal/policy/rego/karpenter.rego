# Karpenter NodePools and EC2NodeClasses (the training and GPU capacity):
# the node group controls, reference rows 14-17, 20 and 21, as they apply
# to capacity Karpenter launches.
package mlops.guardrails.karpenter

import data.mlops.guardrails.lib

pools := lib.by_type("kubernetes:karpenter.sh/v1:NodePool")

classes := lib.by_type("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")

discovery_tags := [t |
	some t in lib.by_type("aws:ec2/tag:Tag")
	lib.input_of(t, "key", "") == "karpenter.sh/discovery"
]

checked contains lib.check(n, c.urn) if {
	some c in classes
	some n in [14, 15, 16, 17, 20]
}

checked contains lib.check(21, p.urn) if some p in pools

checked contains lib.check(14, t.urn) if some t in discovery_tags

# Row 14: the classes select subnets by the discovery tag only, and only
# private subnets carry it.
deny contains lib.fail(14, c.urn, "select subnets by the karpenter.sh/discovery tag only (subnetSelectorTerms: [{tags: {karpenter.sh/discovery: <cluster>}}])") if {
	some c in classes
	some term in lib.as_list(lib.input_of(c, ["spec", "subnetSelectorTerms"], []))
	not discovery_only(term)
}

deny contains lib.fail(14, c.urn, "set subnetSelectorTerms: without them the class launches nowhere, or anywhere") if {
	some c in classes
	count(lib.as_list(lib.input_of(c, ["spec", "subnetSelectorTerms"], []))) == 0
}

discovery_only(term) if {
	object.keys(term) == {"tags"}
	object.keys(term.tags) == {"karpenter.sh/discovery"}
}

deny contains lib.fail(14, t.urn, sprintf("remove the karpenter.sh/discovery tag from public subnet %v: Karpenter would launch nodes there", [pub])) if {
	some t in discovery_tags
	pub := lib.public_subnets_of(t)
	count(pub) > 0
}

# Row 15: IMDSv2 only.
deny contains lib.fail(15, c.urn, "set spec.metadataOptions.httpTokens=required (IMDSv2 only)") if {
	some c in classes
	lib.input_of(c, ["spec", "metadataOptions", "httpTokens"], "") != "required"
}

# Row 16: pods cannot reach the node's instance metadata.
deny contains lib.fail(16, c.urn, "set spec.metadataOptions.httpPutResponseHopLimit=1 so pods cannot use the node role") if {
	some c in classes
	lib.input_of(c, ["spec", "metadataOptions", "httpPutResponseHopLimit"], 0) != 1
}

# Row 17: encrypted gp3 root volumes with the customer-managed key.
deny contains lib.fail(17, c.urn, "declare spec.blockDeviceMappings with ebs.encrypted=true, ebs.kmsKeyID=<customer-managed key>, ebs.volumeType=gp3") if {
	some c in classes
	count(lib.as_list(lib.input_of(c, ["spec", "blockDeviceMappings"], []))) == 0
}

deny contains lib.fail(17, c.urn, sprintf("block device %v: set ebs.encrypted=true, ebs.kmsKeyID=<customer-managed key> and ebs.volumeType=gp3", [object.get(m, "deviceName", "?")])) if {
	some c in classes
	some m in lib.as_list(lib.input_of(c, ["spec", "blockDeviceMappings"], []))
	not volume_ok(object.get(m, "ebs", {}))
}

volume_ok(ebs) if {
	lib.is_true(object.get(ebs, "encrypted", false))
	lib.cmk_arn(object.get(ebs, "kmsKeyID", ""))
	object.get(ebs, "volumeType", "") == "gp3"
}

# Row 20: no public IP, stated (the default follows the subnet).
deny contains lib.fail(20, c.urn, "set spec.associatePublicIPAddress=false") if {
	some c in classes
	lib.input_of(c, ["spec", "associatePublicIPAddress"], true) != false
}

# Row 21: spot with on-demand fallback, limits, the GPU taint.
capacity_types(p) := {v |
	some r in lib.as_list(lib.input_of(p, ["spec", "template", "spec", "requirements"], []))
	r.key == "karpenter.sh/capacity-type"
	some v in r.values
}

deny contains lib.fail(21, p.urn, "allow karpenter.sh/capacity-type In [spot, on-demand]: spot first, on-demand when no spot capacity is left") if {
	some p in pools
	capacity_types(p) != {"spot", "on-demand"}
}

deny contains lib.fail(21, p.urn, "set spec.limits (cpu, memory, nvidia.com/gpu): a pool without limits grows without bound") if {
	some p in pools
	count(object.keys(lib.input_of(p, ["spec", "limits"], {}))) == 0
}

deny contains lib.fail(21, p.urn, "taint the GPU pool nvidia.com/gpu=true:NoSchedule so only GPU pods land there") if {
	some p in pools
	lib.input_of(p, ["metadata", "name"], "") == "gpu"
	not gpu_tainted(p)
}

gpu_tainted(p) if {
	some t in lib.as_list(lib.input_of(p, ["spec", "template", "spec", "taints"], []))
	t.key == "nvidia.com/gpu"
	t.effect == "NoSchedule"
}
