package engine

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// outputs returns the state AWS would report for a new resource: its inputs
// plus the computed attributes dependent resources read.
func (r *recorder) outputs(typ, name, id string, in resource.PropertyMap) resource.PropertyMap {
	out := in.Copy()
	set := func(k string, v any) { out[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	acct, region := AccountID, r.region
	arn := func(service, rest string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, acct, rest)
	}
	str := func(k string) string { return stringProp(in, k) }
	set("id", id)
	switch typ {
	case typetoken.ProviderAWS, typetoken.ProviderKubernetes:
		return out
	case typetoken.KMSKey:
		set("keyId", id)
		set("arn", arn("kms", "key/"+id))
	case typetoken.KMSAlias:
		set("arn", arn("kms", str("name")))
	case typetoken.Role:
		set("name", name)
		set("arn", fmt.Sprintf("arn:aws:iam::%s:role/%s", acct, name))
		set("uniqueId", "AROA"+strings.ToUpper(id[len(id)-8:]))
	case typetoken.OIDCProvider:
		host := strings.TrimPrefix(str("url"), "https://")
		set("url", host)
		set("arn", fmt.Sprintf("arn:aws:iam::%s:oidc-provider/%s", acct, host))
	case typetoken.LogGroup:
		set("arn", arn("logs", "log-group:"+str("name")))
	case typetoken.Subnet:
		r.mu.Lock()
		r.subnetVPC[id] = str("vpcId")
		r.mu.Unlock()
		set("arn", arn("ec2", "subnet/"+id))
	case typetoken.Cluster:
		r.clusterOutputs(out, str("name"), set)
	case typetoken.NodeGroup:
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
	case typetoken.Addon:
		set("arn", arn("eks", "addon/"+str("addonName")))
		set("addonVersion", "v0.0.0-eksbuild.1")
	case typetoken.Eip:
		set("allocationId", id)
		set("publicIp", "198.51.100."+fmt.Sprint(len(id)%200+10))
	case typetoken.LaunchTemplate:
		set("latestVersion", 1)
		set("arn", arn("ec2", "launch-template/"+id))
	case typetoken.Bucket:
		set("bucket", id)
		set("arn", "arn:aws:s3:::"+id)
	case typetoken.DBInstance:
		dbInstanceOutputs(str("identifier"), id, region, arn, set)
	case typetoken.DBSubnetGroup, typetoken.DBParameterGroup:
		set("name", id)
		set("arn", arn("rds", "pg:"+id))
	default:
		if strings.HasPrefix(typ, typetoken.KubernetesPrefix) {
			// Kubernetes objects report their inputs back; they have no ARN.
			return out
		}
		if _, ok := out["arn"]; !ok {
			set("arn", arn(serviceOf(typ), name))
		}
	}
	return out
}

// dbInstanceOutputs sets what RDS reports of a new instance: its
// endpoint, resource id and the managed master user secret.
func dbInstanceOutputs(ident, id, region string, arn func(service, rest string) string, set func(string, any)) {
	set("address", ident+".abcdefghijkl."+region+".rds.amazonaws.com")
	set("endpoint", ident+".abcdefghijkl."+region+".rds.amazonaws.com:5432")
	set("port", 5432)
	set("arn", arn("rds", "db:"+ident))
	set("resourceId", DBIResourceID(id))
	set("masterUserSecrets", []any{map[string]any{
		"secretArn":    DBSecretArn(region, id),
		"secretStatus": "active",
	}})
}

// clusterOutputs sets what EKS reports of a new cluster: endpoint, OIDC
// issuer, certificate, and in vpcConfig the cluster security group and the
// VPC its subnets belong to.
func (r *recorder) clusterOutputs(out resource.PropertyMap, name string, set func(string, any)) {
	oidcID := strings.ToUpper(shortHash(r.stack + name))
	set("arn", fmt.Sprintf("arn:aws:eks:%s:%s:cluster/%s", r.region, AccountID, name))
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
	vpc["vpcId"] = r.vpcOfSubnets(vpc["subnetIds"])
	set("vpcConfig", vpc)
}

// vpcOfSubnets returns the VPC of the first subnet in ids, as recorded when
// the subnet was created, or "" when the subnet is not known.
func (r *recorder) vpcOfSubnets(ids any) string {
	list, _ := ids.([]any)
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range list {
		if s, ok := id.(string); ok && r.subnetVPC[s] != "" {
			return r.subnetVPC[s]
		}
	}
	return ""
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
