package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// physicalID returns a new ID for a resource: unique per creation, as a
// replacement in AWS gets a new one.
func physicalID(urn resource.URN, in resource.PropertyMap) string {
	typ := string(urn.Type())
	suffix := randomHex()
	switch {
	case typ == "aws:kms/key:Key":
		return suffix[:8] + "-" + suffix[8:12] + "-" + suffix[12:16] + "-" + suffix[16:20] + "-" + suffix[20:32]
	case typ == "aws:s3/bucketV2:BucketV2" || typ == "aws:s3/bucket:Bucket":
		if b := str(in, "bucket"); b != "" {
			return b
		}
		return str(in, "bucketPrefix") + suffix[:12]
	case typ == "aws:iam/role:Role" && str(in, "name") == "" && str(in, "namePrefix") != "":
		// The provider names the role from its prefix and a 26-character
		// unique suffix (terraform-plugin-sdk id.PrefixedUniqueId); a
		// role's ID is its name.
		return str(in, "namePrefix") + suffix[:26]
	}
	if mod := service(typ); mod == "ec2" || mod == "vpc" {
		// EC2 IDs are a short type prefix and 17 hex digits (vpc-..., subnet-...).
		return strings.ToLower(typ[strings.LastIndex(typ, ":")+1:]) + "-" + suffix[:17]
	}
	if n := str(in, "name"); n != "" {
		return n
	}
	return urn.Name() + "-" + suffix[:8]
}

// state is what AWS would report for a resource: its inputs plus the
// computed attributes the platform program reads.
func (p *Provider) state(urn resource.URN, id string, in resource.PropertyMap) resource.PropertyMap {
	out := in.Copy()
	set := func(k string, v any) { out[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	arn := func(service, rest string) string {
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, p.region, AccountID, rest)
	}
	typ, name := string(urn.Type()), urn.Name()
	set("id", id)
	switch typ {
	case "aws:kms/key:Key":
		set("keyId", id)
		set("arn", arn("kms", "key/"+id))
	case "aws:kms/alias:Alias":
		set("arn", arn("kms", str(in, "name")))
		set("targetKeyArn", arn("kms", "key/"+str(in, "targetKeyId")))
	case "aws:iam/role:Role":
		roleName := or(str(in, "name"), name)
		if str(in, "namePrefix") != "" {
			roleName = id
		}
		set("name", roleName)
		set("arn", fmt.Sprintf("arn:aws:iam::%s:role%s%s", AccountID, or(str(in, "path"), "/"), roleName))
		set("uniqueId", "AROA"+strings.ToUpper(stableHex(string(urn))[:17]))
	case "aws:iam/instanceProfile:InstanceProfile":
		// A profile's ID is its name, autonamed when no name is given:
		// an instance names its profile by it (iamInstanceProfile).
		set("name", or(str(in, "name"), id))
		set("arn", fmt.Sprintf("arn:aws:iam::%s:instance-profile%s%s", AccountID, or(str(in, "path"), "/"), or(str(in, "name"), id)))
	case "aws:iam/policy:Policy":
		set("arn", fmt.Sprintf("arn:aws:iam::%s:policy/%s", AccountID, or(str(in, "name"), name)))
		set("policyId", "ANPA"+strings.ToUpper(stableHex(string(urn))[:17]))
	case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
		host := strings.TrimPrefix(str(in, "url"), "https://")
		set("arn", fmt.Sprintf("arn:aws:iam::%s:oidc-provider/%s", AccountID, host))
	case "aws:cloudwatch/logGroup:LogGroup":
		set("arn", arn("logs", "log-group:"+str(in, "name")))
	case "aws:eks/cluster:Cluster":
		p.cluster(out, str(in, "name"), set)
	case "aws:eks/nodeGroup:NodeGroup":
		ng := str(in, "nodeGroupName")
		set("arn", arn("eks", "nodegroup/"+str(in, "clusterName")+"/"+ng+"/"+id))
		set("status", "ACTIVE")
		set("resources", []any{map[string]any{
			"autoscalingGroups": []any{map[string]any{"name": "eks-" + ng + "-" + stableHex(id)[:8]}},
		}})
	case "aws:eks/addon:Addon":
		set("arn", arn("eks", "addon/"+str(in, "clusterName")+"/"+str(in, "addonName")))
		if str(in, "addonVersion") == "" {
			set("addonVersion", "v1.0.0-eksbuild.1")
		}
	case "aws:ec2/eip:Eip":
		set("allocationId", id)
		set("publicIp", fmt.Sprintf("198.51.100.%d", int(stableHex(id)[0])%200+10))
	case "aws:ec2/launchTemplate:LaunchTemplate":
		set("latestVersion", 1)
		set("arn", arn("ec2", "launch-template/"+id))
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		set("bucket", id)
		set("arn", "arn:aws:s3:::"+id)
		set("bucketRegionalDomainName", id+".s3."+p.region+".amazonaws.com")
	case "aws:rds/instance:Instance":
		ident := or(str(in, "identifier"), id)
		host := ident + ".c0fakeabcdef." + p.region + ".rds.amazonaws.com"
		set("address", host)
		set("endpoint", host+":5432")
		set("port", 5432)
		set("arn", arn("rds", "db:"+ident))
		set("masterUserSecrets", []any{map[string]any{
			"secretArn":    arn("secretsmanager", "secret:rds!db-"+stableHex(ident)[:8]),
			"secretStatus": "active",
		}})
	case "aws:rds/subnetGroup:SubnetGroup":
		set("name", id)
		set("arn", arn("rds", "subgrp:"+id))
	case "aws:rds/parameterGroup:ParameterGroup":
		set("name", id)
		set("arn", arn("rds", "pg:"+id))
	default:
		// A resource named by its name input has that name in its ARN
		// (an SQS queue's ARN ends with the queue's name).
		if _, ok := out["arn"]; !ok {
			set("arn", arn(service(typ), or(str(in, "name"), name)))
		}
	}
	return out
}

// cluster sets what an EKS cluster reports: its API endpoint, CA bundle and
// OIDC issuer, which the in-cluster layer and IRSA roles read.
func (p *Provider) cluster(out resource.PropertyMap, name string, set func(string, any)) {
	oidc := strings.ToUpper(stableHex(name + p.region)[:32])
	set("arn", fmt.Sprintf("arn:aws:eks:%s:%s:cluster/%s", p.region, AccountID, name))
	set("endpoint", "https://"+oidc+".gr7."+p.region+".eks.amazonaws.com")
	set("certificateAuthority", map[string]any{
		"data": base64.StdEncoding.EncodeToString([]byte("-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n")),
	})
	set("identities", []any{map[string]any{"oidcs": []any{map[string]any{
		"issuer": "https://oidc.eks." + p.region + ".amazonaws.com/id/" + oidc,
	}}}})
	set("status", "ACTIVE")
	set("platformVersion", "eks.1")
	vpc := map[string]any{}
	if v := out["vpcConfig"]; v.IsObject() {
		vpc = v.ObjectValue().Mappable()
	}
	vpc["clusterSecurityGroupId"] = "sg-" + stableHex("cluster-sg/" + name)[:17]
	vpc["vpcId"] = "vpc-" + stableHex("cluster-vpc/" + name)[:17]
	set("vpcConfig", vpc)
}

// service returns the module of a type token: "aws:ec2/vpc:Vpc" -> "ec2".
func service(typ string) string {
	_, rest, _ := strings.Cut(typ, ":")
	mod, _, _ := strings.Cut(rest, "/")
	if mod == "" {
		return "unknown"
	}
	return mod
}

func str(in resource.PropertyMap, key string) string {
	if v := in[resource.PropertyKey(key)]; v.IsString() {
		return v.StringValue()
	}
	return ""
}

func or(s, fallback string) string {
	if s != "" {
		return s
	}
	return fallback
}

func stableHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func randomHex() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux.
	return hex.EncodeToString(b)
}
