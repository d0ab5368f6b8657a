# S3 controls: reference rows 44-51. Rows 45, 47, 48 and 51 hold for every
# bucket; rows 44, 46, 49 and 50 describe the MLflow artifact bucket (the
# access-log bucket is SSE-S3, as ELB log delivery requires, and expires
# its objects instead of versioning them).
package mlops.guardrails.s3

import data.mlops.guardrails.lib

buckets := lib.by_type("aws:s3/bucketV2:BucketV2")

# artifact_buckets are the buckets of the storage:Artifacts component.
artifact_buckets := [b | some b in buckets; contains(b.urn, "mlops:storage:Artifacts$")]

checked contains lib.check(n, b.urn) if {
	some b in buckets
	some n in [45, 47, 48, 51]
}

checked contains lib.check(n, b.urn) if {
	some b in artifact_buckets
	some n in [44, 46, 49, 50]
}

# Row 50: server access logging to the log bucket.
deny contains lib.fail(50, b.urn, "declare aws:s3/bucketLoggingV2 for the bucket with a targetBucket") if {
	some b in artifact_buckets
	count([l | some l in attached(b, "aws:s3/bucketLoggingV2:BucketLoggingV2"); lib.input_of(l, "targetBucket", "") != ""]) == 0
}

# attached lists the resources of type t configuring bucket b.
attached(b, t) := lib.dependents_of_type(b, t)

# Row 44: versioning on.
deny contains lib.fail(44, b.urn, "declare aws:s3/bucketVersioningV2 with versioningConfiguration.status=\"Enabled\" (artifacts.versioning)") if {
	some b in artifact_buckets
	count([v | some v in attached(b, "aws:s3/bucketVersioningV2:BucketVersioningV2"); lib.input_of(v, ["versioningConfiguration", "status"], "") == "Enabled"]) == 0
}

# Row 45: all four public access block flags.
flags := ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]

deny contains lib.fail(45, b.urn, "declare aws:s3/bucketPublicAccessBlock with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true") if {
	some b in buckets
	count([p | some p in attached(b, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"); all_flags(p)]) == 0
}

all_flags(p) if every f in flags {
	lib.is_true(lib.input_of(p, f, false))
}

# Row 46: SSE-KMS with the customer-managed key and an S3 bucket key.
deny contains lib.fail(46, b.urn, "declare server-side encryption with sseAlgorithm=\"aws:kms\", kmsMasterKeyId=<customer-managed key> and bucketKeyEnabled=true") if {
	some b in artifact_buckets
	count([c | some c in attached(b, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"); sse_ok(c)]) == 0
}

sse_ok(c) if {
	count(lib.as_list(lib.input_of(c, "rules", []))) > 0
	every r in lib.as_list(lib.input_of(c, "rules", [])) {
		r.applyServerSideEncryptionByDefault.sseAlgorithm == "aws:kms"
		lib.cmk_arn(object.get(r.applyServerSideEncryptionByDefault, "kmsMasterKeyId", ""))
		lib.is_true(object.get(r, "bucketKeyEnabled", false))
	}
	count(lib.deps_of_type(c, "aws:kms/key:Key")) > 0
}

# Row 47: TLS only.
deny contains lib.fail(47, b.urn, "add a bucket policy statement that denies s3:* when aws:SecureTransport is \"false\"") if {
	some b in buckets
	count([p | some p in attached(b, "aws:s3/bucketPolicy:BucketPolicy"); denies_plain_http(p)]) == 0
}

denies_plain_http(p) if {
	some s in lib.statements(lib.doc(lib.input_of(p, "policy", "{}")))
	s.Effect == "Deny"
	some a in lib.as_list(s.Action)
	a in {"s3:*", "*"}
	lower(sprintf("%v", [s.Condition.Bool["aws:SecureTransport"]])) == "false"
}

# Row 48: ACLs disabled.
deny contains lib.fail(48, b.urn, "declare aws:s3/bucketOwnershipControls with rule.objectOwnership=\"BucketOwnerEnforced\"") if {
	some b in buckets
	count([o | some o in attached(b, "aws:s3/bucketOwnershipControls:BucketOwnershipControls"); lib.input_of(o, ["rule", "objectOwnership"], "") == "BucketOwnerEnforced"]) == 0
}

# Row 49: lifecycle expires old versions and abandoned uploads.
deny contains lib.fail(49, b.urn, "add an enabled lifecycle rule with noncurrentVersionExpiration and abortIncompleteMultipartUpload.daysAfterInitiation <= 7") if {
	some b in artifact_buckets
	count([l | some l in attached(b, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"); lifecycle_ok(l)]) == 0
}

lifecycle_ok(l) if {
	some r in lib.as_list(lib.input_of(l, "rules", []))
	r.status == "Enabled"
	object.get(r, ["noncurrentVersionExpiration", "noncurrentDays"], 0) > 0
	days := object.get(r, ["abortIncompleteMultipartUpload", "daysAfterInitiation"], 0)
	days > 0
	days <= 7
}

# Row 51: the bucket survives a careless destroy.
deny contains lib.fail(51, b.urn, "set forceDestroy=false (artifacts.forceDestroy)") if {
	some b in buckets
	lib.is_true(lib.input_of(b, "forceDestroy", false))
}

deny contains lib.fail(51, b.urn, "protect the bucket (protectStatefulResources=true) so the engine refuses to delete it") if {
	some b in buckets
	not b.protect
}
