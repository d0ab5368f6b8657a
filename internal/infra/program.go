// Package infra wires the platform's components into one Pulumi program.
// The same function runs under `pulumi up` (cmd/pulumi-program) and
// offline under mocks for `mlops plan`.
package infra

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/infra/addons"
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
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws"
	"github.com/mlops-platform/mlops-platform/internal/spec"
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
	Provider *aws.Provider
	// Bastion is the SSM-managed bastion, nil unless bastion.enabled.
	Bastion *bastion.Bastion
	// SessionDocuments are the bastion's Session Manager documents, nil
	// unless bastion.enabled.
	SessionDocuments *bastion.Documents
	Keys             *encryption.Keys
	Logs             *observability.Logs
	Network          *network.Network
	Cluster          *cluster.Cluster
	Artifacts        *storage.Artifacts
	Roles            *identity.Roles
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
	acct, err := lookupAccount(ctx, p.Provider)
	if err != nil {
		return nil, err
	}
	p.AccountID, p.Partition, p.DeployerArn = acct.ID, acct.Partition, acct.DeployerArn
	p.PermissionsBoundary = boundary.ARN(p.Partition, p.AccountID, s.ClusterName)
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
