package engine

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// The offline engine's fake account holds these pre-existing things, which
// the program looks up but does not create; anything else is not found, as
// in a real account that lacks it.
var (
	// DeployerRole is the role the deploy runs as (an assumed-role
	// session of it is the caller).
	DeployerRole = "arn:aws:iam::" + AccountID + ":role/platform-deployer"
	// CertificateArn is an ACM certificate of the fake account.
	CertificateArn = "arn:aws:acm:eu-west-1:" + AccountID + ":certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	// SecurityGroupID is a VPN endpoint's security group in the fake account.
	SecurityGroupID = "sg-0123456789abcdef0"
	accountRoles    = []string{"platform-deployer", "platform-admin", "platform-admins"}
	accountUsers    = []string{"alice"}
)

// cloudControlUnreadable are resource types Cloud Control cannot read.
var cloudControlUnreadable = []string{"AWS::CertificateManager::Certificate"}

// AmiID answers the public SSM parameters of Amazon Linux AMIs.
const AmiID = "ami-0123456789abcdef0"

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
		return nil, true, fmt.Errorf("%s not found in account %s (offline engine)", what, AccountID)
	}
	switch args.Token {
	case typetoken.GetSessionContext:
		arn := str("arn")
		issuer := arn
		if rest, ok := strings.CutPrefix(arn, "arn:aws:sts::"+AccountID+":assumed-role/"); ok {
			role, _, _ := strings.Cut(rest, "/")
			issuer = "arn:aws:iam::" + AccountID + ":role/" + role
		}
		return found(map[string]any{"arn": arn, "issuerArn": issuer, "id": arn})
	case typetoken.GetParameter:
		if strings.HasPrefix(str("name"), "/aws/service/ami-amazon-linux-latest/") {
			return found(map[string]any{"name": str("name"), "value": AmiID, "type": "String", "id": str("name")})
		}
		return notFound("SSM parameter " + str("name"))
	case typetoken.GetResource:
		if slices.Contains(cloudControlUnreadable, str("typeName")) {
			// As AWS answers: the type has no Cloud Control read handler
			// (Cloud Control user guide, "Resource types that support
			// Cloud Control API"; ACM's type is not provisionable).
			return nil, true, fmt.Errorf("UnsupportedActionException: Resource type %s does not support READ action", str("typeName"))
		}
		return notFound(str("typeName") + " " + str("identifier"))
	case typetoken.GetRole:
		if slices.Contains(accountRoles, str("name")) {
			return found(map[string]any{"name": str("name"), "arn": "arn:aws:iam::" + AccountID + ":role/" + str("name"), "id": str("name")})
		}
		return notFound("role " + str("name"))
	case typetoken.GetUser:
		if slices.Contains(accountUsers, str("userName")) {
			return found(map[string]any{"userName": str("userName"), "arn": "arn:aws:iam::" + AccountID + ":user/" + str("userName"), "id": str("userName")})
		}
		return notFound("user " + str("userName"))
	case typetoken.GetSecurityGroup:
		if str("id") == SecurityGroupID {
			return found(map[string]any{"id": SecurityGroupID, "name": "vpn-endpoint", "vpcId": "vpc-0fedcba9876543210"})
		}
		return notFound("security group " + str("id"))
	case typetoken.GetClusters:
		// A fresh account: no control plane runs yet.
		return found(map[string]any{"names": []any{}, "id": "eu-west-1"})
	}
	return nil, false, nil
}
