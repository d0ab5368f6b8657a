# Helpers shared by the built-in guardrails and available to user policies
# (import data.mlops.guardrails.lib). Input is the document
# `mlops plan --output json` prints.
package mlops.guardrails.lib

# by_type lists the resources of one Pulumi type token.
by_type(t) := [r | some r in input.resources; r.type == t]

# by_urn indexes every resource by URN.
by_urn := {r.urn: r | some r in input.resources}

# deps lists the resources r depends on, as resources.
deps(r) := [by_urn[d] | some d in object.get(r, "dependencies", []); by_urn[d]]

# deps_of_type lists the resources of type t that r depends on.
deps_of_type(r, t) := [d | some d in deps(r); d.type == t]

# dependents_of_type lists the resources of type t that depend on r.
dependents_of_type(r, t) := [x | some x in by_type(t); r.urn in object.get(x, "dependencies", [])]

# input_of reads a nested input of r, or def when it is absent.
input_of(r, path, def) := object.get(r.inputs, path, def)

# fail builds a failing result. Results of built-in controls get their IDs,
# title and severity from the Go catalogue.
fail(control, urn, msg) := {"control": control, "urn": urn, "message": msg}

# pending builds a result that fails only because the operator has not set
# the spec key yet: `mlops plan` reports it and passes, a deploy refuses it.
pending(control, urn, msg, key) := {"control": control, "urn": urn, "message": msg, "needs": key}

# check records that control evaluated the resource urn.
check(control, urn) := {"control": control, "urn": urn}

# is_true accepts the boolean and the string form the engine may carry.
is_true(v) if v == true

is_true(v) if v == "true"

# doc parses a policy document held as a JSON string (or already an object).
doc(s) := json.unmarshal(s) if is_string(s)

doc(s) := s if is_object(s)

# statements returns the statements of a policy document as a list.
statements(d) := d.Statement if is_array(d.Statement)

statements(d) := [d.Statement] if is_object(d.Statement)

# as_list turns a string or a list into a list.
as_list(x) := x if is_array(x)

as_list(x) := [x] if is_string(x)

as_list(x) := [] if x == null

# cmk_arn holds for the ARN of a customer-managed KMS key (not an alias,
# not an AWS managed key).
cmk_arn(a) if {
	is_string(a)
	regex.match(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$`, a)
}

# uses_cmk holds when r names a customer-managed key at path and depends on a
# KMS key the program declares.
uses_cmk(r, path) if {
	cmk_arn(input_of(r, path, ""))
	count(deps_of_type(r, "aws:kms/key:Key")) > 0
}

# region is the region of the AWS provider.
region := object.get(by_type("pulumi:providers:aws")[0].inputs, "region", "")

# world is the set of CIDRs that mean "anyone".
world := {"0.0.0.0/0", "::/0"}

# public_route_tables are route tables with a default route to an internet gateway.
public_route_tables contains rt.urn if {
	some route in by_type("aws:ec2/route:Route")
	count(deps_of_type(route, "aws:ec2/internetGateway:InternetGateway")) > 0
	some rt in deps_of_type(route, "aws:ec2/routeTable:RouteTable")
}

# public_subnets are subnets that map public IPs, carry the public load
# balancer role tag, or route through an internet gateway.
public_subnets contains s.urn if {
	some s in by_type("aws:ec2/subnet:Subnet")
	is_true(input_of(s, "mapPublicIpOnLaunch", false))
}

public_subnets contains s.urn if {
	some s in by_type("aws:ec2/subnet:Subnet")
	input_of(s, ["tags", "kubernetes.io/role/elb"], "") != ""
}

public_subnets contains s.urn if {
	some a in by_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
	some rt in deps_of_type(a, "aws:ec2/routeTable:RouteTable")
	rt.urn in public_route_tables
	some s in deps_of_type(a, "aws:ec2/subnet:Subnet")
}

# subnets_of lists the subnets r depends on.
subnets_of(r) := deps_of_type(r, "aws:ec2/subnet:Subnet")

# public_subnets_of lists the names of the public subnets r depends on.
public_subnets_of(r) := [s.name | some s in subnets_of(r); s.urn in public_subnets]
