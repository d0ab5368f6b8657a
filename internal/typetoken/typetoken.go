// Package typetoken names the Pulumi type tokens the platform's readers
// look for in an evaluated graph: the offline engine, the plan's views,
// cost, deploy time and the tests. It is the one place they are spelled.
package typetoken

// Providers.
const (
	ProviderAWS        = "pulumi:providers:aws"
	ProviderKubernetes = "pulumi:providers:kubernetes"
	// ProviderPrefix starts every provider's type token.
	ProviderPrefix = "pulumi:providers:"
)

// Prefixes of the packages and of the platform's own components.
const (
	AWSPrefix        = "aws:"
	KubernetesPrefix = "kubernetes:"
	ComponentPrefix  = "mlops:"
)

// The platform's components.
const (
	Platform = "mlops:platform:Platform"
)

// Invokes the program makes.
const (
	GetCallerIdentity = "aws:index/getCallerIdentity:getCallerIdentity"
	GetPartition      = "aws:index/getPartition:getPartition"
	GetRoles          = "aws:iam/getRoles:getRoles"
	GetRole           = "aws:iam/getRole:getRole"
	GetUser           = "aws:iam/getUser:getUser"
	GetSessionContext = "aws:iam/getSessionContext:getSessionContext"
	GetParameter      = "aws:ssm/getParameter:getParameter"
	GetResource       = "aws:cloudcontrol/getResource:getResource"
	GetSecurityGroup  = "aws:ec2/getSecurityGroup:getSecurityGroup"
	GetClusters       = "aws:eks/getClusters:getClusters"
)

// AWS resources.
const (
	Addon                    = "aws:eks/addon:Addon"
	AutoscalingTag           = "aws:autoscaling/tag:Tag"
	Bucket                   = "aws:s3/bucketV2:BucketV2"
	BucketLegacy             = "aws:s3/bucket:Bucket"
	BucketLifecycle          = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	BucketLogging            = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	BucketOwnershipControls  = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	BucketPolicy             = "aws:s3/bucketPolicy:BucketPolicy"
	BucketPublicAccessBlock  = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	BucketEncryption         = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	BucketVersioning         = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	Cluster                  = "aws:eks/cluster:Cluster"
	DBInstance               = "aws:rds/instance:Instance"
	DBParameterGroup         = "aws:rds/parameterGroup:ParameterGroup"
	DBSubnetGroup            = "aws:rds/subnetGroup:SubnetGroup"
	DefaultSecurityGroup     = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	Eip                      = "aws:ec2/eip:Eip"
	FlowLog                  = "aws:ec2/flowLog:FlowLog"
	InternetGateway          = "aws:ec2/internetGateway:InternetGateway"
	KMSAlias                 = "aws:kms/alias:Alias"
	KMSKey                   = "aws:kms/key:Key"
	SNSTopic                 = "aws:sns/topic:Topic"
	SSMDocument              = "aws:ssm/document:Document"
	LaunchTemplate           = "aws:ec2/launchTemplate:LaunchTemplate"
	LogGroup                 = "aws:cloudwatch/logGroup:LogGroup"
	NatGateway               = "aws:ec2/natGateway:NatGateway"
	NodeGroup                = "aws:eks/nodeGroup:NodeGroup"
	OIDCProvider             = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
	Role                     = "aws:iam/role:Role"
	RolePolicy               = "aws:iam/rolePolicy:RolePolicy"
	RolePolicyAttachment     = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	Route                    = "aws:ec2/route:Route"
	RouteTable               = "aws:ec2/routeTable:RouteTable"
	RouteTableAssociation    = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	SecurityGroup            = "aws:ec2/securityGroup:SecurityGroup"
	SecurityGroupIngressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	Subnet                   = "aws:ec2/subnet:Subnet"
	UserPolicyAttachment     = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
	Vpc                      = "aws:ec2/vpc:Vpc"
	VpcEndpoint              = "aws:ec2/vpcEndpoint:VpcEndpoint"
)

// Kubernetes resources.
const (
	HelmRelease         = "kubernetes:helm.sh/v3:Release"
	Job                 = "kubernetes:batch/v1:Job"
	Ingress             = "kubernetes:networking.k8s.io/v1:Ingress"
	LimitRange          = "kubernetes:core/v1:LimitRange"
	Namespace           = "kubernetes:core/v1:Namespace"
	NetworkPolicy       = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
	PodDisruptionBudget = "kubernetes:policy/v1:PodDisruptionBudget"
	ResourceQuota       = "kubernetes:core/v1:ResourceQuota"
	Secret              = "kubernetes:core/v1:Secret"
	ServiceAccount      = "kubernetes:core/v1:ServiceAccount"
	StorageClass        = "kubernetes:storage.k8s.io/v1:StorageClass"
)

// More AWS resources (the deployer-policy table names every type the
// program can declare).
const (
	AccessEntry             = "aws:eks/accessEntry:AccessEntry"
	AccessPolicyAssociation = "aws:eks/accessPolicyAssociation:AccessPolicyAssociation"
	DefaultKmsKey           = "aws:ebs/defaultKmsKey:DefaultKmsKey"
	EC2Instance             = "aws:ec2/instance:Instance"
	EncryptionByDefault     = "aws:ebs/encryptionByDefault:EncryptionByDefault"
	InstanceProfile         = "aws:iam/instanceProfile:InstanceProfile"
	ServiceLinkedRole       = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
	GetCluster              = "aws:eks/getCluster:getCluster"
)
