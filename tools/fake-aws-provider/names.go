package main

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// onDuplicate is what the AWS create call does when the name is taken.
type onDuplicate int

const (
	// refuse: the create fails with the type's error.
	refuse onDuplicate = iota
	// sameAttributes: the create returns the existing resource when its
	// attributes are the same, and fails otherwise (SQS CreateQueue).
	sameAttributes
	// returnExisting: the create returns the existing resource (SNS
	// CreateTopic; S3 CreateBucket in us-east-1).
	returnExisting
	// upsert: the call creates or overwrites (EventBridge PutRule).
	upsert
)

// nameRule says how AWS keeps one type's names unique: the scope within
// the account a name is unique in, the inputs that name the resource, and
// the create call's answer to a name already taken.
type nameRule struct {
	// global: unique per account (IAM, S3's namespace), not per region.
	global bool
	// scope and name are input keys; scope may be empty (the account or
	// region itself). An empty or unknown name input means AWS or the
	// provider names the resource uniquely: nothing is recorded, unless
	// idNamed.
	scope, name string
	// idNamed: the resource's ID is its name (an S3 bucket), so a name the
	// provider generated from a prefix is held under the ID.
	idNamed bool
	on      onDuplicate
	// refusal is AWS's error for a taken name, given the name, the scope's
	// value and the region ({name}, {scope} and {region} in its message).
	refusal func(name, scope, region string) error
}

// nameRules are the types whose physical names AWS keeps unique, with the
// create call's error for a duplicate. The error codes are the error
// shapes the AWS API models (third_party/aws-api-models; aws/api-models-aws
// commit 56c8953e87ae) declare for the create operation, as their
// aws.protocols#awsQueryError code where the protocol is a query one;
// EC2's, whose model is not vendored, are from the EC2 API Reference's
// "Error codes" page.
var nameRules = map[string]nameRule{
	// iam CreateRole/CreatePolicy/CreateInstanceProfile/
	// CreateOpenIDConnectProvider: EntityAlreadyExistsException, query
	// code EntityAlreadyExists, HTTP 409.
	"aws:iam/role:Role":                                   idNamed(iamRule("CreateRole", "Role", "name")),
	"aws:iam/policy:Policy":                               iamRule("CreatePolicy", "Policy", "name"),
	"aws:iam/instanceProfile:InstanceProfile":             iamRule("CreateInstanceProfile", "Instance Profile", "name"),
	"aws:iam/openIdConnectProvider:OpenIdConnectProvider": iamRule("CreateOpenIDConnectProvider", "OpenID Connect Provider", "url"),
	// eks CreateCluster/CreateNodegroup/CreateAddon/CreateAccessEntry:
	// ResourceInUseException, HTTP 409.
	"aws:eks/cluster:Cluster":         eksRule("CreateCluster", "", "name", "Cluster already exists with name: {name}"),
	"aws:eks/nodeGroup:NodeGroup":     eksRule("CreateNodegroup", "clusterName", "nodeGroupName", "NodeGroup already exists with name {name} and cluster name {scope}"),
	"aws:eks/addon:Addon":             eksRule("CreateAddon", "clusterName", "addonName", "Addon already exists."),
	"aws:eks/accessEntry:AccessEntry": eksRule("CreateAccessEntry", "clusterName", "principalArn", "The specified access entry resource is already in use on this cluster."),
	// rds CreateDBInstance: DBInstanceAlreadyExistsFault, query code
	// DBInstanceAlreadyExists; CreateDBSubnetGroup and
	// CreateDBParameterGroup: DB{Subnet,Parameter}GroupAlreadyExistsFault.
	"aws:rds/instance:Instance":             apiRule("RDS", "CreateDBInstance", "", "identifier", 400, "DBInstanceAlreadyExists", "DB instance already exists"),
	"aws:rds/subnetGroup:SubnetGroup":       apiRule("RDS", "CreateDBSubnetGroup", "", "name", 400, "DBSubnetGroupAlreadyExists", "The DB subnet group '{name}' already exists."),
	"aws:rds/parameterGroup:ParameterGroup": apiRule("RDS", "CreateDBParameterGroup", "", "name", 400, "DBParameterGroupAlreadyExists", "Parameter group {name} already exists"),
	// kms CreateAlias: AlreadyExistsException (awsJson1_1: the shape name
	// is the code), HTTP 409.
	"aws:kms/alias:Alias": apiRule("KMS", "CreateAlias", "", "name", 409, "AlreadyExistsException", "An alias with the name arn:aws:kms:{region}:"+AccountID+":{name} already exists"),
	// logs CreateLogGroup: ResourceAlreadyExistsException, HTTP 400.
	"aws:cloudwatch/logGroup:LogGroup": apiRule("CloudWatch Logs", "CreateLogGroup", "", "name", 400, "ResourceAlreadyExistsException", "The specified log group already exists"),
	// s3 CreateBucket: BucketAlreadyOwnedByYou, HTTP 409, "in all Amazon
	// Web Services Regions except in the North Virginia Region", where
	// re-creating a bucket you own "returns 200 OK" (the shape's
	// documentation). Bucket names share one namespace.
	"aws:s3/bucketV2:BucketV2": s3Rule(),
	"aws:s3/bucket:Bucket":     s3Rule(),
	// sns CreateTopic: "This action is idempotent, so if the requester
	// already owns a topic with the specified name, that topic's ARN is
	// returned without creating a new topic" (the operation's
	// documentation); it declares no already-exists error.
	"aws:sns/topic:Topic": {scope: "", name: "name", on: returnExisting},
	// sqs CreateQueue: the existing queue's URL when "the exact same names
	// and values for all its attributes", else QueueNameExists, query code
	// QueueAlreadyExists (the operation's and the shape's documentation).
	"aws:sqs/queue:Queue": withOn(sameAttributes, apiRule("SQS", "CreateQueue", "", "name", 400,
		"QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute(s)")),
	// eventbridge PutRule: "Creates or updates the specified rule"; it
	// declares no already-exists error.
	"aws:cloudwatch/eventRule:EventRule": {name: "name", on: upsert},
	// ec2 CreateSecurityGroup: InvalidGroup.Duplicate, a name per VPC;
	// CreateLaunchTemplate: InvalidLaunchTemplateName.AlreadyExistsException
	// (EC2 API Reference, "Error codes for the Amazon EC2 API").
	"aws:ec2/securityGroup:SecurityGroup": apiRule("EC2", "CreateSecurityGroup", "vpcId", "name", 400, "InvalidGroup.Duplicate", "The security group '{name}' already exists for VPC '{scope}'"),
	"aws:ec2/launchTemplate:LaunchTemplate": apiRule("EC2", "CreateLaunchTemplate", "", "name", 400,
		"InvalidLaunchTemplateName.AlreadyExistsException", "Launch template name already in use."),
}

func iamRule(op, what, name string) nameRule {
	r := apiRule("IAM", op, "", name, 409, "EntityAlreadyExists", what+" with name {name} already exists.")
	r.global = true
	return r
}

// idNamed marks a type whose ID is its name, so that a name the provider
// generated from a prefix is held too.
func idNamed(r nameRule) nameRule {
	r.idNamed = true
	return r
}

func eksRule(op, scope, name, msg string) nameRule {
	return apiRule("EKS", op, scope, name, 409, "ResourceInUseException", msg)
}

func withOn(on onDuplicate, r nameRule) nameRule {
	r.on = on
	return r
}

func s3Rule() nameRule {
	r := apiRule("S3", "CreateBucket", "", "bucket", 409, "BucketAlreadyOwnedByYou",
		"Your previous request to create the named bucket succeeded and you already own it.")
	r.global = true
	return idNamed(r)
}

// apiRule formats the error as the AWS SDK for Go v2 does,
// which the provider wraps: "operation error SVC: Op, https response
// error StatusCode: N, RequestID: ..., api error CODE: message".
func apiRule(svc, op, scope, name string, status int, code, msg string) nameRule {
	return nameRule{scope: scope, name: name, on: refuse, refusal: func(n, s, region string) error {
		return fmt.Errorf("operation error %s: %s, https response error StatusCode: %d, RequestID: 00000000-0000-0000-0000-000000000000, api error %s: %s",
			svc, op, status, code, strings.NewReplacer("{name}", n, "{scope}", s, "{region}", region).Replace(msg))
	}}
}

// physicalName returns the name a resource takes in its type's scope, and
// false where AWS keeps no name unique or the inputs set none.
func (r nameRule) physicalName(in resource.PropertyMap) (scope, name string, ok bool) {
	name = str(in, r.name)
	if r.scope != "" {
		scope = str(in, r.scope)
	}
	return scope, name, name != "" && (r.scope == "" || scope != "")
}
