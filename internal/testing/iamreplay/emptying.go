package iamreplay

import "github.com/mlops-platform/mlops-platform/internal/typetoken"

// emptyingKey stands for an object a bucket holds when it is destroyed
// (the access logs the load balancers and S3 wrote, MLflow's artifacts).
const emptyingKey = "AWSLogs/123456789012/elasticloadbalancing/object"

// bucketEmptying are the authorizations of emptying a bucket whose delete
// sets forceDestroy: the Terraform provider's aws_s3_bucket delete, refused
// with BucketNotEmpty, lists every object version and delete marker
// (ListObjectVersions: s3:ListBucketVersions on the bucket), deletes them
// (DeleteObjects with version IDs: s3:DeleteObjectVersion, and
// s3:DeleteObject, on the objects) and deletes the bucket again. A bucket
// that holds objects is the case that matters on a real account.
func (r *Replayer) bucketEmptying(op ProviderOp) []Authorization {
	if op.Step != StepDelete || op.Type != typetoken.Bucket {
		return nil
	}
	if force, _ := op.Inputs["forceDestroy"].(bool); !force {
		return nil
	}
	bucket := orStr(input(op.Outputs).str("bucket"), op.ID)
	obj := objectARN(r, bucket, emptyingKey)
	return []Authorization{
		one("s3:ListBucketVersions", "bucket", bucketARN(r, bucket)),
		one("s3:DeleteObjectVersion", "object", obj),
		one("s3:DeleteObject", "object", obj),
	}
}
