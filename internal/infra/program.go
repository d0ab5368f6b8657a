// Package infra wires the platform's components into one Pulumi program.
// The same function runs under `pulumi up` (cmd/pulumi-program) and
// offline under mocks for `mlops plan`.
package infra

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/infra/addons"
	"github.com/mlops-platform/mlops-platform/internal/infra/alerting"
	"github.com/mlops-platform/mlops-platform/internal/infra/bastion"
	"github.com/mlops-platform/mlops-platform/internal/infra/cluster"
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/encryption"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/infra/karpenter"
	"github.com/mlops-platform/mlops-platform/internal/infra/network"
	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
	"github.com/mlops-platform/mlops-platform/internal/infra/observability"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/infra/storage"
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Program returns the Pulumi program of an environment.
func Program(s *spec.Spec) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := Declare(ctx, s)
		return err
	}
}

// Platform holds the components Declare created, for callers that extend
// the program (the in-cluster layer) and for tests.
type Platform struct {
	Provider *provider.Provider
	// Bastion is the SSM-managed bastion, nil unless bastion.enabled.
	Bastion   *bastion.Bastion
	Keys      *encryption.Keys
	Logs      *observability.Logs
	Network   *network.Network
	Cluster   *cluster.Cluster
	Artifacts *storage.Artifacts
	Roles     *identity.Roles
	// AlertTopicArn is the SNS topic Alertmanager publishes to (empty
	// when alerts go to a webhook).
	AlertTopicArn pulumi.StringOutput
	NodeGroups    *nodegroups.NodeGroups
	// Karpenter provisions the training and GPU capacity.
	Karpenter *karpenter.Karpenter
	Addons    *addons.Addons
	Database  *database.Database
	// Platform is the in-cluster layer (Kubernetes provider, namespaces,
	// Helm releases).
	Platform      *platform.Platform
	AccessLogs    *storage.AccessLogs
	AccountID     string
	Partition     string
	DatabaseIdent string
	// DeployerArn is the IAM role or user the deploy runs as.
	DeployerArn string
	// PermissionsBoundary is the ARN of the stack's permissions boundary
	// (internal/boundary), which every role of the platform carries.
	PermissionsBoundary string
}

// Declare registers every resource of the environment described by s:
// the AWS layer, then the in-cluster layer on top of it.
func Declare(ctx *pulumi.Context, s *spec.Spec) (*Platform, error) {
	p, err := declareAWSLayer(ctx, s)
	if err != nil {
		return nil, err
	}
	// The in-cluster layer needs the Kubernetes API with cluster-admin (the
	// access associations); its objects wait for the rest they need
	// (readiness).
	if p.Platform, err = declarePlatform(ctx, s, p.clusterInputs(), albLogsBucket(s, p.AccessLogs.BucketName), p.readiness(),
		pulumi.Provider(p.Provider), pulumi.DependsOn(p.Cluster.Access)); err != nil {
		return nil, err
	}
	exportOutputs(ctx, p)
	return p, nil
}

// declareAWSLayer registers the AWS provider, looks the account up and
// declares every AWS resource of the environment: all but the in-cluster
// platform component.
func declareAWSLayer(ctx *pulumi.Context, s *spec.Spec) (*Platform, error) {
	p := &Platform{DatabaseIdent: s.DatabaseIdentifier()}
	var err error
	if p.Provider, err = newAWSProvider(ctx, s); err != nil {
		return nil, err
	}
	prov := pulumi.Provider(p.Provider)
	caller, err := callerIdentity(ctx, p.Provider)
	if err != nil {
		return nil, err
	}
	var part struct {
		Partition string `pulumi:"partition"`
	}
	if err := provider.InvokeAWS(ctx, typetoken.GetPartition, nil, &part, prov); err != nil {
		return nil, fmt.Errorf("looking up the AWS partition: %w", err)
	}
	p.AccountID, p.Partition = caller.AccountID, part.Partition
	p.PermissionsBoundary = boundary.ARN(p.Partition, p.AccountID, s.ClusterName)
	// The caller is often an assumed-role session; access entries need the
	// IAM role it was issued by.
	var session struct {
		IssuerArn string `pulumi:"issuerArn"`
	}
	err = provider.InvokeAWS(ctx, typetoken.GetSessionContext, struct {
		Arn string `pulumi:"arn"`
	}{caller.Arn}, &session, prov)
	if err != nil {
		return nil, fmt.Errorf("resolving the deploying role from %s: %w", caller.Arn, err)
	}
	p.DeployerArn = session.IssuerArn
	if err := checkExisting(ctx, s, p.Provider); err != nil {
		return nil, err
	}

	if err := declareFoundation(ctx, s, p, prov); err != nil {
		return nil, err
	}
	if err := declareWorkloadLayer(ctx, s, p, prov); err != nil {
		return nil, err
	}
	return p, nil
}

// declareFoundation declares keys, log groups, the network and the cluster.
func declareFoundation(ctx *pulumi.Context, s *spec.Spec, p *Platform, prov pulumi.ResourceOption) error {
	var err error
	if p.Keys, err = encryption.NewKeys(ctx, "keys", &encryption.Args{
		ClusterName: s.ClusterName, Region: s.Region, AccountID: p.AccountID, Partition: p.Partition,
		DeletionWindowDays: s.KMS.DeletionWindowDays, Protect: s.ProtectStatefulResources,
		EBSEncryptionByDefault: s.AccountEbsEncryptionByDefault,
	}, prov); err != nil {
		return fmt.Errorf("declaring encryption keys: %w", err)
	}
	if p.Logs, err = observability.NewLogs(ctx, "logs", &observability.Args{
		ClusterName: s.ClusterName, Region: s.Region, AccountID: p.AccountID, Partition: p.Partition, PermissionsBoundary: p.PermissionsBoundary,
		DatabaseIdentifier: p.DatabaseIdent, DatabaseLogExports: database.LogExports,
		RetentionDays: s.LogRetentionDays, KmsKeyArn: p.Keys.LogsKeyArn, ContainerInsights: s.ContainerInsights,
	}, prov); err != nil {
		return fmt.Errorf("declaring log groups: %w", err)
	}
	if p.Network, err = network.NewNetwork(ctx, "network", &network.Args{
		ClusterName: s.ClusterName, Region: s.Region, VpcCidr: s.VpcCidr,
		AvailabilityZones: s.AvailabilityZones, PrivateSubnetCidrs: s.PrivateSubnetCidrs, PublicSubnetCidrs: s.PublicSubnetCidrs,
		ALBSubnetCidrs: s.ALBSubnetCidrs, NatGatewayPerAz: s.NatGatewayPerAz, FlowLogGroupArn: p.Logs.FlowLogGroupArn, FlowLogRoleArn: p.Logs.FlowLogRoleArn,
		FlowLogReady: []pulumi.Resource{p.Logs.FlowLogRolePolicy},
	}, prov); err != nil {
		return fmt.Errorf("declaring network: %w", err)
	}
	admitted := map[string]pulumi.StringInput{}
	for _, id := range s.ClusterEndpointPrivateAccessSecurityGroups {
		admitted[id] = pulumi.String(id)
	}
	if s.Bastion.Enabled {
		if p.Bastion, err = bastion.NewBastion(ctx, "bastion", &bastion.Args{
			ClusterName: s.ClusterName, Partition: p.Partition, VpcID: p.Network.VpcID.ToStringOutput(), PermissionsBoundary: p.PermissionsBoundary,
			SubnetID: p.Network.PrivateSubnetIDs.Index(pulumi.Int(0)),
		}, prov); err != nil {
			return fmt.Errorf("declaring bastion: %w", err)
		}
		admitted["bastion"] = p.Bastion.SecurityGroupID
	}
	if p.Cluster, err = cluster.NewCluster(ctx, "cluster", &cluster.Args{
		ClusterName: s.ClusterName, KubernetesVersion: s.KubernetesVersion, Partition: p.Partition, PermissionsBoundary: p.PermissionsBoundary,
		SubnetIDs: p.Network.PrivateSubnetIDs, EndpointPublicAccess: s.ClusterEndpointPublicAccess,
		PublicAccessCidrs: s.ClusterEndpointPublicAccessCidrs, AdminPrincipals: s.ClusterAdminPrincipals, DeployerArn: p.DeployerArn,
		PrivateAccessCidrs: s.ClusterEndpointPrivateAccessCidrs, PrivateAccessSecurityGroups: admitted,
		SecretsKeyArn: p.Keys.DataKeyArn, LogGroup: p.Logs.ClusterLogGroup,
	}, prov); err != nil {
		return fmt.Errorf("declaring cluster: %w", err)
	}
	return nil
}

// declareWorkloadLayer declares the AWS resources that serve the cluster's
// workloads: the artifact bucket, the database, IRSA roles, node groups
// and add-ons.
func declareWorkloadLayer(ctx *pulumi.Context, s *spec.Spec, p *Platform, prov pulumi.ResourceOption) error {
	var err error
	if p.AccessLogs, err = storage.NewAccessLogs(ctx, "access-logs", &storage.AccessLogsArgs{
		BucketName: storage.AccessLogsBucketName(s.ClusterName, p.AccountID), Region: s.Region,
		AccountID: p.AccountID, Partition: p.Partition, ExpirationDays: s.AccessLogs.ExpirationDays,
		ForceDestroy: s.Artifacts.ForceDestroy, Protect: s.ProtectStatefulResources,
	}, prov); err != nil {
		return fmt.Errorf("declaring access-log bucket: %w", err)
	}
	if p.Artifacts, err = storage.NewArtifacts(ctx, "artifacts", &storage.Args{
		ClusterName: s.ClusterName, KmsKeyArn: p.Keys.DataKeyArn, Versioning: s.Artifacts.Versioning,
		ForceDestroy: s.Artifacts.ForceDestroy, NoncurrentVersionExpirationDays: s.Artifacts.NoncurrentVersionExpirationDays,
		Protect:          s.ProtectStatefulResources,
		AccessLogsBucket: p.AccessLogs.BucketName, AccessLogsReady: []pulumi.Resource{p.AccessLogs.Policy},
	}, prov); err != nil {
		return fmt.Errorf("declaring artifact storage: %w", err)
	}
	// The database comes first: MLflow's roles name its resource ID and its
	// master secret (only their inline policies wait for the instance).
	if p.Database, err = database.NewDatabase(ctx, "database", &database.Args{
		Identifier: p.DatabaseIdent, Partition: p.Partition, Region: s.Region, AccountID: p.AccountID,
		Settings: databaseSettings(s.Database),
		VpcID:    p.Network.VpcID.ToStringOutput(), SubnetIDs: p.Network.PrivateSubnetIDs,
		NodeSecurityGroupID: p.Cluster.ClusterSecurityGroupID, KmsKeyArn: p.Keys.DataKeyArn,
		LogGroups: p.Logs.DatabaseLogGroups, Protect: s.ProtectStatefulResources, PermissionsBoundary: p.PermissionsBoundary,
	}, prov); err != nil {
		return fmt.Errorf("declaring database: %w", err)
	}
	topic, key, err := declareAlertTopic(ctx, s, p, prov)
	if err != nil {
		return err
	}
	if p.Roles, err = identity.NewRoles(ctx, "irsa", &identity.Args{
		ClusterName: s.ClusterName, Region: s.Region, AccountID: p.AccountID, Partition: p.Partition, PermissionsBoundary: p.PermissionsBoundary,
		OidcProviderArn: p.Cluster.OidcProviderArn, OidcIssuer: p.Cluster.OidcIssuer,
		ArtifactBucketArn: p.Artifacts.BucketArn, DataKeyArn: p.Keys.DataKeyArn,
		DatabaseResourceID: p.Database.ResourceID, DatabaseSecretArn: p.Database.MasterUserSecretArn,
		AlertTopicArn: topic, AlertTopicKeyArn: key,
	}, prov); err != nil {
		return fmt.Errorf("declaring IRSA roles: %w", err)
	}
	// The VPC CNI comes before the nodes (review N13): the first nodes'
	// aws-node must run with the CNI's IRSA role, as the node role has no
	// ENI rights.
	if p.Addons, err = addons.NewAddons(ctx, "addons", &addons.Args{
		ClusterName: p.Cluster.Name, Versions: spec.AddonVersions[s.KubernetesVersion], VpcCniRoleArn: p.Roles.VpcCni,
		EBSCSIRoleArn: p.Roles.EBSCSI, CloudWatchAgentRoleArn: p.Roles.CloudWatchAgent,
		ContainerInsights: s.ContainerInsights, ContainerInsightsLogGroups: p.Logs.ContainerInsightsLogGroups,
	}, prov); err != nil {
		return fmt.Errorf("declaring add-ons: %w", err)
	}
	if p.NodeGroups, err = nodegroups.NewNodeGroups(ctx, "nodes", &nodegroups.Args{
		ClusterName: p.Cluster.Name, KubernetesVersion: p.Cluster.Version, ClusterSecurityGroupID: p.Cluster.ClusterSecurityGroupID, PermissionsBoundary: p.PermissionsBoundary,
		Partition: p.Partition, SSMAccess: s.NodeSsmAccess, SubnetIDs: p.Network.PrivateSubnetIDs,
		VolumeKeyArn: p.Keys.DataKeyArn, Groups: nodeGroups(s.NodeGroups), Tags: s.Tags,
		Before: p.Addons.BeforeNodes(),
	}, prov); err != nil {
		return fmt.Errorf("declaring node groups: %w", err)
	}
	if err := declareKarpenter(ctx, s, p, prov); err != nil {
		return err
	}
	var groups []pulumi.Resource
	for _, g := range nodeGroups(s.NodeGroups) {
		groups = append(groups, p.NodeGroups.Groups[g.Name])
	}
	if err := p.Addons.WithNodes(ctx, groups); err != nil {
		return fmt.Errorf("declaring add-ons: %w", err)
	}
	return nil
}

// declareAlertTopic returns the SNS topic Alertmanager publishes to and
// its KMS key: the platform's own topic, encrypted with the data key,
// unless alerting names a topic (whose key is the operator's to open to
// the role) or a webhook (then none).
func declareAlertTopic(ctx *pulumi.Context, s *spec.Spec, p *Platform, prov pulumi.ResourceOption) (topic, key pulumi.StringInput, err error) {
	p.AlertTopicArn = pulumi.String("").ToStringOutput()
	switch {
	case s.Alerting.WebhookSecret != "":
		return nil, nil, nil
	case s.Alerting.SNSTopicArn != "":
		p.AlertTopicArn = pulumi.String(s.Alerting.SNSTopicArn).ToStringOutput()
		return p.AlertTopicArn, nil, nil
	}
	t, err := alerting.NewTopic(ctx, "alerting", &alerting.Args{ClusterName: s.ClusterName, KmsKeyArn: p.Keys.DataKeyArn}, prov)
	if err != nil {
		return nil, nil, fmt.Errorf("declaring alert topic: %w", err)
	}
	p.AlertTopicArn = t.Arn
	return t.Arn, p.Keys.DataKeyArn, nil
}

// readiness is what the in-cluster objects wait for in the AWS layer
// (platform.Readiness gives the reasons).
func (p *Platform) readiness() platform.Readiness {
	return platform.Readiness{
		Pods: append([]pulumi.Resource{p.NodeGroups.Groups[nodegroups.General]},
			p.Addons.Of(addons.VpcCni, addons.KubeProxy, addons.CoreDNS)...),
		Volumes:   p.Addons.Of(addons.EBSCSIDriver),
		Ingresses: []pulumi.Resource{p.AccessLogs.Policy},
	}
}

func exportOutputs(ctx *pulumi.Context, p *Platform) {
	ctx.Export("clusterName", p.Cluster.Name)
	ctx.Export("clusterEndpoint", p.Cluster.Endpoint)
	ctx.Export("oidcProviderArn", p.Cluster.OidcProviderArn)
	ctx.Export("vpcId", p.Network.VpcID)
	ctx.Export("artifactBucket", p.Artifacts.BucketName)
	ctx.Export("databaseAddress", p.Database.Address)
	ctx.Export("databaseSecretArn", p.Database.MasterUserSecretArn)
	ctx.Export("irsaRoles", pulumi.StringMap{
		"mlflow": p.Roles.MLflow, "kserve": p.Roles.KServe, "awsLoadBalancerController": p.Roles.LoadBalancerController,
		"ebsCsi": p.Roles.EBSCSI, "clusterAutoscaler": p.Roles.ClusterAutoscaler, "cloudwatchAgent": p.Roles.CloudWatchAgent,
		"vpcCni": p.Roles.VpcCni, "alertmanager": p.Roles.Alertmanager,
	})
	ctx.Export("alertTopicArn", p.AlertTopicArn)
	if p.Bastion != nil {
		ctx.Export("bastionInstanceId", p.Bastion.InstanceID)
	}
}

// albLogsBucket is the bucket the ALBs log to: the one configured, or the
// platform's own access-log bucket, own.
func albLogsBucket(s *spec.Spec, own string) string {
	if s.Ingress.AccessLogsBucket != "" {
		return s.Ingress.AccessLogsBucket
	}
	return own
}

// albSourceCidrs are the subnets the ALBs live in, which the network
// policies admit them from: the internal load balancer subnets, or the
// public subnets of internet-facing ALBs.
func albSourceCidrs(s *spec.Spec) []string {
	if s.Ingress.Scheme == spec.SchemeInternetFacing {
		return s.PublicSubnetCidrs
	}
	return s.ALBSubnetCidrs
}

// platformSettings are the spec's in-cluster choices as the platform
// component takes them: plain values, nothing derived from the profile.
func platformSettings(s *spec.Spec, albLogs string) platform.Settings {
	w := s.Workloads
	return platform.Settings{
		Region: s.Region, VpcCidr: s.VpcCidr, KserveIngressDomain: s.KserveIngressDomain,
		CertificateArn: s.Ingress.CertificateArn, AccessLogsBucket: albLogs,
		ALBScheme: s.Ingress.Scheme, ALBDeletionProtection: s.Ingress.DeletionProtection,
		ALBSourceCidrs:       albSourceCidrs(s),
		InboundCidrs:         s.ClusterEndpointPublicAccessCidrs,
		AlertWebhookSecret:   s.Alerting.WebhookSecret,
		StorageReclaimPolicy: w.StorageReclaimPolicy,
		Quota:                platform.Quota(w.Quota),
		MLflow:               platform.Replicated(w.MLflow),
		CertManager:          platform.Replicated(w.CertManager),
		MetricsServer:        platform.Replicated(w.MetricsServer),
		Prometheus:           platform.Prometheus(w.Prometheus),
		Alertmanager:         platform.Alertmanager(w.Alertmanager),
		GrafanaStorageSize:   w.Grafana.StorageSize,
		Charts:               platform.ChartSource(s.Charts),
		NodePools:            nodePools(s.NodeGroups),
		NodeTags:             s.Tags,
	}
}

// ProviderArgs are the explicit AWS provider's settings: the region, the
// default tags, and the account selection of spec key aws (filled from the
// stack's aws:profile / aws:assumeRole / aws:allowedAccountIds), which an
// explicit provider would otherwise ignore. With allowedAccountIds set, a
// deploy with credentials of another account fails before anything is
// created.
//
// skipCredentialsValidation and skipRegionValidation are the defaults the
// SDK's provider constructor sends.
func ProviderArgs(s *spec.Spec) pulumi.Map {
	args := pulumi.Map{
		"region":                    pulumi.String(s.Region),
		"defaultTags":               pulumi.Map{"tags": pulumi.ToStringMap(s.Tags)},
		"skipCredentialsValidation": pulumi.Bool(false),
		"skipRegionValidation":      pulumi.Bool(true),
	}
	if s.AWS.Profile != "" {
		args["profile"] = pulumi.String(s.AWS.Profile)
	}
	if s.AWS.AssumeRoleArn != "" {
		role := pulumi.Map{
			"roleArn":     pulumi.String(s.AWS.AssumeRoleArn),
			"sessionName": pulumi.String(s.DeploySessionName()),
		}
		if s.AWS.AssumeRoleExternalID != "" {
			role["externalId"] = pulumi.String(s.AWS.AssumeRoleExternalID)
		}
		args["assumeRole"] = role
	}
	if len(s.AWS.AllowedAccountIds) > 0 {
		args["allowedAccountIds"] = pulumi.ToStringArray(s.AWS.AllowedAccountIds)
	}
	return args
}

// newAWSProvider declares the explicit AWS provider of the stack.
func newAWSProvider(ctx *pulumi.Context, s *spec.Spec) (*provider.Provider, error) {
	var prov provider.Provider
	if err := provider.AWS(ctx, typetoken.ProviderAWS, "aws", ProviderArgs(s), &prov); err != nil {
		return nil, fmt.Errorf("declaring AWS provider: %w", err)
	}
	return &prov, nil
}

// caller is the account and principal the deploy runs as.
type caller struct {
	AccountID string `pulumi:"accountId"`
	Arn       string `pulumi:"arn"`
}

// callerIdentity looks up the account and principal the provider runs as.
func callerIdentity(ctx *pulumi.Context, prov *provider.Provider) (caller, error) {
	var c caller
	if err := provider.InvokeAWS(ctx, typetoken.GetCallerIdentity, nil, &c, pulumi.Provider(prov)); err != nil {
		return c, fmt.Errorf("looking up the AWS account: %w", err)
	}
	return c, nil
}
