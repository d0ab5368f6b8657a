// Package spec defines the typed environment specification of the platform:
// its dev and prod profiles, the overrides a stack may apply, and validation.
//
// The order is fixed by Resolve: profile defaults, then overrides from the
// stack's configuration and --set flags, then validation of the result.
package spec

// Profile names a hardening level. Every stack is built on one profile.
type Profile string

// The two profiles the requirements document describes.
const (
	ProfileDev  Profile = "dev"
	ProfileProd Profile = "prod"
)

// Spec is the fully defaulted description of one environment. Field names in
// JSON tags are the configuration keys users write in Pulumi.<stack>.yaml
// (namespace "mlops-platform:") or pass with --set.
type Spec struct {
	// Profile selects the defaults (dev or prod). It defaults to the stack name
	// when that is "dev" or "prod".
	Profile Profile `json:"profile"`
	// Region is the AWS region the environment is deployed to.
	Region string `json:"region"`
	// AWS selects the account and credentials of the deploy.
	AWS AWS `json:"aws"`
	// ClusterName is the EKS cluster name and the prefix of most resource names.
	ClusterName string `json:"clusterName"`
	// KubernetesVersion is the EKS minor version, for example "1.35".
	KubernetesVersion string `json:"kubernetesVersion"`

	// VpcCidr is the IPv4 block of the VPC.
	VpcCidr string `json:"vpcCidr"`
	// AvailabilityZones lists the zones used; one private and one public
	// subnet is created in each.
	AvailabilityZones []string `json:"availabilityZones"`
	// PrivateSubnetCidrs holds one block per zone, for nodes and pods.
	PrivateSubnetCidrs []string `json:"privateSubnetCidrs"`
	// PublicSubnetCidrs holds one block per zone, for NAT and
	// internet-facing load balancers.
	PublicSubnetCidrs []string `json:"publicSubnetCidrs"`
	// ALBSubnetCidrs holds one block per zone for internal load balancers
	// (ingress.scheme internal): only these subnets carry the role tag the
	// load balancer controller picks, so the network policies admit the
	// ALBs from these blocks alone, not from every pod of the VPC. Empty
	// with internet-facing ALBs, which live in the public subnets.
	ALBSubnetCidrs []string `json:"albSubnetCidrs"`
	// NatGatewayPerAz creates one NAT gateway per zone (prod) instead of a
	// single shared one (dev).
	NatGatewayPerAz bool `json:"natGatewayPerAz"`

	// ClusterEndpointPublicAccess exposes the API server endpoint publicly in
	// addition to the private endpoint.
	ClusterEndpointPublicAccess bool `json:"clusterEndpointPublicAccess"`
	// ClusterEndpointPublicAccessCidrs restricts the public endpoint.
	ClusterEndpointPublicAccessCidrs []string `json:"clusterEndpointPublicAccessCidrs"`
	// ClusterEndpointPrivateAccessCidrs are the networks (VPN, peered VPCs)
	// admitted to the private endpoint on 443, besides the cluster's own nodes.
	ClusterEndpointPrivateAccessCidrs []string `json:"clusterEndpointPrivateAccessCidrs"`
	// ClusterEndpointPrivateAccessSecurityGroups are security group IDs
	// (a VPN endpoint's, a CI runner's) admitted to the private endpoint on 443.
	ClusterEndpointPrivateAccessSecurityGroups []string `json:"clusterEndpointPrivateAccessSecurityGroups"`
	// Bastion is an optional SSM-managed instance inside the VPC from which
	// operators reach the private endpoint.
	Bastion Bastion `json:"bastion"`
	// ClusterAdminPrincipals are IAM role or user ARNs given cluster-admin
	// through EKS access entries, besides the deploying role.
	ClusterAdminPrincipals []string `json:"clusterAdminPrincipals"`
	// ClusterDeployerPrincipal, when set, is the IAM role or user ARN that
	// holds the deployer's cluster-admin access entry, whoever runs the
	// deploy. Empty: the principal running the deploy, so a deploy run as
	// another principal (a human, then CI) moves the entry to it and the
	// previous one loses cluster access (review N14).
	ClusterDeployerPrincipal string `json:"clusterDeployerPrincipal"`
	// NodeSsmAccess attaches AmazonSSMManagedInstanceCore to the node role,
	// so operators can open Session Manager shells on nodes.
	NodeSsmAccess bool `json:"nodeSsmAccess"`

	// KserveIngressDomain is the DNS domain under which KServe exposes models.
	KserveIngressDomain string `json:"kserveIngressDomain"`
	// Ingress configures the ALBs in front of the platform's UIs.
	Ingress Ingress `json:"ingress"`
	// Charts selects where the Helm charts come from: public repositories,
	// a mirror or a local directory.
	Charts Charts `json:"charts"`
	// Alerting says where Alertmanager sends alerts.
	Alerting Alerting `json:"alerting"`
	// Workloads configures what the platform's in-cluster layer runs:
	// replicas, disruption budgets, monitoring storage, quotas.
	Workloads Workloads `json:"workloads"`

	// NodeGroups sizes the three managed node groups.
	NodeGroups NodeGroups `json:"nodeGroups"`
	// Database configures the MLflow backend store on RDS PostgreSQL.
	Database Database `json:"database"`
	// Artifacts configures the MLflow artifact bucket.
	Artifacts Artifacts `json:"artifacts"`

	// LogRetentionDays is the retention of every log group the platform creates.
	LogRetentionDays int `json:"logRetentionDays"`
	// AccessLogs configures the bucket that receives the S3 server access
	// logs of the artifact bucket and, unless ingress.accessLogsBucket is
	// set, the ALBs' access logs.
	AccessLogs AccessLogs `json:"accessLogs"`
	// KMS configures the platform's customer managed keys.
	KMS KMS `json:"kms"`
	// ContainerInsights installs the amazon-cloudwatch-observability add-on.
	ContainerInsights bool `json:"containerInsights"`
	// AccountEbsEncryptionByDefault turns on EBS encryption by default for
	// the whole account and region, with the platform's data key (control
	// 18). Set it to false in an account shared with other workloads, whose
	// volumes would otherwise all be encrypted with this platform's key.
	AccountEbsEncryptionByDefault bool `json:"accountEbsEncryptionByDefault"`
	// ProtectStatefulResources marks the database, the artifact bucket and the
	// KMS keys as protected so the engine refuses to delete them.
	ProtectStatefulResources bool `json:"protectStatefulResources"`

	// Tags are applied to every taggable AWS resource.
	Tags map[string]string `json:"tags"`

	// Backend is the Pulumi state backend `mlops up` deploys with:
	// s3://bucket/prefix?region=… (required in prod) or file://DIR; unset
	// in dev means file://~/.mlops/state. No resource depends on it.
	Backend string `json:"backend,omitempty"`
	// SecretsProvider encrypts the stack's secrets: awskms://alias/…
	// (required in prod) or passphrase (dev only).
	SecretsProvider string `json:"secretsProvider,omitempty"`
}

// NodeGroups holds the three managed node groups of the platform.
type NodeGroups struct {
	// General runs the platform and model servers.
	General NodeGroup `json:"general"`
	// Training runs batch training on spot capacity and scales to zero.
	Training NodeGroup `json:"training"`
	// GPU runs GPU workloads on spot capacity and scales to zero.
	GPU NodeGroup `json:"gpu"`
}

// NodeGroup sizes one managed node group.
type NodeGroup struct {
	// InstanceTypes lists the EC2 instance types, the first preferred.
	InstanceTypes []string `json:"instanceTypes"`
	// CapacityType is ON_DEMAND or SPOT.
	CapacityType string `json:"capacityType"`
	// MinSize is the smallest number of nodes; 0 lets the group scale to zero.
	MinSize int `json:"minSize"`
	// DesiredSize is the initial number of nodes.
	DesiredSize int `json:"desiredSize"`
	// MaxSize is the largest number of nodes.
	MaxSize int `json:"maxSize"`
	// DiskSizeGb is the size of each node's encrypted gp3 root volume.
	DiskSizeGb int `json:"diskSizeGb"`
	// Version pins the group's Kubernetes minor while `mlops upgrade`
	// rolls the groups one by one: kubernetesVersion or the minor below
	// it. Empty (the default) follows kubernetesVersion.
	Version string `json:"version,omitempty"`
	// ApplyDesiredSize makes one deploy send desiredSize to EKS. Otherwise
	// the cluster autoscaler owns a live group's desired size and deploys
	// leave it alone; `mlops nodes scale --min/--desired` sets this for
	// its own deploy, so raising minSize above the live desired size sends
	// a desired size EKS accepts (desiredSize >= minSize).
	ApplyDesiredSize bool `json:"applyDesiredSize,omitempty"`

	// Families, CapacityTypes and Limits describe the Karpenter NodePool
	// of the training and GPU keys (the general group stays a managed
	// node group and ignores them). Families are instance families
	// (g5, g6, c6i); CapacityTypes are spot and/or on-demand, spot
	// first with on-demand as the fallback when both are listed.
	Families      []string `json:"families,omitempty"`
	CapacityTypes []string `json:"capacityTypes,omitempty"`
	// Limits cap the pool's total resources, as maxSize capped a group.
	Limits PoolLimits `json:"limits,omitempty"`
}

// PoolLimits cap a NodePool's total resources: vCPUs, memory (a
// Kubernetes quantity such as 640Gi) and GPUs.
type PoolLimits struct {
	CPU    int    `json:"cpu,omitempty"`
	Memory string `json:"memory,omitempty"`
	GPUs   int    `json:"gpus,omitempty"`
}

// Karpenter capacity types (karpenter.sh/capacity-type).
const (
	PoolSpot     = "spot"
	PoolOnDemand = "on-demand"
)

// Capacity types accepted by EKS managed node groups.
const (
	CapacityOnDemand = "ON_DEMAND"
	CapacitySpot     = "SPOT"
)

// Database configures the RDS PostgreSQL instance.
type Database struct {
	// EngineVersion is the PostgreSQL major version, for example "17".
	EngineVersion string `json:"engineVersion"`
	// InstanceClass is the RDS instance class, for example db.t3.medium.
	InstanceClass string `json:"instanceClass"`
	// MultiAz runs a synchronous standby in another zone.
	MultiAz bool `json:"multiAz"`
	// BackupRetentionDays is how long automated backups are kept (0-35).
	BackupRetentionDays int `json:"backupRetentionDays"`
	// DeletionProtection refuses DeleteDBInstance and forces a final snapshot.
	DeletionProtection bool `json:"deletionProtection"`
	// AllocatedStorageGb is the initial gp3 storage size.
	AllocatedStorageGb int `json:"allocatedStorageGb"`
	// MaxAllocatedStorageGb enables storage autoscaling up to this size.
	MaxAllocatedStorageGb int `json:"maxAllocatedStorageGb"`
	// ApplyImmediately applies modifications (instance class, engine version)
	// at once instead of in the next maintenance window.
	ApplyImmediately bool `json:"applyImmediately"`
}

// Bastion configures the optional SSM-managed bastion: a small instance in a
// private subnet with no public address, no SSH key and no open port.
type Bastion struct {
	// Enabled declares the bastion and admits it to the private endpoint.
	Enabled bool `json:"enabled"`
}

// Artifacts configures the MLflow artifact bucket.
type Artifacts struct {
	// Versioning keeps previous object versions (disaster recovery).
	Versioning bool `json:"versioning"`
	// ForceDestroy lets the bucket be deleted while it still holds objects.
	ForceDestroy bool `json:"forceDestroy"`
	// NoncurrentVersionExpirationDays expires previous versions after this many days.
	NoncurrentVersionExpirationDays int `json:"noncurrentVersionExpirationDays"`
}

// Ingress configures the Application Load Balancers the AWS Load Balancer
// Controller creates for MLflow, Grafana and KServe.
type Ingress struct {
	// CertificateArn is an ACM certificate in the stack's region. When set,
	// the ALBs listen on HTTPS with a TLS 1.2+ policy and redirect HTTP.
	CertificateArn string `json:"certificateArn"`
	// AccessLogsBucket is an S3 bucket (SSE-S3, ELB log delivery allowed)
	// that receives the ALBs' access logs; empty uses the platform's own
	// access-log bucket.
	AccessLogsBucket string `json:"accessLogsBucket"`
	// Scheme is the ALBs' scheme: internal (reached from the VPC) or
	// internet-facing (admitting only clusterEndpointPublicAccessCidrs).
	Scheme string `json:"scheme"`
	// DeletionProtection refuses to delete the ALBs.
	DeletionProtection bool `json:"deletionProtection"`
}

// ALB schemes.
const (
	SchemeInternal       = "internal"
	SchemeInternetFacing = "internet-facing"
)

// AccessLogs configures the access-log bucket.
type AccessLogs struct {
	// ExpirationDays is how long access logs are kept; at least 90 days
	// for incident review.
	ExpirationDays int `json:"expirationDays"`
}

// KMS configures the customer managed keys.
type KMS struct {
	// DeletionWindowDays is the waiting period before a scheduled key
	// deletion takes effect (7-30 days).
	DeletionWindowDays int `json:"deletionWindowDays"`
}

// IsProd reports whether the spec uses the hardened production profile.
func (s *Spec) IsProd() bool { return s.Profile == ProfileProd }

// Alerting is where Alertmanager sends alerts: an SNS topic (the
// platform's own, KMS-encrypted, unless SNSTopicArn names one) published
// to with SigV4 through an IRSA role allowed only sns:Publish on it, or a
// webhook whose URL a Kubernetes Secret holds (never the spec or state).
type Alerting struct {
	// SNSTopicArn is an existing topic to publish to instead of the
	// platform's own.
	SNSTopicArn string `json:"snsTopicArn"`
	// WebhookSecret names a Secret in the monitoring namespace whose key
	// "url" holds the webhook URL; when set, alerts go there, not to SNS.
	WebhookSecret string `json:"webhookSecret"`
}

// WebhookURLKey is the key of Alerting.WebhookSecret holding the URL.
const WebhookURLKey = "url"
