package iamreplay

// rules are the operations the platform's commands call, by "<signing
// name>:<operation>". An action named like its operation is the
// reference's; the others name their source.
var rules = map[string]rule{
	// STS API Reference, GetCallerIdentity: "No permissions are required
	// to perform this operation."
	"sts:GetCallerIdentity": unauthorized,
	// AssumeRole is decided by the caller's policy and the deployer
	// role's trust policy, before the deployer policy applies.
	"sts:AssumeRole": unauthorized,

	"acm:DescribeCertificate": on("acm:DescribeCertificate", "certificate", func(_ *Replayer, in input) string { return in.str("CertificateArn") }),

	"eks:DescribeCluster": on("eks:DescribeCluster", "cluster", func(r *Replayer, in input) string { return eksCluster(r, in.str("name")) }),
	"eks:ListNodegroups":  on("eks:ListNodegroups", "cluster", func(r *Replayer, in input) string { return eksCluster(r, in.str("clusterName")) }),
	"eks:ListAddons":      on("eks:ListAddons", "cluster", func(r *Replayer, in input) string { return eksCluster(r, in.str("clusterName")) }),
	"eks:ListInsights":    on("eks:ListInsights", "cluster", func(r *Replayer, in input) string { return eksCluster(r, in.str("clusterName")) }),
	"eks:DescribeInsight": on("eks:DescribeInsight", "cluster", func(r *Replayer, in input) string { return eksCluster(r, in.str("clusterName")) }),
	"eks:DescribeNodegroup": on("eks:DescribeNodegroup", "nodegroup", func(r *Replayer, in input) string {
		return nodegroup(r, in.str("clusterName"), in.str("nodegroupName"))
	}),
	"eks:UpdateNodegroupVersion": on("eks:UpdateNodegroupVersion", "nodegroup", func(r *Replayer, in input) string {
		return nodegroup(r, in.str("clusterName"), in.str("nodegroupName"))
	}),
	"eks:DescribeAddon": on("eks:DescribeAddon", "addon", func(r *Replayer, in input) string {
		return addon(r, in.str("clusterName"), in.str("addonName"))
	}),
	"eks:DescribeAddonVersions": anywhere("eks:DescribeAddonVersions"),
	// ListUpdates and DescribeUpdate are authorized on the node group or
	// add-on the request names, else on the cluster (the reference lists
	// all three resource types for both).
	"eks:ListUpdates":    eksUpdates("eks:ListUpdates"),
	"eks:DescribeUpdate": eksUpdates("eks:DescribeUpdate"),

	"autoscaling:DescribeAutoScalingGroups": anywhere("autoscaling:DescribeAutoScalingGroups"),
	"logs:DescribeLogGroups":                anywhere("logs:DescribeLogGroups"),

	"rds:DescribeDBInstances": on("rds:DescribeDBInstances", "db", func(r *Replayer, in input) string {
		if id := in.str("DBInstanceIdentifier"); id != "" {
			return rdsARN(r, "db", id)
		}
		return rdsARN(r, "db", "*")
	}),
	"rds:RestoreDBInstanceToPointInTime": restoreRule,
	"rds:DeleteDBInstance":               deleteDBRule,

	// S3 user guide, "Required permissions for Amazon S3 API operations".
	"s3:ListBuckets":          anywhere("s3:ListAllMyBuckets"),
	"s3:HeadBucket":           bucketRule("s3:ListBucket"),
	"s3:ListObjectsV2":        bucketRule("s3:ListBucket"),
	"s3:ListObjectVersions":   bucketRule("s3:ListBucketVersions"),
	"s3:GetBucketVersioning":  bucketRule("s3:GetBucketVersioning"),
	"s3:GetBucketEncryption":  bucketRule("s3:GetEncryptionConfiguration"),
	"s3:GetPublicAccessBlock": bucketRule("s3:GetBucketPublicAccessBlock"),
	"s3:GetObject":            objectRead(true),
	"s3:HeadObject":           objectRead(false),
	"s3:CopyObject":           copyRule,
	"s3:DeleteObject":         deleteObjectRule,

	// Session Manager user guide, "Sample IAM policies": StartSession is
	// authorized on the node and on the session document; Terminate and
	// Resume on the session, which Session Manager tags with the
	// starter's aws:userid (ssm:resourceTag/aws:ssmmessages:session-id,
	// listed for the session resource type in the reference).
	"ssm:StartSession":     startSessionRule,
	"ssm:TerminateSession": sessionRule("ssm:TerminateSession"),
	"ssm:ResumeSession":    sessionRule("ssm:ResumeSession"),
}
