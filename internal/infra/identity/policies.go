package identity

import (
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
)

// viaService scopes a KMS permission to calls made on our behalf by service.
func viaService(args *Args, service string) map[string]map[string]any {
	return map[string]map[string]any{"StringEquals": {"kms:ViaService": fmt.Sprintf("%s.%s.amazonaws.com", service, args.Region)}}
}

// bucketPolicy grants the artifact bucket, read-only or read/write, and the
// bucket key's KMS operations through S3 only.
func bucketPolicy(args *Args, bucketArn, keyArn string, write bool) iampolicy.Document {
	objectActions := []string{"s3:GetObject", "s3:GetObjectVersion"}
	kmsActions := []string{"kms:Decrypt", "kms:DescribeKey"}
	if write {
		objectActions = append(objectActions, "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")
		kmsActions = append(kmsActions, "kms:GenerateDataKey")
	}
	kms := iampolicy.Allow("ArtifactKeyViaS3", kmsActions, []string{keyArn})
	kms.Condition = viaService(args, "s3")
	return iampolicy.New(
		iampolicy.Allow("ListArtifacts", []string{"s3:ListBucket", "s3:GetBucketLocation"}, []string{bucketArn}),
		iampolicy.Allow("Artifacts", objectActions, []string{bucketArn + "/*"}),
		kms,
	)
}

// ebsKeyPolicy lets the EBS CSI driver encrypt volumes with the data key.
func ebsKeyPolicy(args *Args, keyArn string) iampolicy.Document {
	grant := iampolicy.Allow("EBSKeyGrants", []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}, []string{keyArn})
	grant.Condition = map[string]map[string]any{"Bool": {"kms:GrantIsForAWSResource": "true"}}
	use := iampolicy.Allow("EBSKeyUse", []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}, []string{keyArn})
	use.Condition = viaService(args, "ec2")
	return iampolicy.New(grant, use)
}

// autoscalerPolicy reads any Auto Scaling group but changes only those EKS
// tagged as owned by this cluster.
func autoscalerPolicy(args *Args) iampolicy.Document {
	scale := iampolicy.Allow("ScaleOwnGroups",
		[]string{"autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"},
		[]string{fmt.Sprintf("arn:%s:autoscaling:%s:%s:autoScalingGroup:*:autoScalingGroupName/*", args.Partition, args.Region, args.AccountID)})
	scale.Condition = map[string]map[string]any{"StringEquals": {
		"aws:ResourceTag/k8s.io/cluster-autoscaler/" + args.ClusterName: "owned",
	}}
	return iampolicy.New(
		iampolicy.Allow("DescribeScaling", []string{
			"autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
			"autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities",
			"autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
			"ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements",
			"eks:DescribeNodegroup",
		}, []string{"*"}),
		scale,
	)
}

// mlflowPolicy is the tracking server's: the artifact bucket read/write,
// and IAM database authentication as database.MLflowUser on this instance
// only (the resource of rds-db:connect names the instance's DbiResourceId
// and the database user).
func mlflowPolicy(args *Args, bucketArn, keyArn, dbResourceID string) iampolicy.Document {
	d := bucketPolicy(args, bucketArn, keyArn, true)
	d.Statement = append(d.Statement, iampolicy.Allow("ConnectAsMLflowUser", []string{"rds-db:connect"},
		[]string{database.ConnectArn(args.Partition, args.Region, args.AccountID, dbResourceID, database.MLflowUser)}))
	return d
}

// masterSecretPolicy lets the database setup Job read the RDS-managed
// master secret, decrypting it through Secrets Manager only.
func masterSecretPolicy(args *Args, secretArn, keyArn string) iampolicy.Document {
	read := iampolicy.Allow("ReadMasterSecret", []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}, []string{secretArn})
	dec := iampolicy.Allow("DecryptMasterSecret", []string{"kms:Decrypt"}, []string{keyArn})
	dec.Condition = viaService(args, "secretsmanager")
	return iampolicy.New(read, dec)
}

// alertPolicy lets Alertmanager publish to the alert topic and nothing
// else; with keyArn (the topic's key), encrypt through SNS only.
func alertPolicy(args *Args, topicArn, keyArn string) iampolicy.Document {
	d := iampolicy.New(iampolicy.Allow("PublishAlerts", []string{"sns:Publish"}, []string{topicArn}))
	if keyArn != "" {
		kms := iampolicy.Allow("AlertTopicKeyViaSNS", []string{"kms:GenerateDataKey*", "kms:Decrypt"}, []string{keyArn})
		kms.Condition = viaService(args, "sns")
		d.Statement = append(d.Statement, kms)
	}
	return d
}
