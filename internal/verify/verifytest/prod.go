package verifytest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/verify"
)

// ProdAccount is the live prod account as the requirements and the
// README's configuration table describe it, written out by hand (in
// awsfake.Account, cluster mlops-platform-prod in eu-west-1), not read off
// the graph: verify checks the account against verify.Expect(graph), so a
// field Expect misreads or a default it gets wrong shows up as drift.
// Change it only for a change of what prod should be.
func ProdAccount() *verify.Expected {
	zones := []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}
	logGroup := func(name string) verify.LogGroupWant {
		return verify.LogGroupWant{Name: name, RetentionDays: 30, KMSKey: true} // logRetentionDays: 30 in prod
	}
	return &verify.Expected{
		Cluster: verify.ClusterWant{Name: "mlops-platform-prod", Version: "1.35",
			PrivateEndpoint: true, PublicEndpoint: false, SecretsKey: true,
			LogTypes: []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}},
		// The order names them: general-…0, gpu-…1, training-…2.
		NodeGroups: []verify.NodeGroupWant{
			{Prefix: "general-", Version: "1.35", Zones: zones, Min: 3, Max: 10},
			{Prefix: "gpu-", Version: "1.35", Zones: zones, Min: 0, Max: 4},
			{Prefix: "training-", Version: "1.35", Zones: zones, Min: 0, Max: 10},
		},
		// The EKS add-on versions reviewed for Kubernetes 1.35 (2026-11-29).
		Addons: []verify.AddonWant{
			{Name: verify.ContainerInsightsAddon, Version: "v6.0.1-eksbuild.1"},
			{Name: "aws-ebs-csi-driver", Version: "v1.59.0-eksbuild.1"},
			{Name: "coredns", Version: "v1.13.2-eksbuild.4"},
			{Name: "eks-pod-identity-agent", Version: "v1.3.10-eksbuild.3"},
			{Name: "kube-proxy", Version: "v1.35.3-eksbuild.2"},
			{Name: "vpc-cni", Version: "v1.21.1-eksbuild.8"},
		},
		Databases: []verify.DatabaseWant{{ID: "mlops-platform-prod-mlflow", MultiAZ: true, DeletionProtection: true,
			StorageEncrypted: true, KMSKey: true, BackupRetention: 7}},
		Buckets: []verify.BucketWant{
			// S3 server access logs can be delivered only to a bucket
			// encrypted with SSE-S3, named after the account.
			{Logical: "access-logs", Name: "mlops-platform-prod-access-logs-" + awsfake.Account, SSE: "AES256", PublicAccessBlock: true},
			{Logical: "artifacts", Prefix: "mlops-platform-prod-artifacts-", Versioning: true, SSE: "aws:kms", PublicAccessBlock: true},
		},
		LogGroups: []verify.LogGroupWant{
			logGroup("/aws/containerinsights/mlops-platform-prod/application"),
			logGroup("/aws/containerinsights/mlops-platform-prod/dataplane"),
			logGroup("/aws/containerinsights/mlops-platform-prod/host"),
			logGroup("/aws/containerinsights/mlops-platform-prod/performance"),
			logGroup("/aws/eks/mlops-platform-prod/cluster"),
			logGroup("/aws/vpc/mlops-platform-prod/flow-logs"),
			logGroup("/aws/rds/instance/mlops-platform-prod-mlflow/postgresql"),
			logGroup("/aws/rds/instance/mlops-platform-prod-mlflow/upgrade"),
		},
	}
}

// DeployProd creates ProdAccount on srv (see Deploy).
func DeployProd(t testing.TB, srv *awsfake.Server, s3c *s3.Client) {
	t.Helper()
	Deploy(t, srv, s3c, ProdAccount())
}
