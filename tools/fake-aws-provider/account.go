package main

import (
	"fmt"
	"slices"
	"strings"
)

// The fake account holds what the platform program looks up but does not
// create, as the main module's offline engine (internal/engine/account.go)
// answers: the deployer and admin roles, user alice, a VPN endpoint's
// security group, one ACM certificate, the public Amazon Linux AMI
// parameters, and no EKS cluster yet.
var (
	accountRoles = []string{"platform-deployer", "platform-admin", "platform-admins"}
	accountUsers = []string{"alice"}
	// CertificateArn is the account's ACM certificate (in eu-west-1).
	CertificateArn  = "arn:aws:acm:eu-west-1:" + AccountID + ":certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	securityGroupID = "sg-0123456789abcdef0"
)

// amiID answers the public SSM parameters of Amazon Linux AMIs.
const amiID = "ami-0123456789abcdef0"

// account answers the lookups of the fake account's contents. Anything
// the account lacks is an error, as AWS reports a missing thing.
func account(tok string, args map[string]any) (map[string]any, error) {
	str := func(k string) string { s, _ := args[k].(string); return s }
	notFound := func(what string) (map[string]any, error) {
		return nil, fmt.Errorf("%s not found in account %s (fake aws provider)", what, AccountID)
	}
	switch tok {
	case "aws:iam/getSessionContext:getSessionContext":
		arn, issuer := str("arn"), str("arn")
		if rest, ok := strings.CutPrefix(arn, "arn:aws:sts::"+AccountID+":assumed-role/"); ok {
			role, _, _ := strings.Cut(rest, "/")
			issuer = "arn:aws:iam::" + AccountID + ":role/" + role
		}
		return map[string]any{"arn": arn, "issuerArn": issuer, "id": arn}, nil
	case "aws:ssm/getParameter:getParameter":
		if strings.HasPrefix(str("name"), "/aws/service/ami-amazon-linux-latest/") {
			return map[string]any{"name": str("name"), "value": amiID, "type": "String", "id": str("name")}, nil
		}
		return notFound("SSM parameter " + str("name"))
	case "aws:cloudcontrol/getResource:getResource":
		if str("typeName") == "AWS::CertificateManager::Certificate" {
			// As AWS answers, whatever the certificate: the type has no Cloud
			// Control read handler.
			return nil, fmt.Errorf("UnsupportedActionException: Resource type %s does not support READ action", str("typeName"))
		}
		return notFound(str("typeName") + " " + str("identifier"))
	case "aws:iam/getRole:getRole":
		if slices.Contains(accountRoles, str("name")) {
			return map[string]any{"name": str("name"), "arn": "arn:aws:iam::" + AccountID + ":role/" + str("name"), "id": str("name")}, nil
		}
		return notFound("role " + str("name"))
	case "aws:iam/getUser:getUser":
		if slices.Contains(accountUsers, str("userName")) {
			return map[string]any{"userName": str("userName"), "arn": "arn:aws:iam::" + AccountID + ":user/" + str("userName"), "id": str("userName")}, nil
		}
		return notFound("user " + str("userName"))
	case "aws:ec2/getSecurityGroup:getSecurityGroup":
		if str("id") == securityGroupID {
			return map[string]any{"id": securityGroupID, "name": "vpn-endpoint", "vpcId": "vpc-0fedcba9876543210"}, nil
		}
		return notFound("security group " + str("id"))
	case "aws:eks/getClusters:getClusters":
		// A fresh account: no control plane runs yet.
		return map[string]any{"names": []any{}, "id": "eu-west-1"}, nil
	}
	return nil, fmt.Errorf("fake aws provider has no answer for invoke %s", tok)
}
