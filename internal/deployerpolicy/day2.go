package deployerpolicy

import (
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Day2Operations are the AWS operations `mlops verify`, `upgrade`, `nodes
// rotate`, `dr drill` and `--tunnel` (with the session-manager-plugin) call, as "<SigV4 signing name>:<operation>" (the
// local endpoint's record of a request). The policy's day-2 actions derive
// from them; the CLI's tests fail when a command calls one not listed.
var Day2Operations = []string{
	"sts:GetCallerIdentity",
	"eks:DescribeCluster", "eks:ListNodegroups", "eks:DescribeNodegroup", "eks:ListAddons", "eks:DescribeAddon",
	"eks:ListInsights", "eks:DescribeInsight", "eks:UpdateNodegroupVersion", "eks:ListUpdates", "eks:DescribeUpdate",
	"autoscaling:DescribeAutoScalingGroups", "logs:DescribeLogGroups",
	"rds:DescribeDBInstances", "rds:RestoreDBInstanceToPointInTime", "rds:DeleteDBInstance",
	"s3:ListBuckets", "s3:HeadBucket", "s3:GetBucketVersioning", "s3:GetBucketEncryption", "s3:GetPublicAccessBlock",
	"s3:ListObjectVersions", "s3:GetObject", "s3:CopyObject", "s3:DeleteObject",
	"ssm:StartSession", "ssm:TerminateSession", "ssm:ResumeSession",
}

// operationActions are the IAM actions of the operations whose action is
// not the operation's own name (the Service Authorization Reference).
var operationActions = map[string][]string{
	"s3:ListBuckets":                     {"s3:ListAllMyBuckets"},
	"s3:HeadBucket":                      {"s3:ListBucket"},
	"s3:GetBucketEncryption":             {"s3:GetEncryptionConfiguration"},
	"s3:GetPublicAccessBlock":            {"s3:GetBucketPublicAccessBlock"},
	"s3:ListObjectVersions":              {"s3:ListBucketVersions"},
	"s3:GetObject":                       {"s3:GetObject", "s3:GetObjectVersion"}, // a versionId needs the second
	"s3:CopyObject":                      {"s3:GetObjectVersion", "s3:PutObject"}, // reads the source version, writes the copy
	"s3:DeleteObject":                    {"s3:DeleteObjectVersion"},              // the drill deletes a version
	"rds:RestoreDBInstanceToPointInTime": {"rds:RestoreDBInstanceToPointInTime", "rds:AddTagsToResource"},
}

// day2Scoped are the actions granted only on the drill's own resources
// (drillStatements) or the bastion (tunnelStatements), not on "*".
var day2Scoped = map[string]bool{
	"rds:RestoreDBInstanceToPointInTime": true, "s3:GetObjectVersion": true, "s3:PutObject": true,
	"s3:DeleteObjectVersion": true, "s3:ListBucketVersions": true, "s3:GetObject": true,
	"ssm:StartSession": true, "ssm:TerminateSession": true, "ssm:ResumeSession": true,
}

// OperationActions returns the IAM actions of one operation
// ("<signing name>:<operation>").
func OperationActions(op string) []string {
	if a, ok := operationActions[op]; ok {
		return a
	}
	return []string{op}
}

// day2Reads are the day-2 actions granted on "*".
func day2Reads() []string {
	var out []string
	for _, op := range Day2Operations {
		for _, a := range OperationActions(op) {
			if !day2Scoped[a] {
				out = append(out, a)
			}
		}
	}
	return uniqueSorted(out)
}

// drillStatements grant the drill's changes on its own resources only:
// the restore from the source instance into <source>-drill-*, with its
// subnet, parameter and option groups; the deletion of an instance named
// and tagged as a drill's; IAM authentication as MLflow's database user;
// on the artifact bucket, reading versions and writing and deleting
// versions under dr-drill/; and the bucket's key through S3, which
// reading and copying an SSE-KMS object need (N6).
func drillStatements(g *plan.Graph, e env) []iampolicy.Statement {
	var out []iampolicy.Statement
	for _, d := range g.Databases() {
		id := d.Identifier
		if id == "" {
			continue
		}
		db := e.arn("rds", "*", "db:")
		out = append(out, iampolicy.Allow("DrillRestore", OperationActions("rds:RestoreDBInstanceToPointInTime"),
			[]string{db + id, db + id + "-drill-*", e.arn("rds", "*", "subgrp:*"), e.arn("rds", "*", "pg:*"), e.arn("rds", "*", "og:*")}))
		del := iampolicy.Allow("DrillDelete", []string{"rds:DeleteDBInstance"}, []string{db + id + "-drill-*"})
		del.Condition = map[string]map[string]any{"StringLike": {"aws:ResourceTag/mlops:dr-drill": id + "-drill-*"}}
		out = append(out, del)
		out = append(out, iampolicy.Allow("DrillConnect", []string{"rds-db:connect"}, []string{e.arn("rds-db", "*", "dbuser:*/mlflow")}))
	}
	for _, b := range g.ByType(typetoken.Bucket) {
		if b.Name != "artifacts" {
			continue
		}
		bucket := e.arn("s3", "", e.bucketName(b))
		out = append(out,
			iampolicy.Allow("DrillListArtifactVersions", []string{"s3:ListBucketVersions"}, []string{bucket}),
			iampolicy.Allow("DrillReadArtifactVersions", []string{"s3:GetObject", "s3:GetObjectVersion"}, []string{bucket + "/*"}),
			iampolicy.Allow("DrillScratchCopy", []string{"s3:PutObject", "s3:DeleteObjectVersion"}, []string{bucket + "/dr-drill/*"}))
		if aliases := bucketKeyAliases(g, b); len(aliases) > 0 {
			s := iampolicy.Allow("DrillArtifactKeyThroughS3", []string{"kms:Decrypt", "kms:GenerateDataKey"}, []string{e.arn("kms", e.region, "key/*")})
			s.Condition = map[string]map[string]any{
				"StringEquals":             {"kms:ViaService": e.via("s3")},
				"ForAnyValue:StringEquals": {"kms:ResourceAliases": aliases},
			}
			out = append(out, s)
		}
	}
	return out
}

// bucketKeyAliases are the aliases of the KMS key the bucket's default
// encryption names.
func bucketKeyAliases(g *plan.Graph, b plan.Resource) []string {
	name := plan.BucketOf(b).Name
	var keys []string
	for _, enc := range g.ByType(typetoken.BucketEncryption) {
		if plan.BucketOfConfig(enc) != name && !slices.Contains(enc.Dependencies, b.URN) {
			continue
		}
		rules, _ := enc.Input("rules")
		walkStrings(rules, func(s string) {
			if _, id, ok := strings.Cut(s, ":key/"); ok {
				keys = append(keys, id)
			}
		})
	}
	var out []string
	for _, a := range g.Aliases() {
		if a.Name != "" && slices.Contains(keys, a.TargetKeyID) {
			out = append(out, a.Name)
		}
	}
	return uniqueSorted(out)
}
