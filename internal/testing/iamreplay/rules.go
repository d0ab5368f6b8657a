package iamreplay

import (
	"sort"
	"strings"
)

// rule maps one operation to the authorizations AWS makes for it, and
// records what the call changed that later authorizations read.
type rule struct {
	auth  func(r *Replayer, in input) []Authorization
	after func(r *Replayer, in input)
}

// one is an authorization of action on a resource of the reference's
// resourceType.
func one(action, resourceType, resource string) Authorization {
	return Authorization{Action: action, ResourceType: resourceType, Resource: resource}
}

// on is a rule with one authorization, built from the input.
func on(action, resourceType string, resource func(r *Replayer, in input) string) rule {
	return rule{auth: func(r *Replayer, in input) []Authorization {
		return []Authorization{one(action, resourceType, resource(r, in))}
	}}
}

// anywhere is a rule for an action with no resource type: IAM authorizes
// it on "*".
func anywhere(action string) rule {
	return on(action, "", func(*Replayer, input) string { return "*" })
}

// unauthorized is a rule for a call the deployer's identity policy does
// not decide.
var unauthorized = rule{auth: func(*Replayer, input) []Authorization { return nil }}

// The resource ARNs, in the formats of the reference's "Resource types"
// tables (EKS: cluster, nodegroup, addon; RDS: db, subgrp, pg, og,
// snapshot; S3: bucket, object; SSM: document, session; EC2: instance).
func eksCluster(r *Replayer, name string) string {
	return r.arn("eks", r.Region, r.Account, "cluster/"+name)
}

// eksUUID stands for the UUID a node group's or add-on's ARN ends with,
// which no request carries.
const eksUUID = "00000000-0000-0000-0000-000000000000"

func nodegroup(r *Replayer, cluster, name string) string {
	return r.arn("eks", r.Region, r.Account, "nodegroup/"+cluster+"/"+name+"/"+eksUUID)
}

func addon(r *Replayer, cluster, name string) string {
	return r.arn("eks", r.Region, r.Account, "addon/"+cluster+"/"+name+"/"+eksUUID)
}

// rdsARN is an RDS resource's ARN, or id itself when the request names
// it by ARN.
func rdsARN(r *Replayer, kind, id string) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	return r.arn("rds", r.Region, r.Account, kind+":"+id)
}

func bucketARN(r *Replayer, bucket string) string { return r.arn("s3", "", "", bucket) }

func objectARN(r *Replayer, bucket, key string) string {
	return r.arn("s3", "", "", bucket+"/"+key)
}

// via is the kms:ViaService value of a service in the replay's region.
func (r *Replayer) via(service string) string {
	suffix := "amazonaws.com"
	if strings.HasPrefix(r.Partition, "aws-cn") {
		suffix = "amazonaws.com.cn"
	}
	return service + "." + r.Region + "." + suffix
}

// throughS3 is what S3 asks KMS for, as the caller, on the key of an
// SSE-KMS bucket (S3 user guide, "Permissions for SSE-KMS": kms:Decrypt
// to read an object, kms:GenerateDataKey to write one).
func throughS3(r *Replayer, bucket, action string) []Authorization {
	k, ok := r.BucketKeys[bucket]
	if !ok {
		return nil
	}
	a := one(action, "key", k.ARN)
	a.Context = map[string][]string{"kms:ViaService": {r.via("s3")}}
	return []Authorization{a}
}

// requestTags are the condition keys of tags a request sets.
func requestTags(tags map[string]string) map[string][]string {
	ctx := map[string][]string{}
	for k, v := range tags {
		ctx["aws:RequestTag/"+k] = []string{v}
		ctx["aws:TagKeys"] = append(ctx["aws:TagKeys"], k)
	}
	sort.Strings(ctx["aws:TagKeys"])
	return ctx
}
