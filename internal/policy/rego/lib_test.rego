# OPA unit tests of the shared helpers (run by TestRegoUnitTests, or with
# `opa test internal/policy/rego`).
package mlops.guardrails.lib_test

import data.mlops.guardrails.lib

test_cmk_arn_accepts_a_key if lib.cmk_arn("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab")

test_cmk_arn_rejects_an_alias if not lib.cmk_arn("arn:aws:kms:eu-west-1:123456789012:alias/aws/ebs")

test_statements_accepts_a_single_statement if {
	lib.statements({"Statement": {"Effect": "Allow"}}) == [{"Effect": "Allow"}]
}

test_public_subnets_follow_the_internet_route if {
	res := [
		{"urn": "rt", "type": "aws:ec2/routeTable:RouteTable", "inputs": {}},
		{"urn": "igw", "type": "aws:ec2/internetGateway:InternetGateway", "inputs": {}},
		{"urn": "r", "type": "aws:ec2/route:Route", "inputs": {"gatewayId": "igw-1"}, "dependencies": ["igw", "rt"]},
		{"urn": "pub", "type": "aws:ec2/subnet:Subnet", "inputs": {}},
		{"urn": "priv", "type": "aws:ec2/subnet:Subnet", "inputs": {}},
		{"urn": "a", "type": "aws:ec2/routeTableAssociation:RouteTableAssociation", "inputs": {}, "dependencies": ["rt", "pub"]},
	]
	lib.public_subnets == {"pub"} with input as {"resources": res}
}
