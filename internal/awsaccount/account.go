// Package awsaccount is the one fixture of the account the platform is
// evaluated and tested in: what exists before the program runs (the
// deployer and admin roles, user alice, a VPN endpoint's security group,
// an ACM certificate, the public Amazon Linux AMI parameters, the
// service-linked roles of an account that has used EC2 Auto Scaling, ELB
// and EKS) and how the data-source invokes the program makes read it. The
// offline engine (internal/engine) and the fake AWS provider plugin
// (tools/fake-aws-provider) both answer invokes from Answer, so the two
// cannot disagree; an invoke AWS cannot answer fails in both.
package awsaccount

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// The account's contents.
const (
	// AccountID is the account's ID.
	AccountID = "123456789012"
	// DeployerRole is the role the deploy runs as (an assumed-role
	// session of it is the caller).
	DeployerRole = "arn:aws:iam::" + AccountID + ":role/platform-deployer"
	// CertificateArn is the account's ACM certificate (in eu-west-1).
	CertificateArn = "arn:aws:acm:eu-west-1:" + AccountID + ":certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	// SecurityGroupID is a VPN endpoint's security group.
	SecurityGroupID = "sg-0123456789abcdef0"
	// AmiID answers the public SSM parameters of Amazon Linux AMIs.
	AmiID = "ami-0123456789abcdef0"
)

var (
	roles = []string{"platform-deployer", "platform-admin", "platform-admins"}
	users = []string{"alice"}
	// cloudControlUnreadable are resource types Cloud Control cannot read
	// (Cloud Control user guide, "Resource types that support Cloud
	// Control API"; ACM's type is not provisionable).
	cloudControlUnreadable = []string{"AWS::CertificateManager::Certificate"}
	// serviceLinkedRoles are the service-linked roles by IAM path, as in
	// any account that has run EC2 Auto Scaling, ELB and EKS.
	serviceLinkedRoles = map[string]string{
		"/aws-service-role/autoscaling.amazonaws.com/":          "AWSServiceRoleForAutoScaling",
		"/aws-service-role/elasticloadbalancing.amazonaws.com/": "AWSServiceRoleForElasticLoadBalancing",
		"/aws-service-role/eks.amazonaws.com/":                  "AWSServiceRoleForAmazonEKS",
	}
)

// Options vary the account.
type Options struct {
	// Fresh is an account that has never used a service: it has no
	// service-linked roles yet.
	Fresh bool
}

// Answer answers the invoke tok with args (plain values, as
// resource.PropertyMap's Mappable gives them). handled is false for an
// invoke the account does not answer; err is what AWS answers for what
// the account lacks.
func Answer(tok string, args map[string]any, o Options) (out map[string]any, handled bool, err error) {
	str := func(k string) string { s, _ := args[k].(string); return s }
	notFound := func(what string) (map[string]any, bool, error) {
		return nil, true, fmt.Errorf("%s not found in account %s", what, AccountID)
	}
	switch tok {
	case typetoken.GetCallerIdentity:
		return map[string]any{
			"accountId": AccountID,
			// A CI role assumed for the deploy, as GetCallerIdentity reports it.
			"arn":    "arn:aws:sts::" + AccountID + ":assumed-role/platform-deployer/mlops",
			"userId": "AROAEXAMPLEDEPLOYER:mlops",
			"id":     AccountID,
		}, true, nil
	case typetoken.GetPartition:
		return map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws", "id": "aws"}, true, nil
	case typetoken.GetRoles:
		return serviceRoles(str("pathPrefix"), o), true, nil
	case typetoken.GetSessionContext:
		arn, issuer := str("arn"), str("arn")
		if rest, ok := strings.CutPrefix(arn, "arn:aws:sts::"+AccountID+":assumed-role/"); ok {
			role, _, _ := strings.Cut(rest, "/")
			issuer = "arn:aws:iam::" + AccountID + ":role/" + role
		}
		return map[string]any{"arn": arn, "issuerArn": issuer, "id": arn}, true, nil
	case typetoken.GetParameter:
		if strings.HasPrefix(str("name"), "/aws/service/ami-amazon-linux-latest/") {
			return map[string]any{"name": str("name"), "value": AmiID, "type": "String", "id": str("name")}, true, nil
		}
		return notFound("SSM parameter " + str("name"))
	case typetoken.GetResource:
		if slices.Contains(cloudControlUnreadable, str("typeName")) {
			// As AWS answers, whatever the resource: the type has no Cloud
			// Control read handler.
			return nil, true, fmt.Errorf("UnsupportedActionException: Resource type %s does not support READ action", str("typeName"))
		}
		return notFound(str("typeName") + " " + str("identifier"))
	case typetoken.GetRole:
		if slices.Contains(roles, str("name")) {
			return map[string]any{"name": str("name"), "arn": "arn:aws:iam::" + AccountID + ":role/" + str("name"), "id": str("name")}, true, nil
		}
		return notFound("role " + str("name"))
	case typetoken.GetUser:
		if slices.Contains(users, str("userName")) {
			return map[string]any{"userName": str("userName"), "arn": "arn:aws:iam::" + AccountID + ":user/" + str("userName"), "id": str("userName")}, true, nil
		}
		return notFound("user " + str("userName"))
	case typetoken.GetSecurityGroup:
		if str("id") == SecurityGroupID {
			return map[string]any{"id": SecurityGroupID, "name": "vpn-endpoint", "vpcId": "vpc-0fedcba9876543210"}, true, nil
		}
		return notFound("security group " + str("id"))
	case typetoken.GetClusters:
		// A fresh account: no control plane runs yet.
		return map[string]any{"names": []any{}, "id": "eu-west-1"}, true, nil
	}
	return nil, false, nil
}

// serviceRoles answers aws.iam.getRoles: the service-linked roles under a
// path prefix, none in a fresh account.
func serviceRoles(prefix string, o Options) map[string]any {
	arns, names := []any{}, []any{}
	for _, path := range slices.Sorted(maps.Keys(serviceLinkedRoles)) {
		if !o.Fresh && strings.HasPrefix(path, prefix) {
			arns = append(arns, "arn:aws:iam::"+AccountID+":role"+path+serviceLinkedRoles[path])
			names = append(names, serviceLinkedRoles[path])
		}
	}
	return map[string]any{"arns": arns, "names": names, "pathPrefix": prefix, "id": "aws-global"}
}
