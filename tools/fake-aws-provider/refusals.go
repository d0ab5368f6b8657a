package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// bucketsWithObjects reads EnvObjects.
func bucketsWithObjects() map[string]bool {
	out := map[string]bool{}
	for _, b := range strings.Split(os.Getenv(EnvObjects), ",") {
		if b = strings.TrimSpace(b); b != "" {
			out[b] = true
		}
	}
	return out
}

// refuseDelete answers a delete AWS refuses, with AWS's error:
//   - an RDS instance with deletionProtection: RDS's DeleteDBInstance
//     refuses it (InvalidParameterCombination, "Cannot delete protected DB
//     Instance, please disable deletion protection and try again");
//   - an RDS instance without skipFinalSnapshot and without a
//     finalSnapshotIdentifier: the provider refuses it before calling AWS
//     (terraform-provider-aws internal/service/rds/instance.go,
//     resourceInstanceDelete: "final_snapshot_identifier is required when
//     skip_final_snapshot is false");
//   - a bucket that holds objects (EnvObjects) without forceDestroy: S3's
//     DeleteBucket refuses it (BucketNotEmpty, 409); with forceDestroy the
//     provider empties it first.
//
// EKS clusters have no deletion protection in the provider pulumi-aws
// 6.83.4 wraps (the cluster's deletionProtection input is not in its
// schema.json); nor do the program's other types.
func (p *Provider) refuseDelete(urn resource.URN, id string, olds resource.PropertyMap) error {
	switch string(urn.Type()) {
	case "aws:rds/instance:Instance":
		if boolOf(olds, "deletionProtection") {
			return fmt.Errorf("deleting RDS DB Instance (%s): operation error RDS: DeleteDBInstance, api error InvalidParameterCombination: Cannot delete protected DB Instance, please disable deletion protection and try again", id)
		}
		if !boolOf(olds, "skipFinalSnapshot") && str(olds, "finalSnapshotIdentifier") == "" {
			return fmt.Errorf("deleting RDS DB Instance (%s): final_snapshot_identifier is required when skip_final_snapshot is false", id)
		}
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		objects := bucketsWithObjects()
		if (objects[id] || objects[urn.Name()]) && !boolOf(olds, "forceDestroy") {
			return fmt.Errorf("deleting S3 Bucket (%s): operation error S3: DeleteBucket, https response error StatusCode: 409, api error BucketNotEmpty: The bucket you tried to delete is not empty", id)
		}
	}
	return nil
}

func boolOf(m resource.PropertyMap, k string) bool {
	v, ok := m[resource.PropertyKey(k)]
	for ok && v.IsSecret() {
		v = v.SecretValue().Element
	}
	return ok && v.IsBool() && v.BoolValue()
}
