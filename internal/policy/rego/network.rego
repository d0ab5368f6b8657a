# VPC and network controls: reference rows 22-29.
package mlops.guardrails.network

import data.mlops.guardrails.lib

vpcs := lib.by_type("aws:ec2/vpc:Vpc")

sgs := lib.by_type("aws:ec2/securityGroup:SecurityGroup")

checked contains lib.check(n, v.urn) if {
	some v in vpcs
	some n in [22, 23, 28]
}

# Row 22: flow logs capture all traffic.
deny contains lib.fail(22, v.urn, "declare an aws:ec2/flowLog for the VPC with trafficType=\"ALL\"") if {
	some v in vpcs
	count([f | some f in lib.dependents_of_type(v, "aws:ec2/flowLog:FlowLog"); f.inputs.trafficType == "ALL"]) == 0
}

# Row 23: the default security group is adopted and emptied.
deny contains lib.fail(23, v.urn, "adopt the default security group (aws:ec2/defaultSecurityGroup) with no ingress and no egress rules") if {
	some v in vpcs
	count([d | some d in lib.dependents_of_type(v, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"); empty_rules(d)]) == 0
}

empty_rules(d) if {
	count(lib.as_list(lib.input_of(d, "ingress", []))) == 0
	count(lib.as_list(lib.input_of(d, "egress", []))) == 0
}

# Row 24: subnets never hand out public IPs.
checked contains lib.check(24, s.urn) if some s in lib.by_type("aws:ec2/subnet:Subnet")

deny contains lib.fail(24, s.urn, "set mapPublicIpOnLaunch=false") if {
	some s in lib.by_type("aws:ec2/subnet:Subnet")
	lib.is_true(lib.input_of(s, "mapPublicIpOnLaunch", false))
}

# Rules, inline or standalone, normalised to {urn, sg, dir, from, to, cidrs, description}.
rules contains {"urn": g.urn, "sg": g, "dir": dir, "from": object.get(b, "fromPort", 0), "to": object.get(b, "toPort", 0), "cidrs": array.concat(lib.as_list(object.get(b, "cidrBlocks", [])), lib.as_list(object.get(b, "ipv6CidrBlocks", []))), "description": object.get(b, "description", "")} if {
	some g in sgs
	some dir in ["ingress", "egress"]
	some b in lib.as_list(lib.input_of(g, dir, []))
}

standalone := {
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "ingress",
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "egress",
}

rules contains {"urn": r.urn, "sg": owner(r), "dir": dir, "from": lib.input_of(r, "fromPort", 0), "to": lib.input_of(r, "toPort", 0), "cidrs": [c | some c in [lib.input_of(r, "cidrIpv4", ""), lib.input_of(r, "cidrIpv6", "")]; c != ""], "description": lib.input_of(r, "description", "")} if {
	some t, dir in standalone
	some r in lib.by_type(t)
}

rules contains {"urn": r.urn, "sg": owner(r), "dir": lib.input_of(r, "type", ""), "from": lib.input_of(r, "fromPort", 0), "to": lib.input_of(r, "toPort", 0), "cidrs": array.concat(lib.as_list(lib.input_of(r, "cidrBlocks", [])), lib.as_list(lib.input_of(r, "ipv6CidrBlocks", []))), "description": lib.input_of(r, "description", "")} if {
	some r in lib.by_type("aws:ec2/securityGroupRule:SecurityGroupRule")
}

# owner is the group a standalone rule belongs to: the dependency whose ID
# the rule names as its securityGroupId (a rule referencing a second group,
# the bastion's admitted to the database, depends on both), else the only
# group it depends on.
owner(r) := sg if {
	some sg in lib.deps_of_type(r, "aws:ec2/securityGroup:SecurityGroup")
	sg.id == lib.input_of(r, "securityGroupId", "")
} else := sg if {
	groups := lib.deps_of_type(r, "aws:ec2/securityGroup:SecurityGroup")
	count(groups) == 1
	some sg in groups
} else := {"inputs": {}}

open(rule) if {
	some c in rule.cidrs
	c in lib.world
}

# Row 25: only the load balancer's group (tagged mlops-platform/load-balancer=true)
# admits the internet, on 443 and 80.
checked contains lib.check(25, r.urn) if {
	some r in rules
	r.dir == "ingress"
}

deny contains lib.fail(25, r.urn, sprintf("ingress %v-%v is open to the internet: admit known ranges or security groups; only the load balancer's group may admit 0.0.0.0/0, on 443 and 80", [r.from, r.to])) if {
	some r in rules
	r.dir == "ingress"
	open(r)
	not lb_web_port(r)
}

lb_web_port(r) if {
	object.get(r.sg.inputs, ["tags", "mlops-platform/load-balancer"], "") == "true"
	r.from == r.to
	r.from in {80, 443}
}

# Row 26: unrestricted egress only where documented on the group
# (tag mlops-platform/egress-justification).
checked contains lib.check(26, r.urn) if {
	some r in rules
	r.dir == "egress"
}

deny contains lib.fail(26, r.urn, "egress to 0.0.0.0/0 is undocumented: narrow it, or record why on the group's mlops-platform/egress-justification tag") if {
	some r in rules
	r.dir == "egress"
	open(r)
	object.get(r.sg.inputs, ["tags", "mlops-platform/egress-justification"], "") == ""
}

# Row 27: every group and rule says what it is for.
checked contains lib.check(27, g.urn) if some g in sgs

checked contains lib.check(27, r.urn) if some r in rules

deny contains lib.fail(27, g.urn, "give the security group a description that says what it admits") if {
	some g in sgs
	lib.input_of(g, "description", "") in {"", "Managed by Pulumi", "Managed by Terraform"}
}

deny contains lib.fail(27, r.urn, sprintf("give the %v rule %v-%v a description", [r.dir, r.from, r.to])) if {
	some r in rules
	r.description == ""
}

# Row 28: an S3 gateway endpoint serving the private route tables.
deny contains lib.fail(28, v.urn, "declare a Gateway VPC endpoint for com.amazonaws.<region>.s3 on every private route table") if {
	some v in vpcs
	not s3_gateway(v)
}

s3_gateway(v) if {
	some e in lib.dependents_of_type(v, "aws:ec2/vpcEndpoint:VpcEndpoint")
	endswith(lib.input_of(e, "serviceName", ""), ".s3")
	lib.input_of(e, "vpcEndpointType", "Gateway") == "Gateway"
	count(lib.as_list(lib.input_of(e, "routeTableIds", []))) >= count(private_route_tables)
}

# Row 29: each private route table's default route uses the NAT gateway in
# its own zone.
private_route_tables := {rt.urn | some rt in lib.by_type("aws:ec2/routeTable:RouteTable"); not rt.urn in lib.public_route_tables}

table_zones(rt_urn) := {z |
	some a in lib.by_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
	rt_urn in a.dependencies
	some s in lib.subnets_of(a)
	z := lib.input_of(s, "availabilityZone", "")
}

nat_zones(nat) := {z | some s in lib.subnets_of(nat); z := lib.input_of(s, "availabilityZone", "")}

checked contains lib.check(29, rt) if some rt in private_route_tables

deny contains lib.fail(29, rt, sprintf("route table %v (zone %v) sends 0.0.0.0/0 to a NAT gateway in %v: use the NAT gateway in its own zone (natGatewayPerAz=true)", [lib.by_urn[rt].name, concat(", ", table_zones(rt)), concat(", ", nat_zones(nat))])) if {
	some route in lib.by_type("aws:ec2/route:Route")
	lib.input_of(route, "destinationCidrBlock", "") == "0.0.0.0/0"
	some nat in lib.deps_of_type(route, "aws:ec2/natGateway:NatGateway")
	some t in lib.deps_of_type(route, "aws:ec2/routeTable:RouteTable")
	rt := t.urn
	rt in private_route_tables
	table_zones(rt) != nat_zones(nat)
}

deny contains lib.fail(29, rt, "give the private route table a default route (0.0.0.0/0) to the NAT gateway in its zone") if {
	some rt in private_route_tables
	count([r | some r in lib.by_type("aws:ec2/route:Route"); rt in r.dependencies; count(lib.deps_of_type(r, "aws:ec2/natGateway:NatGateway")) > 0]) == 0
}
