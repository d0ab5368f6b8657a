package infra

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ec2"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/eks"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// checkExisting looks up, in the account the deploy runs against, what the
// spec names but does not create: the admin principals, the security
// groups admitted to the endpoint, and the live control plane's version.
// The ACM certificate is not among them: Cloud Control cannot read ACM
// certificates, and no provider invoke reads one by ARN, so the CLI's
// deploy preflight checks it with ACM's DescribeCertificate
// (internal/acmcheck). The lookups are invokes, so `pulumi preview`
// fails on a missing one before any resource is created; offline, the
// engine answers them from its fake account. CIDRs name networks outside
// AWS's knowledge and are not looked up.
func checkExisting(ctx *pulumi.Context, s *spec.Spec, prov *aws.Provider) error {
	opt := pulumi.Provider(prov)
	for i, arn := range s.ClusterAdminPrincipals {
		if err := lookupPrincipal(ctx, arn, opt); err != nil {
			return fmt.Errorf("clusterAdminPrincipals[%d]: %s does not exist in this account: %w", i, arn, err)
		}
	}
	if arn := s.ClusterDeployerPrincipal; arn != "" {
		if err := lookupPrincipal(ctx, arn, opt); err != nil {
			return fmt.Errorf("clusterDeployerPrincipal: %s does not exist in this account: %w", arn, err)
		}
	}
	for i, id := range s.ClusterEndpointPrivateAccessSecurityGroups {
		if _, err := ec2.LookupSecurityGroup(ctx, &ec2.LookupSecurityGroupArgs{Id: pulumi.StringRef(id)}, opt); err != nil {
			return fmt.Errorf("clusterEndpointPrivateAccessSecurityGroups[%d]: %s does not exist in this region: %w", i, id, err)
		}
	}
	return checkLiveVersion(ctx, s, opt)
}

// lookupPrincipal finds an IAM role or user by the name its ARN ends in.
func lookupPrincipal(ctx *pulumi.Context, arn string, opt pulumi.InvokeOption) error {
	_, resource, _ := strings.Cut(arn, ":iam::")
	_, rest, _ := strings.Cut(resource, ":")
	kind, path, _ := strings.Cut(rest, "/")
	name := path[strings.LastIndex(path, "/")+1:]
	var err error
	switch kind {
	case "role":
		_, err = iam.LookupRole(ctx, &iam.LookupRoleArgs{Name: name}, opt)
	case "user":
		_, err = iam.LookupUser(ctx, &iam.LookupUserArgs{UserName: name}, opt)
	default:
		err = fmt.Errorf("not an IAM role or user")
	}
	return err
}

// checkLiveVersion refuses a spec whose kubernetesVersion is behind the
// running control plane (EKS auto-upgraded it) or more than one minor ahead.
func checkLiveVersion(ctx *pulumi.Context, s *spec.Spec, opt pulumi.InvokeOption) error {
	clusters, err := eks.GetClusters(ctx, opt)
	if err != nil {
		return fmt.Errorf("listing EKS clusters: %w", err)
	}
	if !slices.Contains(clusters.Names, s.ClusterName) {
		return nil
	}
	live, err := eks.LookupCluster(ctx, &eks.LookupClusterArgs{Name: s.ClusterName}, opt)
	if err != nil {
		return fmt.Errorf("reading EKS cluster %s: %w", s.ClusterName, err)
	}
	return spec.CheckLiveVersion(live.Version, s.KubernetesVersion)
}
