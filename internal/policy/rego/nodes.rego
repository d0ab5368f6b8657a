# Managed node group and launch template controls: reference rows 14-17 and 19-21.
package mlops.guardrails.nodes

import data.mlops.guardrails.lib

groups := lib.by_type("aws:eks/nodeGroup:NodeGroup")

templates := lib.by_type("aws:ec2/launchTemplate:LaunchTemplate")

checked contains lib.check(n, g.urn) if {
	some g in groups
	some n in [14, 15, 16, 17, 19, 21]
}

checked contains lib.check(n, t.urn) if {
	some t in templates
	some n in [15, 16, 17, 20]
}

# Row 14: nodes in private subnets only.
deny contains lib.fail(14, g.urn, sprintf("move the node group off public subnets %v: use the private subnets", [pub])) if {
	some g in groups
	pub := lib.public_subnets_of(g)
	count(pub) > 0
}

deny contains lib.fail(14, g.urn, "set subnetIds to the VPC's private subnets") if {
	some g in groups
	count(lib.subnets_of(g)) == 0
}

# Rows 15-17: every group launches from a template the program controls.
deny contains lib.fail(n, g.urn, "set launchTemplate: without one, nodes get IMDSv1, a hop limit of 2 and an unencrypted default root volume") if {
	some g in groups
	count(lib.deps_of_type(g, "aws:ec2/launchTemplate:LaunchTemplate")) == 0
	some n in [15, 16, 17]
}

# Row 15: IMDSv2 only.
deny contains lib.fail(15, t.urn, "set metadataOptions.httpTokens=\"required\" (IMDSv2 only)") if {
	some t in templates
	lib.input_of(t, ["metadataOptions", "httpTokens"], "") != "required"
}

# Row 16: pods cannot reach the node's instance metadata.
deny contains lib.fail(16, t.urn, "set metadataOptions.httpPutResponseHopLimit=1 so pods cannot use the node role") if {
	some t in templates
	lib.input_of(t, ["metadataOptions", "httpPutResponseHopLimit"], 0) != 1
}

# Row 17: encrypted gp3 root volumes with the customer-managed key.
deny contains lib.fail(17, t.urn, "declare a root volume in blockDeviceMappings with ebs.encrypted=true, ebs.kmsKeyId=<customer-managed key>, ebs.volumeType=\"gp3\"") if {
	some t in templates
	count(lib.as_list(lib.input_of(t, "blockDeviceMappings", []))) == 0
}

deny contains lib.fail(17, t.urn, sprintf("block device %v: set ebs.encrypted=true, ebs.kmsKeyId=<customer-managed key> and ebs.volumeType=\"gp3\"", [object.get(m, "deviceName", "?")])) if {
	some t in templates
	some m in lib.as_list(lib.input_of(t, "blockDeviceMappings", []))
	not volume_ok(t, object.get(m, "ebs", {}))
}

volume_ok(t, ebs) if {
	lib.is_true(object.get(ebs, "encrypted", false))
	lib.cmk_arn(object.get(ebs, "kmsKeyId", ""))
	count(lib.deps_of_type(t, "aws:kms/key:Key")) > 0
	object.get(ebs, "volumeType", "") == "gp3"
}

# Row 19: no SSH remote access.
deny contains lib.fail(19, g.urn, "remove remoteAccess: reach nodes through SSM Session Manager, not SSH") if {
	some g in groups
	lib.input_of(g, "remoteAccess", null) != null
}

# Row 20: no public IPs on node interfaces.
deny contains lib.fail(20, t.urn, "set networkInterfaces[].associatePublicIpAddress=false (or leave network interfaces to EKS)") if {
	some t in templates
	some ni in lib.as_list(lib.input_of(t, "networkInterfaces", []))
	lib.is_true(object.get(ni, "associatePublicIpAddress", false))
}

# Row 21: resilient, right-sized groups.
workload(g) := lib.input_of(g, ["labels", "mlops-platform/workload"], lib.input_of(g, "nodeGroupName", ""))

deny contains lib.fail(21, g.urn, sprintf("spread the group over 3 availability zones (it spans %d)", [count(zones)])) if {
	some g in groups
	zones := {z | some s in lib.subnets_of(g); z := lib.input_of(s, "availabilityZone", "")}
	count(zones) < 3
}

deny contains lib.fail(21, g.urn, "a spot group needs several instance types so one pool's interruption does not empty it") if {
	some g in groups
	lib.input_of(g, "capacityType", "ON_DEMAND") == "SPOT"
	count(lib.as_list(lib.input_of(g, "instanceTypes", []))) < 2
}

deny contains lib.fail(21, g.urn, sprintf("set scalingConfig.minSize=0 on the %v group so it scales to zero when idle", [workload(g)])) if {
	some g in groups
	workload(g) in {"training", "gpu"}
	lib.input_of(g, ["scalingConfig", "minSize"], -1) != 0
}

deny contains lib.fail(21, g.urn, "taint the GPU group nvidia.com/gpu with effect NO_SCHEDULE") if {
	some g in groups
	workload(g) == "gpu"
	not gpu_tainted(g)
}

gpu_tainted(g) if {
	some t in lib.as_list(lib.input_of(g, "taints", []))
	t.key == "nvidia.com/gpu"
	t.effect == "NO_SCHEDULE"
}
