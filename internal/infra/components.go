package infra

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/addons"
	"github.com/mlops-platform/mlops-platform/internal/infra/alerting"
	"github.com/mlops-platform/mlops-platform/internal/infra/bastion"
	"github.com/mlops-platform/mlops-platform/internal/infra/cluster"
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/infra/encryption"
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/infra/network"
	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
	"github.com/mlops-platform/mlops-platform/internal/infra/observability"
	"github.com/mlops-platform/mlops-platform/internal/infra/storage"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// The AWS layer's components, in the order they depend on each other.

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
			ClusterName: s.ClusterName, Partition: p.Partition, VpcID: p.Network.VpcID.ToStringOutput(), VpcCidr: s.VpcCidr,
			PermissionsBoundary: p.PermissionsBoundary,
			SubnetID:            p.Network.PrivateSubnetIDs.Index(pulumi.Int(0)),
		}, prov); err != nil {
			return fmt.Errorf("declaring bastion: %w", err)
		}
		admitted["bastion"] = p.Bastion.SecurityGroupID
	}
	if p.Cluster, err = cluster.NewCluster(ctx, "cluster", &cluster.Args{
		ClusterName: s.ClusterName, KubernetesVersion: s.KubernetesVersion, Partition: p.Partition, PermissionsBoundary: p.PermissionsBoundary,
		SubnetIDs: p.Network.PrivateSubnetIDs, EndpointPublicAccess: s.ClusterEndpointPublicAccess,
		PublicAccessCidrs: s.ClusterEndpointPublicAccessCidrs, AdminPrincipals: s.ClusterAdminPrincipals, DeployerArn: deployerPrincipal(s, p),
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
	if err := declareBastionReach(ctx, s, p, prov); err != nil {
		return err
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

// declareBastionReach, with the bastion, admits it to the database (the
// DR drill reaches a restored instance, which copies the database's
// security groups, through it: review N5) and declares the only sessions
// it is for (review N11).
func declareBastionReach(ctx *pulumi.Context, s *spec.Spec, p *Platform, prov pulumi.ResourceOption) error {
	if p.Bastion == nil {
		return nil
	}
	if err := database.AdmitBastion(ctx, "database", p.Database, p.Bastion.SecurityGroupID); err != nil {
		return fmt.Errorf("admitting the bastion to the database: %w", err)
	}
	var err error
	if p.SessionDocuments, err = bastion.NewDocuments(ctx, "bastion", &bastion.DocumentArgs{
		ClusterName: s.ClusterName, Endpoint: p.Cluster.Endpoint,
		DatabaseIdentifier: p.DatabaseIdent, DatabaseAddress: p.Database.Address,
	}, prov, pulumi.Parent(p.Bastion)); err != nil {
		return fmt.Errorf("declaring the bastion's session documents: %w", err)
	}
	return nil
}

// deployerPrincipal is the principal of the deployer's access entry: the
// spec's clusterDeployerPrincipal when set, so the entry stays put
// whoever runs the deploy (review N14), else the principal running it.
func deployerPrincipal(s *spec.Spec, p *Platform) string {
	if s.ClusterDeployerPrincipal != "" {
		return s.ClusterDeployerPrincipal
	}
	return p.DeployerArn
}
