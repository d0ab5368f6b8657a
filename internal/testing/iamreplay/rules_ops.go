package iamreplay

import "strings"

// eksUpdates authorizes an update listing or read on what it names.
func eksUpdates(action string) rule {
	return rule{auth: func(r *Replayer, in input) []Authorization {
		cluster := in.str("name")
		switch {
		case in.str("nodegroupName") != "":
			return []Authorization{one(action, "nodegroup", nodegroup(r, cluster, in.str("nodegroupName")))}
		case in.str("addonName") != "":
			return []Authorization{one(action, "addon", addon(r, cluster, in.str("addonName")))}
		}
		return []Authorization{one(action, "cluster", eksCluster(r, cluster))}
	}}
}

// restoreRule: RDS authorizes a point-in-time restore on the source and
// target instances and the subnet, parameter and option groups it names
// (the reference's resource types for RestoreDBInstanceToPointInTime),
// and tags given with the restore as rds:AddTagsToResource on the target
// (RDS user guide, "Granting permission to tag resources on creation").
var restoreRule = rule{
	auth: func(r *Replayer, in input) []Authorization {
		target := rdsARN(r, "db", in.str("TargetDBInstanceIdentifier"))
		tags := requestTags(in.tags("Tags"))
		restore := one("rds:RestoreDBInstanceToPointInTime", "db", target)
		restore.Context = tags
		out := []Authorization{restore}
		if src := in.str("SourceDBInstanceIdentifier"); src != "" {
			out = append(out, one("rds:RestoreDBInstanceToPointInTime", "db", rdsARN(r, "db", src)))
		}
		for member, kind := range map[string]string{"DBSubnetGroupName": "subgrp", "DBParameterGroupName": "pg", "OptionGroupName": "og"} {
			if v := in.str(member); v != "" {
				out = append(out, one("rds:RestoreDBInstanceToPointInTime", kind, rdsARN(r, kind, v)))
			}
		}
		if len(tags) > 0 {
			t := one("rds:AddTagsToResource", "db", target)
			t.Context = tags
			out = append(out, t)
		}
		return out
	},
	after: func(r *Replayer, in input) {
		r.tag(rdsARN(r, "db", in.str("TargetDBInstanceIdentifier")), in.tags("Tags"))
	},
}

// deleteDBRule: the instance, and a final snapshot when one is asked for
// (rds:CreateDBSnapshot on the snapshot, RDS user guide).
var deleteDBRule = rule{auth: func(r *Replayer, in input) []Authorization {
	out := []Authorization{one("rds:DeleteDBInstance", "db", rdsARN(r, "db", in.str("DBInstanceIdentifier")))}
	if snap := in.str("FinalDBSnapshotIdentifier"); snap != "" && in.str("SkipFinalSnapshot") != "true" {
		out = append(out, one("rds:CreateDBSnapshot", "snapshot", rdsARN(r, "snapshot", snap)))
	}
	return out
}}

func bucketRule(action string) rule {
	return on(action, "bucket", func(r *Replayer, in input) string { return bucketARN(r, in.str("Bucket")) })
}

// objectRead: GetObject and HeadObject both need s3:GetObject, or
// s3:GetObjectVersion for a versionId; reading the body of an SSE-KMS
// object needs kms:Decrypt through S3.
func objectRead(body bool) rule {
	return rule{auth: func(r *Replayer, in input) []Authorization {
		b := in.str("Bucket")
		action := "s3:GetObject"
		if in.str("VersionId") != "" {
			action = "s3:GetObjectVersion"
		}
		out := []Authorization{one(action, "object", objectARN(r, b, in.str("Key")))}
		if body {
			out = append(out, throughS3(r, b, "kms:Decrypt")...)
		}
		return out
	}}
}

// copyRule: a copy reads the source (its version when named) and writes
// the destination, decrypting and encrypting through S3 (S3 API
// Reference, CopyObject, "Permissions").
var copyRule = rule{auth: func(r *Replayer, in input) []Authorization {
	sb, sk, sv := in.copySource()
	read := "s3:GetObject"
	if sv != "" {
		read = "s3:GetObjectVersion"
	}
	db := in.str("Bucket")
	out := []Authorization{
		one(read, "object", objectARN(r, sb, sk)),
		one("s3:PutObject", "object", objectARN(r, db, in.str("Key"))),
	}
	out = append(out, throughS3(r, sb, "kms:Decrypt")...)
	return append(out, throughS3(r, db, "kms:GenerateDataKey")...)
}}

// deleteObjectRule: deleting a version needs s3:DeleteObjectVersion.
var deleteObjectRule = rule{auth: func(r *Replayer, in input) []Authorization {
	action := "s3:DeleteObject"
	if in.str("VersionId") != "" {
		action = "s3:DeleteObjectVersion"
	}
	return []Authorization{one(action, "object", objectARN(r, in.str("Bucket"), in.str("Key")))}
}}

// defaultSessionDocument is the document StartSession uses when the
// request names none (SSM API Reference, StartSession DocumentName).
const defaultSessionDocument = "SSM-SessionManagerRunShell"

var startSessionRule = rule{auth: func(r *Replayer, in input) []Authorization {
	doc := in.str("DocumentName")
	if doc == "" {
		doc = defaultSessionDocument
	}
	// AWS-owned documents (AWS-*) have no account in their ARN; the
	// account's own, SSM-SessionManagerRunShell included, have it.
	owner := r.Account
	if strings.HasPrefix(doc, "AWS-") {
		owner = ""
	}
	return []Authorization{
		one("ssm:StartSession", "instance", r.arn("ec2", r.Region, r.Account, "instance/"+in.str("Target"))),
		one("ssm:StartSession", "document", r.arn("ssm", r.Region, owner, "document/"+doc)),
	}
}}

func sessionRule(action string) rule {
	return rule{auth: func(r *Replayer, in input) []Authorization {
		a := one(action, "session", r.arn("ssm", r.Region, r.Account, "session/"+in.str("SessionId")))
		a.Context = map[string][]string{"ssm:resourceTag/aws:ssmmessages:session-id": {r.UserID}}
		return []Authorization{a}
	}}
}
