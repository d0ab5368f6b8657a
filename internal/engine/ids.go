package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// physicalID returns a stable, AWS-shaped ID for a resource.
func (r *recorder) physicalID(typ, name string, in resource.PropertyMap) string {
	h := shortHash(r.stack + "/" + typ + "/" + name)
	if typ == typetoken.Bucket {
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

// idPrefixes are the prefixes AWS gives the IDs of each type; a KMS key's
// ID is a bare identifier.
var idPrefixes = map[string]string{
	typetoken.Vpc:                      "vpc-",
	typetoken.Subnet:                   "subnet-",
	typetoken.InternetGateway:          "igw-",
	typetoken.NatGateway:               "nat-",
	typetoken.Eip:                      "eipalloc-",
	typetoken.RouteTable:               "rtb-",
	typetoken.SecurityGroup:            "sg-",
	typetoken.DefaultSecurityGroup:     "sg-",
	typetoken.VpcEndpoint:              "vpce-",
	typetoken.FlowLog:                  "fl-",
	typetoken.LaunchTemplate:           "lt-",
	typetoken.SecurityGroupIngressRule: "sgr-",
	typetoken.KMSKey:                   "",
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:17]
}

func stringProp(in resource.PropertyMap, key string) string {
	if v := in[resource.PropertyKey(key)]; v.IsString() {
		return v.StringValue()
	}
	return ""
}

// DBIResourceID is the DbiResourceId the engine reports for the RDS
// instance with physical ID id: "db-" and 26 upper-case letters and digits,
// unrelated to the instance identifier, as in AWS.
func DBIResourceID(id string) string {
	return "db-" + strings.ToUpper(shortHash(id+"/dbi") + shortHash(id+"/rid"))[:26]
}

// DBSecretArn is the ARN of the master secret the engine reports for the
// RDS instance with physical ID id, in region.
func DBSecretArn(region, id string) string {
	return "arn:aws:secretsmanager:" + region + ":" + AccountID + ":secret:rds!db-" + id[:8]
}
