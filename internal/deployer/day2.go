package deployer

import (
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Day2Operations are the AWS operations `mlops verify`, `upgrade`, `nodes
// rotate` and `dr drill` call, as "<SigV4 signing name>:<operation>" (the
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

// drillScoped are the actions granted only on the drill's own resources
// (drillStatements), not on "*".
var drillScoped = map[string]bool{
	"rds:RestoreDBInstanceToPointInTime": true, "s3:GetObjectVersion": true, "s3:PutObject": true,
	"s3:DeleteObjectVersion": true, "s3:ListBucketVersions": true, "s3:GetObject": true,
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
			if !drillScoped[a] {
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
// and, on the artifact bucket, reading versions and writing and deleting
// versions under dr-drill/.
func drillStatements(g *plan.Graph) []iampolicy.Statement {
	const account = "${aws:PrincipalAccount}"
	var out []iampolicy.Statement
	for _, d := range g.ByType(typetoken.DBInstance) {
		id, _ := d.Inputs["identifier"].(string)
		if id == "" {
			continue
		}
		db := "arn:aws:rds:*:" + account + ":db:"
		out = append(out, iampolicy.Allow("DrillRestore", OperationActions("rds:RestoreDBInstanceToPointInTime"),
			[]string{db + id, db + id + "-drill-*", "arn:aws:rds:*:" + account + ":subgrp:*", "arn:aws:rds:*:" + account + ":pg:*", "arn:aws:rds:*:" + account + ":og:*"}))
		del := iampolicy.Allow("DrillDelete", []string{"rds:DeleteDBInstance"}, []string{db + id + "-drill-*"})
		del.Condition = map[string]map[string]any{"StringLike": {"aws:ResourceTag/mlops:dr-drill": id + "-drill-*"}}
		out = append(out, del)
		out = append(out, iampolicy.Allow("DrillConnect", []string{"rds-db:connect"}, []string{"arn:aws:rds-db:*:" + account + ":dbuser:*/mlflow"}))
	}
	for _, b := range g.ByType(typetoken.Bucket) {
		if b.Name != "artifacts" {
			continue
		}
		name, _ := b.Inputs["bucket"].(string)
		if name == "" {
			prefix, _ := b.Inputs["bucketPrefix"].(string)
			name = prefix + "*"
		}
		name = strings.ReplaceAll(name, engine.AccountID, account)
		bucket := "arn:aws:s3:::" + name
		out = append(out,
			iampolicy.Allow("DrillListArtifactVersions", []string{"s3:ListBucketVersions"}, []string{bucket}),
			iampolicy.Allow("DrillReadArtifactVersions", []string{"s3:GetObject", "s3:GetObjectVersion"}, []string{bucket + "/*"}),
			iampolicy.Allow("DrillScratchCopy", []string{"s3:PutObject", "s3:DeleteObjectVersion"}, []string{bucket + "/dr-drill/*"}))
	}
	return out
}
