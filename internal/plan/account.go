package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The offline engine's fake account holds these pre-existing things, which
// the program looks up but does not create; anything else is not found, as
// in a real account that lacks it.
var (
	// MockDeployerRole is the role the deploy runs as (an assumed-role
	// session of it is the caller).
	MockDeployerRole = "arn:aws:iam::" + MockAccountID + ":role/platform-deployer"
	// MockCertificateArn is an ACM certificate of the fake account.
	MockCertificateArn = "arn:aws:acm:eu-west-1:" + MockAccountID + ":certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	// MockSecurityGroupID is a VPN endpoint's security group in the fake account.
	MockSecurityGroupID = "sg-0123456789abcdef0"
	mockRoles           = []string{"platform-deployer", "platform-admin", "platform-admins"}
	mockUsers           = []string{"alice"}
)

// MockAmiID answers the public SSM parameters of Amazon Linux AMIs.
const MockAmiID = "ami-0123456789abcdef0"

// callAccount answers the invokes that read the fake account; ok is false
// for tokens it does not handle.
func callAccount(args pulumi.MockCallArgs) (resource.PropertyMap, bool, error) {
	in := args.Args
	str := func(k string) string {
		if v := in[resource.PropertyKey(k)]; v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	found := func(m map[string]any) (resource.PropertyMap, bool, error) {
		return resource.NewPropertyMapFromMap(m), true, nil
	}
	notFound := func(what string) (resource.PropertyMap, bool, error) {
		return nil, true, fmt.Errorf("%s not found in account %s (offline engine)", what, MockAccountID)
	}
	switch args.Token {
	case "aws:iam/getSessionContext:getSessionContext":
		arn := str("arn")
		issuer := arn
		if rest, ok := strings.CutPrefix(arn, "arn:aws:sts::"+MockAccountID+":assumed-role/"); ok {
			role, _, _ := strings.Cut(rest, "/")
			issuer = "arn:aws:iam::" + MockAccountID + ":role/" + role
		}
		return found(map[string]any{"arn": arn, "issuerArn": issuer, "id": arn})
	case "aws:ssm/getParameter:getParameter":
		if strings.HasPrefix(str("name"), "/aws/service/ami-amazon-linux-latest/") {
			return found(map[string]any{"name": str("name"), "value": MockAmiID, "type": "String", "id": str("name")})
		}
		return notFound("SSM parameter " + str("name"))
	case "aws:cloudcontrol/getResource:getResource":
		if str("typeName") == "AWS::CertificateManager::Certificate" && str("identifier") == MockCertificateArn {
			return found(map[string]any{"identifier": MockCertificateArn, "typeName": str("typeName"), "properties": "{}", "id": MockCertificateArn})
		}
		return notFound(str("typeName") + " " + str("identifier"))
	case "aws:iam/getRole:getRole":
		if slices.Contains(mockRoles, str("name")) {
			return found(map[string]any{"name": str("name"), "arn": "arn:aws:iam::" + MockAccountID + ":role/" + str("name"), "id": str("name")})
		}
		return notFound("role " + str("name"))
	case "aws:iam/getUser:getUser":
		if slices.Contains(mockUsers, str("userName")) {
			return found(map[string]any{"userName": str("userName"), "arn": "arn:aws:iam::" + MockAccountID + ":user/" + str("userName"), "id": str("userName")})
		}
		return notFound("user " + str("userName"))
	case "aws:ec2/getSecurityGroup:getSecurityGroup":
		if str("id") == MockSecurityGroupID {
			return found(map[string]any{"id": MockSecurityGroupID, "name": "vpn-endpoint", "vpcId": "vpc-0fedcba9876543210"})
		}
		return notFound("security group " + str("id"))
	case "aws:eks/getClusters:getClusters":
		// A fresh account: no control plane runs yet.
		return found(map[string]any{"names": []any{}, "id": "eu-west-1"})
	}
	return nil, false, nil
}
