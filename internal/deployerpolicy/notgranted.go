package deployerpolicy

// Exclusion is why the policy leaves out an action the provider's source
// calls: the condition the call is made under (When), which the program
// never meets, and the reason (Why).
type Exclusion struct{ When, Why string }

// NotGranted are actions the provider's source calls for a type that the
// type's row leaves out on purpose (keyed "<token> <action>"): each is
// reached only under the condition named, which the program never meets,
// or which another statement of the policy grants for, scoped tighter
// than the row could (Why says which). The check requires every call of
// the action to be under that condition, so an exclusion cannot hide a
// call the provider makes unconditionally.
var NotGranted = map[string]Exclusion{
	"aws:iam/role:Role iam:DeleteRolePermissionsBoundary": {
		When: `permissionsBoundary == ""`,
		Why: "resourceRoleUpdate removes the boundary only when permissions_boundary is unset; every role the program " +
			"declares carries the stack's boundary (graphBoundary fails otherwise), and granting it would let the " +
			"deployer strip a role's boundary",
	},
	// resourceSubnetDelete first deletes ENIs that Lambda, Comprehend or
	// DMS left in the subnet (deleteLingeringENIs); the platform runs none
	// of them, and granting ENI deletion would let the deployer remove
	// any ENI, the cluster's included.
	"aws:ec2/subnet:Subnet ec2:DetachNetworkInterface": {When: "lingering", Why: "only for lingering Lambda/Comprehend/DMS ENIs"},
	"aws:ec2/subnet:Subnet ec2:DeleteNetworkInterface": {When: "lingering", Why: "only for lingering Lambda/Comprehend/DMS ENIs"},
	// resourceSecurityGroupDelete runs the same cleanup on the group's ENIs.
	"aws:ec2/securityGroup:SecurityGroup ec2:DetachNetworkInterface": {When: "lingering", Why: "only for lingering Lambda/Comprehend/DMS ENIs"},
	"aws:ec2/securityGroup:SecurityGroup ec2:DeleteNetworkInterface": {When: "lingering", Why: "only for lingering Lambda/Comprehend/DMS ENIs"},
	// After a DependencyViolation, resourceSubnetDelete removes the subnet
	// from GuardDuty-managed VPC endpoints; the provider reports an
	// authorization failure there as a warning, so that, in its words, no
	// new permissions are required for users who do not have GuardDuty
	// monitoring enabled for their VPCs.
	"aws:ec2/subnet:Subnet ec2:DescribeVpcs":         {When: "DependencyViolation", Why: "GuardDuty endpoint cleanup, optional"},
	"aws:ec2/subnet:Subnet ec2:DescribeVpcEndpoints": {When: "DependencyViolation", Why: "GuardDuty endpoint cleanup, optional"},
	"aws:ec2/subnet:Subnet ec2:ModifyVpcEndpoint":    {When: "DependencyViolation", Why: "GuardDuty endpoint cleanup, optional"},
	// flattenRoutes (vpc_route_table.go) describes the ENI of a route that
	// targets one, to skip cross-account ENIs of AWS services, and
	// ignores the error: the program's tables route to the internet and
	// NAT gateways only.
	"aws:ec2/routeTable:RouteTable ec2:DescribeNetworkInterfaces": {When: "NetworkInterfaceId", Why: "ENI-target routes only; the provider ignores the error"},
	// resourceBucketDelete (s3/bucket.go) empties a bucket only when
	// DeleteBucket returned BucketNotEmpty and force_destroy is set:
	// bucketStatements grants that apart from the row, on the forceDestroy
	// buckets (ListForceDestroyedBuckets) and their objects
	// (EmptyForceDestroyedBuckets), and the replay authorizes it in
	// bucketEmptying; in the row it would reach every bucket.
	"aws:s3/bucketV2:BucketV2 s3:ListBucketVersions": {When: "BucketNotEmpty", Why: "emptying a forceDestroy bucket, granted by bucketStatements on those buckets only"},
	"aws:s3/bucketV2:BucketV2 s3:DeleteObject":       {When: "BucketNotEmpty", Why: "emptying a forceDestroy bucket, granted by bucketStatements on those buckets' objects only"},
	// While emptying, deletePageOfObjectVersions lifts an object's legal
	// hold only for a bucket with object lock enabled; no bucket the
	// program declares enables it.
	"aws:s3/bucketV2:BucketV2 s3:PutObjectLegalHold": {When: "object lock", Why: "legal holds exist only in object-lock buckets; the program enables object lock on none"},
	// ec2_launch_template.go looks the instance type up (DescribeInstanceTypes)
	// only for a credit specification with an instance type: on create and
	// update when both are set (expandRequestLaunchTemplateData), on read
	// when the version AWS returns carries both
	// (flattenResponseLaunchTemplateData). The node groups' launch
	// templates set neither; the group names its instance types.
	"aws:ec2/launchTemplate:LaunchTemplate ec2:DescribeInstanceTypes": {
		When: `instanceType != ""`,
		Why:  "credit_specification with instance_type only; the program's launch templates set neither",
	},
	// ec2_instance.go (resourceInstanceFlatten, resourceInstanceDelete,
	// buildInstanceOpts): calls for settings the bastion does not use. It
	// sets no get_password_data (a Windows password), runs on demand (no
	// spot request to describe or cancel), and is launched from no launch
	// template (the read looks one up only for an instance that carries
	// the aws:ec2launchtemplate:id tag).
	"aws:ec2/instance:Instance ec2:GetPasswordData": {
		When: `get_password_data`, Why: "get_password_data only; the bastion sets none",
	},
	"aws:ec2/instance:Instance ec2:DescribeSpotInstanceRequests": {
		When: `spotInstanceRequestID != ""`, Why: "spot instances only; the bastion runs on demand",
	},
	"aws:ec2/instance:Instance ec2:CancelSpotInstanceRequests": {
		When: `is "spot"`, Why: "spot instances only; the bastion runs on demand",
	},
	"aws:ec2/instance:Instance ec2:DescribeLaunchTemplates": {
		When: `launch_template`, Why: "instances launched from a launch template only; the bastion sets none",
	},
	"aws:ec2/instance:Instance ec2:DescribeLaunchTemplateVersions": {
		When: `launch_template`, Why: "instances launched from a launch template only; the bastion sets none",
	},
}
