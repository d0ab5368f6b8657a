package plan

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// outputs returns the state AWS would report for a new resource: its inputs
// plus the computed attributes dependent resources read.
func (r *recorder) outputs(typ, name, id string, in resource.PropertyMap) resource.PropertyMap {
	out := in.Copy()
	set := func(k string, v any) { out[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	acct, region := MockAccountID, r.region
	arn := func(service, rest string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, acct, rest)
	}
	str := func(k string) string {
		if v := in[resource.PropertyKey(k)]; v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	set("id", id)
	switch typ {
	case "pulumi:providers:aws", "pulumi:providers:kubernetes":
		return out
	case "aws:kms/key:Key":
		set("keyId", id)
		set("arn", arn("kms", "key/"+id))
	case "aws:kms/alias:Alias":
		set("arn", arn("kms", str("name")))
	case "aws:iam/role:Role":
		set("name", name)
		set("arn", fmt.Sprintf("arn:aws:iam::%s:role/%s", acct, name))
		set("uniqueId", "AROA"+strings.ToUpper(id[len(id)-8:]))
	case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
		host := strings.TrimPrefix(str("url"), "https://")
		set("url", host)
		set("arn", fmt.Sprintf("arn:aws:iam::%s:oidc-provider/%s", acct, host))
	case "aws:cloudwatch/logGroup:LogGroup":
		set("arn", arn("logs", "log-group:"+str("name")))
	case "aws:eks/cluster:Cluster":
		r.clusterOutputs(out, str("name"), set)
	case "aws:eks/nodeGroup:NodeGroup":
		ng := str("nodeGroupName")
		if ng == "" {
			// The provider completes a prefix with a unique suffix, as EKS
			// names are generated at creation.
			ng = str("nodeGroupNamePrefix") + strings.ToLower(id[len(id)-8:])
		}
		set("nodeGroupName", ng)
		set("arn", arn("eks", "nodegroup/"+ng))
		set("status", "ACTIVE")
		set("resources", []any{map[string]any{
			"autoscalingGroups": []any{map[string]any{"name": "eks-" + ng + "-" + id[:8]}},
		}})
	case "aws:eks/addon:Addon":
		set("arn", arn("eks", "addon/"+str("addonName")))
		set("addonVersion", "v0.0.0-eksbuild.1")
	case "aws:ec2/eip:Eip":
		set("allocationId", id)
		set("publicIp", "198.51.100."+fmt.Sprint(len(id)%200+10))
	case "aws:ec2/launchTemplate:LaunchTemplate":
		set("latestVersion", 1)
		set("arn", arn("ec2", "launch-template/"+id))
	case "aws:s3/bucketV2:BucketV2":
		set("bucket", id)
		set("arn", "arn:aws:s3:::"+id)
	case "aws:rds/instance:Instance":
		ident := str("identifier")
		set("address", ident+".abcdefghijkl."+region+".rds.amazonaws.com")
		set("endpoint", ident+".abcdefghijkl."+region+".rds.amazonaws.com:5432")
		set("port", 5432)
		set("arn", arn("rds", "db:"+ident))
		set("masterUserSecrets", []any{map[string]any{
			"secretArn":    arn("secretsmanager", "secret:rds!db-"+id[:8]),
			"secretStatus": "active",
		}})
	case "aws:rds/subnetGroup:SubnetGroup", "aws:rds/parameterGroup:ParameterGroup":
		set("name", id)
		set("arn", arn("rds", "pg:"+id))
	default:
		if strings.HasPrefix(typ, "kubernetes:") {
			// Kubernetes objects report their inputs back; they have no ARN.
			return out
		}
		if _, ok := out["arn"]; !ok {
			set("arn", arn(serviceOf(typ), name))
		}
	}
	return out
}

func (r *recorder) clusterOutputs(out resource.PropertyMap, name string, set func(string, any)) {
	oidcID := strings.ToUpper(shortHash(r.stack + name))
	set("arn", fmt.Sprintf("arn:aws:eks:%s:%s:cluster/%s", r.region, MockAccountID, name))
	set("endpoint", "https://"+oidcID+".gr7."+r.region+".eks.amazonaws.com")
	set("certificateAuthority", map[string]any{"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="})
	set("identities", []any{map[string]any{"oidcs": []any{map[string]any{
		"issuer": "https://oidc.eks." + r.region + ".amazonaws.com/id/" + oidcID,
	}}}})
	set("status", "ACTIVE")
	vpc := map[string]any{}
	if v := out["vpcConfig"]; v.IsObject() {
		vpc = v.ObjectValue().Mappable()
	}
	vpc["clusterSecurityGroupId"] = "sg-" + shortHash("eks-cluster-sg"+name)
	vpc["vpcId"] = "vpc-" + shortHash(r.stack+"/aws:ec2/vpc:Vpc/network-vpc")
	set("vpcConfig", vpc)
}

func serviceOf(typ string) string {
	// "aws:ec2/vpc:Vpc" -> "ec2"
	if _, rest, ok := strings.Cut(typ, ":"); ok {
		if mod, _, ok := strings.Cut(rest, "/"); ok {
			return mod
		}
	}
	return "unknown"
}
