package identity

import (
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/infra/iampolicy"
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

// loadBalancerControllerPolicy lets the controller read the network and
// manage load balancers, target groups and their security groups. Changes
// to existing load balancers are limited to those the controller tagged
// for this cluster.
func loadBalancerControllerPolicy(args *Args) iampolicy.Document {
	clusterTag := "aws:ResourceTag/elbv2.k8s.aws/cluster"
	requestTag := "aws:RequestTag/elbv2.k8s.aws/cluster"
	lbArns := []string{
		fmt.Sprintf("arn:%s:elasticloadbalancing:%s:%s:loadbalancer/app/*/*", args.Partition, args.Region, args.AccountID),
		fmt.Sprintf("arn:%s:elasticloadbalancing:%s:%s:loadbalancer/net/*/*", args.Partition, args.Region, args.AccountID),
		fmt.Sprintf("arn:%s:elasticloadbalancing:%s:%s:targetgroup/*/*", args.Partition, args.Region, args.AccountID),
	}
	sgArns := []string{fmt.Sprintf("arn:%s:ec2:%s:%s:security-group/*", args.Partition, args.Region, args.AccountID)}

	create := iampolicy.Allow("CreateTagged", []string{
		"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup", "ec2:CreateSecurityGroup",
	}, []string{"*"})
	create.Condition = map[string]map[string]any{"Null": {requestTag: "false"}}

	manage := iampolicy.Allow("ManageOwned", []string{
		"elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
		"elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
		"elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
		"elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
		"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
	}, lbArns)
	manage.Condition = map[string]map[string]any{"Null": {clusterTag: "false"}}

	sg := iampolicy.Allow("ManageOwnedSecurityGroups", []string{
		"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup",
		"ec2:CreateTags", "ec2:DeleteTags",
	}, sgArns)
	sg.Condition = map[string]map[string]any{"Null": {clusterTag: "false"}}

	return iampolicy.New(
		iampolicy.Allow("Describe", []string{
			"ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
			"ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
			"ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
			"ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeCoipPools",
			"ec2:GetCoipPoolUsage", "ec2:DescribeRouteTables", "ec2:GetSecurityGroupsForVpc",
			"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
			"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
			"elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules",
			"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
			"elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
			"elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
			"elasticloadbalancing:DescribeCapacityReservation",
			"acm:ListCertificates", "acm:DescribeCertificate", "iam:ListServerCertificates",
			"iam:GetServerCertificate", "wafv2:GetWebACL", "wafv2:GetWebACLForResource",
			"shield:GetSubscriptionState",
		}, []string{"*"}),
		create, manage, sg,
		iampolicy.Allow("Listeners", []string{
			"elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
			"elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
			"elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule",
			"elasticloadbalancing:ModifyListenerAttributes",
			"elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
		}, []string{"*"}),
		iampolicy.Allow("Targets", []string{
			"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
		}, []string{fmt.Sprintf("arn:%s:elasticloadbalancing:%s:%s:targetgroup/*/*", args.Partition, args.Region, args.AccountID)}),
		iampolicy.Allow("ServiceLinkedRole", []string{"iam:CreateServiceLinkedRole"}, []string{
			fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/elasticloadbalancing.amazonaws.com/*", args.Partition, args.AccountID),
		}),
	)
}
