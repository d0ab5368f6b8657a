package extract

import (
	"fmt"
	"strings"
)

// servicePrefix maps the AWS SDK client package a call is made on to the
// IAM service prefix of its actions (Service Authorization Reference,
// "Service prefix" of each service's page).
var servicePrefix = map[string]string{
	"autoscaling":      "autoscaling",
	"cloudwatchevents": "events",
	"cloudwatchlogs":   "logs",
	"ec2":              "ec2",
	"eks":              "eks",
	"eventbridge":      "events",
	"iam":              "iam",
	"kms":              "kms",
	"rds":              "rds",
	"s3":               "s3",
	"sns":              "sns",
	"sqs":              "sqs",
	"ssm":              "ssm",
	"sts":              "sts",
}

// actionExceptions are the operations whose IAM action is not the service
// prefix and the operation's name: the permission each S3 operation's
// documentation in the Amazon S3 API model (s3-2006-03-01.json of
// aws/api-models-aws, the operation's "You must have the s3:… permission")
// names. Deleting a bucket's public access block, ownership controls,
// encryption or lifecycle configuration needs the put permission; there
// is no delete action for them.
var actionExceptions = map[string]string{
	"s3:PutPublicAccessBlock":            "s3:PutBucketPublicAccessBlock",
	"s3:GetPublicAccessBlock":            "s3:GetBucketPublicAccessBlock",
	"s3:DeletePublicAccessBlock":         "s3:PutBucketPublicAccessBlock",
	"s3:DeleteBucketOwnershipControls":   "s3:PutBucketOwnershipControls",
	"s3:PutBucketEncryption":             "s3:PutEncryptionConfiguration",
	"s3:GetBucketEncryption":             "s3:GetEncryptionConfiguration",
	"s3:DeleteBucketEncryption":          "s3:PutEncryptionConfiguration",
	"s3:PutBucketLifecycleConfiguration": "s3:PutLifecycleConfiguration",
	"s3:GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
	"s3:DeleteBucketLifecycle":           "s3:PutLifecycleConfiguration",
	"s3:HeadBucket":                      "s3:ListBucket",
	// aws_s3_bucket (bucket.go): its read gets, and its update puts or
	// deletes, every sub-resource; emptying a force_destroy bucket lists
	// and deletes object versions.
	"s3:GetBucketCors":                    "s3:GetBucketCORS",
	"s3:PutBucketCors":                    "s3:PutBucketCORS",
	"s3:DeleteBucketCors":                 "s3:PutBucketCORS",
	"s3:GetBucketAccelerateConfiguration": "s3:GetAccelerateConfiguration",
	"s3:PutBucketAccelerateConfiguration": "s3:PutAccelerateConfiguration",
	"s3:GetBucketReplication":             "s3:GetReplicationConfiguration",
	"s3:PutBucketReplication":             "s3:PutReplicationConfiguration",
	"s3:DeleteBucketReplication":          "s3:PutReplicationConfiguration",
	"s3:GetObjectLockConfiguration":       "s3:GetBucketObjectLockConfiguration",
	"s3:PutObjectLockConfiguration":       "s3:PutBucketObjectLockConfiguration",
	"s3:DeleteBucketTagging":              "s3:PutBucketTagging",
	"s3:ListObjectVersions":               "s3:ListBucketVersions",
	"s3:DeleteObjects":                    "s3:DeleteObject",
}

// Operation is the API operation an SDK method call makes: aws-sdk-go v1
// methods carry WithContext, Pages and PagesWithContext suffixes, and
// aws-sdk-go-v2 paginators are built by New<Operation>Paginator.
func Operation(method string) string {
	if op, ok := strings.CutPrefix(method, "New"); ok {
		if op, ok := strings.CutSuffix(op, "Paginator"); ok {
			return op
		}
	}
	for _, suffix := range []string{"PagesWithContext", "WithContext", "Pages"} {
		if op, ok := strings.CutSuffix(method, suffix); ok {
			return op
		}
	}
	return method
}

// ActionChecker says whether an action is in the Service Authorization
// Reference (serviceauthorization.Reference.HasAction).
type ActionChecker interface {
	HasAction(action string) bool
}

// Action maps a call on client's method to its service prefix, operation
// and IAM action, and fails on an action the reference does not define.
func Action(ref ActionChecker, client, method string) (prefix, op, action string, err error) {
	prefix, ok := servicePrefix[client]
	if !ok {
		return "", "", "", fmt.Errorf("client %q has no service prefix", client)
	}
	op = Operation(method)
	action = prefix + ":" + op
	if a, ok := actionExceptions[action]; ok {
		action = a
	}
	if !ref.HasAction(action) {
		return "", "", "", fmt.Errorf("%s.%s: %s is not an action of the Service Authorization Reference", client, method, action)
	}
	return prefix, op, action, nil
}
