// size: one reviewed table of IAM actions, a row a resource type; split,
// the review of a row against the provider would span files.

// Package deployerpolicy derives the IAM policy the deploying role needs from
// the evaluated graph: the actions of exactly the AWS resource types the
// program declares, from one reviewed table.
package deployerpolicy

import "github.com/mlops-platform/mlops-platform/internal/typetoken"

// Actions are the IAM actions the AWS provider calls to manage one
// resource type, by lifecycle step.
type Actions struct {
	Create, Read, Update, Delete, Tag []string
}

// All returns every action of the row.
func (a Actions) All() []string {
	var out []string
	for _, l := range [][]string{a.Create, a.Read, a.Update, a.Delete, a.Tag} {
		out = append(out, l...)
	}
	return out
}

var (
	ec2Tags = []string{"ec2:CreateTags", "ec2:DeleteTags"}
	eksTags = []string{"eks:TagResource", "eks:UntagResource", "eks:ListTagsForResource"}
	rdsTags = []string{"rds:AddTagsToResource", "rds:RemoveTagsFromResource", "rds:ListTagsForResource"}
	s3Tags  = []string{"s3:GetBucketTagging", "s3:PutBucketTagging"}
)

// Table maps each pulumi-aws resource type the program declares to the IAM
// actions the provider (pulumi-aws v6, the Terraform AWS provider inside)
// calls for it. Reviewed against the provider's resource implementations:
// adding a resource type to the program fails TestEveryTypeHasARow until
// its row is added here and reviewed. Grants that depend on other
// resources (iam:PassRole, iam:CreateServiceLinkedRole, kms grants) are
// scoped separately in policy.go.
var Table = map[string]Actions{
	// Network.
	typetoken.Vpc: {
		Create: []string{"ec2:CreateVpc", "ec2:ModifyVpcAttribute"},
		Read:   []string{"ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeNetworkAcls", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups"},
		Update: []string{"ec2:ModifyVpcAttribute"},
		Delete: []string{"ec2:DeleteVpc"},
		Tag:    ec2Tags,
	},
	typetoken.Subnet: {
		Create: []string{"ec2:CreateSubnet", "ec2:ModifySubnetAttribute"},
		Read:   []string{"ec2:DescribeSubnets"},
		Update: []string{"ec2:ModifySubnetAttribute"},
		Delete: []string{"ec2:DeleteSubnet", "ec2:DescribeNetworkInterfaces"},
		Tag:    ec2Tags,
	},
	typetoken.InternetGateway: {
		Create: []string{"ec2:CreateInternetGateway", "ec2:AttachInternetGateway"},
		Read:   []string{"ec2:DescribeInternetGateways"},
		Update: []string{"ec2:AttachInternetGateway", "ec2:DetachInternetGateway"},
		Delete: []string{"ec2:DetachInternetGateway", "ec2:DeleteInternetGateway"},
		Tag:    ec2Tags,
	},
	typetoken.Eip: {
		Create: []string{"ec2:AllocateAddress"},
		Read:   []string{"ec2:DescribeAddresses", "ec2:DescribeAddressesAttribute"},
		Delete: []string{"ec2:ReleaseAddress", "ec2:DisassociateAddress"},
		Tag:    ec2Tags,
	},
	typetoken.NatGateway: {
		Create: []string{"ec2:CreateNatGateway"},
		Read:   []string{"ec2:DescribeNatGateways"},
		Delete: []string{"ec2:DeleteNatGateway"},
		Tag:    ec2Tags,
	},
	typetoken.RouteTable: {
		Create: []string{"ec2:CreateRouteTable"},
		Read:   []string{"ec2:DescribeRouteTables"},
		Update: []string{"ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute"},
		// resourceRouteTableDelete first disassociates every association
		// the table still has (routeTableAssociationDelete).
		Delete: []string{"ec2:DisassociateRouteTable", "ec2:DeleteRouteTable"},
		Tag:    ec2Tags,
	},
	typetoken.Route: {
		Create: []string{"ec2:CreateRoute"},
		Read:   []string{"ec2:DescribeRouteTables"},
		Update: []string{"ec2:ReplaceRoute"},
		Delete: []string{"ec2:DeleteRoute"},
	},
	typetoken.RouteTableAssociation: {
		Create: []string{"ec2:AssociateRouteTable"},
		Read:   []string{"ec2:DescribeRouteTables"},
		Update: []string{"ec2:ReplaceRouteTableAssociation"},
		Delete: []string{"ec2:DisassociateRouteTable"},
	},
	typetoken.SecurityGroup: {
		Create: []string{"ec2:CreateSecurityGroup", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress"},
		Read:   []string{"ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"},
		Update: []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"},
		Delete: []string{"ec2:DeleteSecurityGroup", "ec2:DescribeNetworkInterfaces"},
		Tag:    ec2Tags,
	},
	typetoken.DefaultSecurityGroup: {
		// Adopts the VPC's default group and strips its rules.
		Create: []string{"ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"},
		Read:   []string{"ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"},
		Update: []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"},
		Tag:    ec2Tags,
	},
	typetoken.SecurityGroupIngressRule: {
		Create: []string{"ec2:AuthorizeSecurityGroupIngress"},
		Read:   []string{"ec2:DescribeSecurityGroupRules"},
		Update: []string{"ec2:ModifySecurityGroupRules"},
		Delete: []string{"ec2:RevokeSecurityGroupIngress"},
		Tag:    ec2Tags,
	},
	typetoken.VpcEndpoint: {
		// Interface endpoints with private DNS associate AWS's private
		// hosted zone with the VPC on the caller's behalf.
		Create: []string{"ec2:CreateVpcEndpoint", "route53:AssociateVPCWithHostedZone"},
		// The read describes each network interface of an interface
		// endpoint (findSubnetConfigurationsByNetworkInterfaceIDs) and
		// fails when it cannot.
		Read:   []string{"ec2:DescribeVpcEndpoints", "ec2:DescribePrefixLists", "ec2:DescribeVpcEndpointServices", "ec2:DescribeNetworkInterfaces"},
		Update: []string{"ec2:ModifyVpcEndpoint"},
		Delete: []string{"ec2:DeleteVpcEndpoints"},
		Tag:    ec2Tags,
	},
	typetoken.FlowLog: {
		Create: []string{"ec2:CreateFlowLogs"},
		Read:   []string{"ec2:DescribeFlowLogs"},
		Delete: []string{"ec2:DeleteFlowLogs"},
		Tag:    ec2Tags,
	},
	// The SSM-managed bastion. With root_block_device set, the provider's
	// create looks the AMI's root device name up (findRootDeviceName:
	// DescribeImages). Its read looks for the launch template tag
	// (findInstanceTagValue: DescribeTags) and whether the VPC is the
	// default one (readSecurityGroups: DescribeVpcs); a new instance
	// profile, security group or root volume type updates in place
	// (resourceInstanceUpdate).
	typetoken.EC2Instance: {
		Create: []string{"ec2:RunInstances", "ec2:DescribeInstances", "ec2:DescribeImages"},
		Read:   []string{"ec2:DescribeInstances", "ec2:DescribeInstanceAttribute", "ec2:DescribeInstanceCreditSpecifications", "ec2:DescribeVolumes", "ec2:DescribeInstanceTypes", "ec2:DescribeTags", "ec2:DescribeVpcs"},
		Update: []string{"ec2:ModifyInstanceAttribute", "ec2:ModifyInstanceMetadataOptions", "ec2:StopInstances", "ec2:StartInstances",
			"ec2:DescribeIamInstanceProfileAssociations", "ec2:AssociateIamInstanceProfile", "ec2:ReplaceIamInstanceProfileAssociation", "ec2:DisassociateIamInstanceProfile",
			"ec2:ModifyNetworkInterfaceAttribute", "ec2:ModifyVolume", "ec2:DescribeVolumesModifications"},
		Delete: []string{"ec2:TerminateInstances"},
		Tag:    ec2Tags,
	},
	typetoken.InstanceProfile: {
		Create: []string{"iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"},
		// Read looks up the profile's role (findRoleByName) and drops a
		// role that no longer exists.
		Read:   []string{"iam:GetInstanceProfile", "iam:GetRole"},
		Update: []string{"iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"},
		Delete: []string{"iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"},
		Tag:    []string{"iam:TagInstanceProfile", "iam:UntagInstanceProfile", "iam:ListInstanceProfileTags"},
	},
	typetoken.LaunchTemplate: {
		Create: []string{"ec2:CreateLaunchTemplate"},
		Read:   []string{"ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions"},
		Update: []string{"ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"},
		Delete: []string{"ec2:DeleteLaunchTemplate"},
		Tag:    ec2Tags,
	},

	// Cluster.
	typetoken.Cluster: {
		Create: []string{"eks:CreateCluster"},
		Read:   []string{"eks:DescribeCluster", "eks:DescribeUpdate"},
		Update: []string{"eks:UpdateClusterConfig", "eks:UpdateClusterVersion", "eks:AssociateEncryptionConfig"},
		Delete: []string{"eks:DeleteCluster"},
		Tag:    eksTags,
	},
	typetoken.NodeGroup: {
		Create: []string{"eks:CreateNodegroup", "ec2:DescribeSubnets"},
		Read:   []string{"eks:DescribeNodegroup", "eks:DescribeUpdate", "ec2:DescribeLaunchTemplateVersions"},
		Update: []string{"eks:UpdateNodegroupConfig", "eks:UpdateNodegroupVersion"},
		Delete: []string{"eks:DeleteNodegroup"},
		Tag:    eksTags,
	},
	typetoken.Addon: {
		Create: []string{"eks:CreateAddon"},
		Read:   []string{"eks:DescribeAddon", "eks:DescribeAddonVersions", "eks:DescribeUpdate"},
		Update: []string{"eks:UpdateAddon"},
		Delete: []string{"eks:DeleteAddon"},
		Tag:    eksTags,
	},
	typetoken.AccessEntry: {
		Create: []string{"eks:CreateAccessEntry"},
		Read:   []string{"eks:DescribeAccessEntry"},
		Update: []string{"eks:UpdateAccessEntry"},
		Delete: []string{"eks:DeleteAccessEntry"},
		Tag:    eksTags,
	},
	typetoken.AccessPolicyAssociation: {
		Create: []string{"eks:AssociateAccessPolicy"},
		Read:   []string{"eks:ListAssociatedAccessPolicies"},
		Delete: []string{"eks:DisassociateAccessPolicy"},
	},
	typetoken.AutoscalingTag: {
		Create: []string{"autoscaling:CreateOrUpdateTags"},
		Read:   []string{"autoscaling:DescribeTags"},
		Update: []string{"autoscaling:CreateOrUpdateTags"},
		Delete: []string{"autoscaling:DeleteTags"},
	},

	// Identity.
	typetoken.Role: {
		Create: []string{"iam:CreateRole"},
		// Read lists the inline policies and reads each (readRoleInlinePolicies).
		Read: []string{"iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"},
		// PutRolePermissionsBoundary sets the boundary on a role created
		// before the program declared one (resourceRoleUpdate).
		Update: []string{"iam:UpdateRole", "iam:UpdateAssumeRolePolicy", "iam:UpdateRoleDescription", "iam:PutRolePermissionsBoundary"},
		// Delete takes the role out of its instance profiles first
		// (deleteRoleInstanceProfiles); profileWrites scope that to the
		// graph's profiles.
		Delete: []string{"iam:DeleteRole", "iam:ListInstanceProfilesForRole", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteRolePolicy", "iam:DetachRolePolicy"},
		Tag:    []string{"iam:TagRole", "iam:UntagRole", "iam:ListRoleTags"},
	},
	typetoken.RolePolicy: {
		Create: []string{"iam:PutRolePolicy"},
		Read:   []string{"iam:GetRolePolicy"},
		Update: []string{"iam:PutRolePolicy"},
		Delete: []string{"iam:DeleteRolePolicy"},
	},
	typetoken.RolePolicyAttachment: {
		Create: []string{"iam:AttachRolePolicy"},
		Read:   []string{"iam:ListAttachedRolePolicies"},
		Delete: []string{"iam:DetachRolePolicy"},
	},
	typetoken.OIDCProvider: {
		Create: []string{"iam:CreateOpenIDConnectProvider"},
		Read:   []string{"iam:GetOpenIDConnectProvider"},
		Update: []string{"iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider", "iam:RemoveClientIDFromOpenIDConnectProvider"},
		Delete: []string{"iam:DeleteOpenIDConnectProvider"},
		Tag:    []string{"iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider"},
	},

	// Encryption and logs.
	// Create passes the key policy and tags in CreateKey and only waits
	// for them (terraform-provider-aws internal/service/kms/key.go,
	// resourceKeyCreate: CreateKey, EnableKeyRotation, then
	// waitKeyPolicyPropagated's GetKeyPolicy); PutKeyPolicy is an update's.
	typetoken.KMSKey: {
		Create: []string{"kms:CreateKey", "kms:EnableKeyRotation"},
		Read:   []string{"kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"},
		Update: []string{"kms:PutKeyPolicy", "kms:EnableKeyRotation", "kms:DisableKeyRotation", "kms:UpdateKeyDescription", "kms:EnableKey", "kms:DisableKey"},
		Delete: []string{"kms:ScheduleKeyDeletion"},
		Tag:    []string{"kms:TagResource", "kms:UntagResource"},
	},
	// Account EBS encryption by default with the data key (control 18).
	typetoken.EncryptionByDefault: {
		Create: []string{"ec2:EnableEbsEncryptionByDefault"},
		Read:   []string{"ec2:GetEbsEncryptionByDefault"},
		Update: []string{"ec2:EnableEbsEncryptionByDefault", "ec2:DisableEbsEncryptionByDefault"},
		Delete: []string{"ec2:DisableEbsEncryptionByDefault"},
	},
	typetoken.DefaultKmsKey: {
		Create: []string{"ec2:ModifyEbsDefaultKmsKeyId"},
		Read:   []string{"ec2:GetEbsDefaultKmsKeyId"},
		Update: []string{"ec2:ModifyEbsDefaultKmsKeyId"},
		Delete: []string{"ec2:ResetEbsDefaultKmsKeyId"},
	},
	typetoken.KMSAlias: {
		Create: []string{"kms:CreateAlias"},
		Read:   []string{"kms:ListAliases"},
		Update: []string{"kms:UpdateAlias"},
		Delete: []string{"kms:DeleteAlias"},
	},
	typetoken.LogGroup: {
		Create: []string{"logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:AssociateKmsKey"},
		Read:   []string{"logs:DescribeLogGroups", "logs:ListTagsForResource"},
		Update: []string{"logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey"},
		Delete: []string{"logs:DeleteLogGroup"},
		Tag:    []string{"logs:TagResource", "logs:UntagResource"},
	},

	// Alerting: Alertmanager's SNS topic (the Terraform provider's
	// resource_aws_sns_topic sets attributes after CreateTopic and reads
	// them, its tags and its data protection policy back).
	typetoken.SNSTopic: {
		Create: []string{"sns:CreateTopic", "sns:SetTopicAttributes"},
		Read:   []string{"sns:GetTopicAttributes", "sns:ListTagsForResource", "sns:GetDataProtectionPolicy"},
		Update: []string{"sns:SetTopicAttributes"},
		Delete: []string{"sns:DeleteTopic"},
		Tag:    []string{"sns:TagResource", "sns:UntagResource"},
	},

	// Session Manager documents (terraform-provider-aws
	// internal/service/ssm/document.go: create waits for Active through
	// DescribeDocument; read adds GetDocument and
	// DescribeDocumentPermission; update sets the new default version).
	typetoken.SSMDocument: {
		Create: []string{"ssm:CreateDocument"},
		Read:   []string{"ssm:DescribeDocument", "ssm:GetDocument", "ssm:DescribeDocumentPermission"},
		Update: []string{"ssm:UpdateDocument", "ssm:UpdateDocumentDefaultVersion"},
		Delete: []string{"ssm:DeleteDocument"},
		Tag:    []string{"ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource"},
	},

	// Database. RDS-managed master passwords are Secrets Manager secrets
	// RDS creates with the caller's permissions.
	typetoken.DBInstance: {
		Create: []string{"rds:CreateDBInstance", "secretsmanager:CreateSecret", "secretsmanager:TagResource", "secretsmanager:RotateSecret"},
		Read:   []string{"rds:DescribeDBInstances", "secretsmanager:DescribeSecret"},
		Update: []string{"rds:ModifyDBInstance", "rds:RebootDBInstance", "secretsmanager:RotateSecret"},
		Delete: []string{"rds:DeleteDBInstance", "rds:CreateDBSnapshot", "secretsmanager:DeleteSecret"},
		Tag:    rdsTags,
	},
	typetoken.DBSubnetGroup: {
		Create: []string{"rds:CreateDBSubnetGroup"},
		Read:   []string{"rds:DescribeDBSubnetGroups"},
		Update: []string{"rds:ModifyDBSubnetGroup"},
		Delete: []string{"rds:DeleteDBSubnetGroup"},
		Tag:    rdsTags,
	},
	typetoken.DBParameterGroup: {
		Create: []string{"rds:CreateDBParameterGroup", "rds:ModifyDBParameterGroup"},
		Read:   []string{"rds:DescribeDBParameterGroups", "rds:DescribeDBParameters"},
		Update: []string{"rds:ModifyDBParameterGroup", "rds:ResetDBParameterGroup"},
		Delete: []string{"rds:DeleteDBParameterGroup"},
		Tag:    rdsTags,
	},

	// Storage. Reading a bucket reads every sub-resource.
	typetoken.Bucket: {
		Create: []string{"s3:CreateBucket"},
		Read: []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketWebsite",
			"s3:GetBucketVersioning", "s3:GetAccelerateConfiguration", "s3:GetBucketRequestPayment", "s3:GetBucketLogging",
			"s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration",
			"s3:GetBucketObjectLockConfiguration", "s3:GetBucketPolicy"},
		Delete: []string{"s3:DeleteBucket"},
		Tag:    s3Tags,
	},
	typetoken.BucketEncryption: {
		Create: []string{"s3:PutEncryptionConfiguration"},
		Read:   []string{"s3:GetEncryptionConfiguration"},
		Update: []string{"s3:PutEncryptionConfiguration"},
		Delete: []string{"s3:PutEncryptionConfiguration"},
	},
	typetoken.BucketVersioning: {
		Create: []string{"s3:PutBucketVersioning"},
		Read:   []string{"s3:GetBucketVersioning"},
		Update: []string{"s3:PutBucketVersioning"},
		Delete: []string{"s3:PutBucketVersioning"},
	},
	typetoken.BucketLogging: {
		Create: []string{"s3:PutBucketLogging"},
		Read:   []string{"s3:GetBucketLogging"},
		Update: []string{"s3:PutBucketLogging"},
		Delete: []string{"s3:PutBucketLogging"},
	},
	typetoken.BucketPublicAccessBlock: {
		Create: []string{"s3:PutBucketPublicAccessBlock"},
		Read:   []string{"s3:GetBucketPublicAccessBlock"},
		Update: []string{"s3:PutBucketPublicAccessBlock"},
		Delete: []string{"s3:PutBucketPublicAccessBlock"},
	},
	typetoken.BucketPolicy: {
		Create: []string{"s3:PutBucketPolicy"},
		Read:   []string{"s3:GetBucketPolicy"},
		Update: []string{"s3:PutBucketPolicy"},
		Delete: []string{"s3:DeleteBucketPolicy"},
	},
	typetoken.BucketOwnershipControls: {
		Create: []string{"s3:PutBucketOwnershipControls"},
		Read:   []string{"s3:GetBucketOwnershipControls"},
		Update: []string{"s3:PutBucketOwnershipControls"},
		Delete: []string{"s3:PutBucketOwnershipControls"},
	},
	typetoken.BucketLifecycle: {
		Create: []string{"s3:PutLifecycleConfiguration"},
		Read:   []string{"s3:GetLifecycleConfiguration"},
		Update: []string{"s3:PutLifecycleConfiguration"},
		Delete: []string{"s3:PutLifecycleConfiguration"},
	},
}

// Invokes maps the data sources the program calls to their actions.
// getPartition is answered from the provider's configuration.
var Invokes = map[string][]string{
	typetoken.GetCallerIdentity: {"sts:GetCallerIdentity"},
	typetoken.GetPartition:      nil,
	typetoken.GetRoles:          {"iam:ListRoles"},
	// Resolving an assumed-role session to its role reads the role (its path).
	typetoken.GetSessionContext: {"iam:GetRole"},
	// Preview-time lookups of what the spec names but does not create.
	typetoken.GetResource:      {"cloudformation:GetResource"},
	typetoken.GetRole:          {"iam:GetRole"},
	typetoken.GetUser:          {"iam:GetUser", "iam:ListUserTags"},
	typetoken.GetSecurityGroup: {"ec2:DescribeSecurityGroups"},
	typetoken.GetClusters:      {"eks:ListClusters"},
	typetoken.GetCluster:       {"eks:DescribeCluster"},
	typetoken.GetParameter:     {"ssm:GetParameter"},
}
