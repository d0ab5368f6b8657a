package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MockAccountID is the AWS account the offline evaluation pretends to be in.
const MockAccountID = "123456789012"

// recorder is the cloud boundary of an offline evaluation: it answers the
// engine's resource registrations and invokes with realistic IDs, ARNs and
// outputs, and records what the program declared.
type recorder struct {
	project, stack, region string
	// freshAccount answers as an account that has never used a service
	// with a service-linked role (see FreshAccount).
	freshAccount bool

	mu        sync.Mutex
	resources []Resource
}

var _ pulumi.MockResourceMonitor = (*recorder)(nil)

// NewResource records a registration and returns a realistic state.
func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	urn := r.urn(rpc.GetParent(), args.TypeToken, args.Name)
	rec := Resource{
		URN:           urn,
		Type:          args.TypeToken,
		Name:          args.Name,
		Parent:        rpc.GetParent(),
		Custom:        args.Custom,
		Provider:      providerURN(args.Provider),
		Protect:       rpc.GetProtect(),
		Inputs:        plainMap(args.Inputs),
		Dependencies:  uniqueSorted(rpc.GetDependencies()),
		IgnoreChanges: rpc.GetIgnoreChanges(),
	}
	if !args.Custom {
		r.add(rec)
		return "", resource.PropertyMap{}, nil
	}
	id := r.physicalID(args.TypeToken, args.Name, args.Inputs)
	state := r.outputs(args.TypeToken, args.Name, id, args.Inputs)
	rec.ID = id
	r.add(rec)
	return id, state, nil
}

// Call answers the data-source invokes the program makes.
func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if out, ok, err := callAccount(args); ok {
		return out, err
	}
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": MockAccountID,
			// A CI role assumed for the deploy, as GetCallerIdentity reports it.
			"arn":    "arn:aws:sts::" + MockAccountID + ":assumed-role/platform-deployer/mlops",
			"userId": "AROAEXAMPLEDEPLOYER:mlops",
			"id":     MockAccountID,
		}), nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{
			"partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws", "id": "aws",
		}), nil
	case "aws:iam/getRoles:getRoles":
		return r.roles(stringProp(args.Args, "pathPrefix")), nil
	}
	return nil, fmt.Errorf("offline evaluation has no answer for invoke %s", args.Token)
}

func (r *recorder) add(res Resource) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resources = append(r.resources, res)
}

// urn builds the URN the same way the engine does.
func (r *recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.stack), tokens.PackageName(r.project), parentType, tokens.Type(typ), name))
}

// physicalID returns a stable, AWS-shaped ID for a resource.
func (r *recorder) physicalID(typ, name string, in resource.PropertyMap) string {
	h := shortHash(r.stack + "/" + typ + "/" + name)
	if typ == "aws:s3/bucketV2:BucketV2" {
		// A bucket's ID is its name: the prefix plus a unique suffix.
		if b := in["bucket"]; b.IsString() && b.StringValue() != "" {
			return b.StringValue()
		}
		return stringProp(in, "bucketPrefix") + h[:8]
	}
	if p, ok := idPrefixes[typ]; ok {
		return p + h
	}
	if n := in["name"]; n.IsString() && n.StringValue() != "" {
		return n.StringValue()
	}
	return name + "-" + h[:8]
}

var idPrefixes = map[string]string{
	"aws:ec2/vpc:Vpc":                                           "vpc-",
	"aws:ec2/subnet:Subnet":                                     "subnet-",
	"aws:ec2/internetGateway:InternetGateway":                   "igw-",
	"aws:ec2/natGateway:NatGateway":                             "nat-",
	"aws:ec2/eip:Eip":                                           "eipalloc-",
	"aws:ec2/routeTable:RouteTable":                             "rtb-",
	"aws:ec2/securityGroup:SecurityGroup":                       "sg-",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":         "sg-",
	"aws:ec2/vpcEndpoint:VpcEndpoint":                           "vpce-",
	"aws:ec2/flowLog:FlowLog":                                   "fl-",
	"aws:ec2/launchTemplate:LaunchTemplate":                     "lt-",
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
	"aws:kms/key:Key":                                           "",
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:17]
}

func providerURN(ref string) string {
	if i := strings.LastIndex(ref, "::"); i > 0 {
		return ref[:i]
	}
	return ref
}

func stringProp(in resource.PropertyMap, key string) string {
	if v := in[resource.PropertyKey(key)]; v.IsString() {
		return v.StringValue()
	}
	return ""
}

// serviceLinkedRoles are the service-linked roles of the offline account
// (by IAM path), as in any account that has run EC2 Auto Scaling, ELB and EKS.
var serviceLinkedRoles = map[string]string{
	"/aws-service-role/autoscaling.amazonaws.com/":          "AWSServiceRoleForAutoScaling",
	"/aws-service-role/elasticloadbalancing.amazonaws.com/": "AWSServiceRoleForElasticLoadBalancing",
	"/aws-service-role/eks.amazonaws.com/":                  "AWSServiceRoleForAmazonEKS",
}

// roles answers aws.iam.getRoles: the roles under a path prefix, none in a
// fresh account.
func (r *recorder) roles(prefix string) resource.PropertyMap {
	arns, names := []any{}, []any{}
	for path, name := range serviceLinkedRoles {
		if !r.freshAccount && strings.HasPrefix(path, prefix) {
			arns = append(arns, "arn:aws:iam::"+MockAccountID+":role"+path+name)
			names = append(names, name)
		}
	}
	return resource.NewPropertyMapFromMap(map[string]any{
		"arns": arns, "names": names, "pathPrefix": prefix, "id": "aws-global",
	})
}
