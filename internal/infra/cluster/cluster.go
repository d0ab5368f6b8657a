// Package cluster declares the EKS control plane: its service role, private
// endpoint, secrets encryption, control-plane logging, API authentication
// with access entries, and the OIDC provider that IRSA roles trust.
package cluster

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/eks"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/vpc"
)

// LogTypes are all five EKS control-plane log types.
var LogTypes = []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}

// ClusterAdminPolicyArn is the EKS access policy granting cluster-admin in
// a partition.
func ClusterAdminPolicyArn(partition string) string {
	return "arn:" + partition + ":eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
}

// Args configures the control plane.
type Args struct {
	ClusterName       string
	KubernetesVersion string
	Partition         string
	// PermissionsBoundary is the ARN of the stack's permissions boundary
	// (internal/boundary), which every role declared here carries.
	PermissionsBoundary string
	// SubnetIDs are the private subnets the control plane's interfaces use.
	SubnetIDs pulumi.StringArrayInput
	// EndpointPublicAccess adds a public endpoint (dev); the private one is always on.
	EndpointPublicAccess bool
	PublicAccessCidrs    []string
	// AdminPrincipals get cluster-admin through access entries.
	AdminPrincipals []string
	// DeployerArn is the IAM role or user the deploy runs as (an assumed
	// role resolved to its role ARN); it gets an explicit entry too.
	DeployerArn string
	// PrivateAccessCidrs and PrivateAccessSecurityGroups are admitted to the
	// private endpoint on 443 (VPN, peered networks, the bastion).
	// PrivateAccessSecurityGroups is keyed by a stable name (the group's ID
	// when configured, "bastion" for the bastion's), which names the rule.
	PrivateAccessCidrs          []string
	PrivateAccessSecurityGroups map[string]pulumi.StringInput
	// SecretsKeyArn envelope-encrypts Kubernetes secrets.
	SecretsKeyArn pulumi.StringInput
	// LogGroup must exist first, so EKS does not create it without retention.
	LogGroup pulumi.Resource
}

// Cluster is the control-plane component.
type Cluster struct {
	pulumi.ResourceState

	Name pulumi.StringOutput
	// Version is the control plane's Kubernetes version; node groups follow it.
	Version                pulumi.StringOutput
	Arn                    pulumi.StringOutput
	Endpoint               pulumi.StringOutput
	CertificateAuthority   pulumi.StringOutput
	ClusterSecurityGroupID pulumi.StringOutput
	OidcProviderArn        pulumi.StringOutput
	// OidcIssuer is the issuer URL without its https:// scheme, as IAM
	// condition keys spell it.
	OidcIssuer pulumi.StringOutput
	// Access are the cluster-admin policy associations of the admins, the
	// deployer's among them: what a deploy needs before it calls the
	// Kubernetes API.
	Access []pulumi.Resource
}

// NewCluster declares the control plane.
func NewCluster(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Cluster, error) {
	c := &Cluster{}
	if err := ctx.RegisterComponentResource("mlops:cluster:Cluster", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)

	role, err := boundary.NewRole(ctx, name+"-role", args.PermissionsBoundary, &iam.RoleArgs{
		Description:      pulumi.String("EKS control plane of " + args.ClusterName),
		AssumeRolePolicy: pulumi.String(iampolicy.ServiceTrust("eks.amazonaws.com")),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring cluster role: %w", err)
	}
	attach, err := iam.NewRolePolicyAttachment(ctx, name+"-role-policy", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/AmazonEKSClusterPolicy", args.Partition),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("attaching cluster policy: %w", err)
	}

	cidrs := pulumi.StringArray{}
	if args.EndpointPublicAccess {
		cidrs = pulumi.ToStringArray(args.PublicAccessCidrs)
	}
	cl, err := eks.NewCluster(ctx, name, &eks.ClusterArgs{
		Name:    pulumi.String(args.ClusterName),
		Version: pulumi.String(args.KubernetesVersion),
		RoleArn: role.Arn,
		VpcConfig: eks.ClusterVpcConfigArgs{
			SubnetIds:             args.SubnetIDs,
			EndpointPrivateAccess: pulumi.Bool(true),
			EndpointPublicAccess:  pulumi.Bool(args.EndpointPublicAccess),
			PublicAccessCidrs:     cidrs,
		},
		EncryptionConfig: eks.ClusterEncryptionConfigArgs{
			Resources: pulumi.StringArray{pulumi.String("secrets")},
			Provider:  eks.ClusterEncryptionConfigProviderArgs{KeyArn: args.SecretsKeyArn},
		},
		EnabledClusterLogTypes: pulumi.ToStringArray(LogTypes),
		AccessConfig: eks.ClusterAccessConfigArgs{
			AuthenticationMode: pulumi.String("API"),
			// "off": EKS's implicit entry for the creator is invisible to
			// review, and an explicit entry for the same principal then
			// fails with 409. Every admin, the deployer included, is an
			// explicit access entry below.
			BootstrapClusterCreatorAdminPermissions: pulumi.Bool(false),
		},
		UpgradePolicy: eks.ClusterUpgradePolicyArgs{SupportType: pulumi.String("STANDARD")},
	}, child, pulumi.DependsOn([]pulumi.Resource{attach, args.LogGroup}),
		// The setting is create-only (ForceNew in the provider): a cluster
		// created while it was true would otherwise be planned for
		// replacement, which its fixed name makes fail (review N14). New
		// clusters still get false; see README for removing the implicit
		// creator entry of an older cluster.
		pulumi.IgnoreChanges([]string{"accessConfig.bootstrapClusterCreatorAdminPermissions"}))
	if err != nil {
		return nil, fmt.Errorf("declaring EKS cluster %q: %w", args.ClusterName, err)
	}
	c.Name, c.Arn, c.Endpoint, c.Version = cl.Name, cl.Arn, cl.Endpoint, cl.Version
	c.CertificateAuthority = cl.CertificateAuthority.Data().Elem()
	c.ClusterSecurityGroupID = cl.VpcConfig.ClusterSecurityGroupId().Elem()

	if c.Access, err = declareAccess(ctx, name, args, cl, child); err != nil {
		return nil, err
	}
	if err := declareEndpointIngress(ctx, name, args, c.ClusterSecurityGroupID, child); err != nil {
		return nil, err
	}
	if err := declareOIDC(ctx, name, c, cl, child); err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"name": c.Name, "endpoint": c.Endpoint, "oidcProviderArn": c.OidcProviderArn,
	})
}

// Admins returns the principals given cluster-admin: the deployer first,
// then the configured ones, each once.
func Admins(deployer string, configured []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range append([]string{deployer}, configured...) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// declareAccess grants cluster-admin to each admin through an explicit
// access entry. Resource names derive from the principal, so adding or
// removing one admin never replaces another's entry.
func declareAccess(ctx *pulumi.Context, name string, args *Args, cl *eks.Cluster, child pulumi.ResourceOption) ([]pulumi.Resource, error) {
	var granted []pulumi.Resource
	for _, principal := range Admins(args.DeployerArn, args.AdminPrincipals) {
		entryName := fmt.Sprintf("%s-admin-%s", name, shortHash(principal))
		entry, err := eks.NewAccessEntry(ctx, entryName, &eks.AccessEntryArgs{
			ClusterName:  cl.Name,
			PrincipalArn: pulumi.String(principal),
			Type:         pulumi.String("STANDARD"),
		}, child)
		if err != nil {
			return nil, fmt.Errorf("declaring access entry for %s: %w", principal, err)
		}
		assoc, err := eks.NewAccessPolicyAssociation(ctx, entryName, &eks.AccessPolicyAssociationArgs{
			ClusterName:  cl.Name,
			PrincipalArn: entry.PrincipalArn,
			PolicyArn:    pulumi.String(ClusterAdminPolicyArn(args.Partition)),
			AccessScope:  eks.AccessPolicyAssociationAccessScopeArgs{Type: pulumi.String("cluster")},
		}, child)
		if err != nil {
			return nil, fmt.Errorf("granting cluster-admin to %s: %w", principal, err)
		}
		granted = append(granted, assoc)
	}
	return granted, nil
}

// declareEndpointIngress admits the configured networks and security groups
// to the private endpoint: EKS's cluster security group admits only itself.
func declareEndpointIngress(ctx *pulumi.Context, name string, args *Args, clusterSG pulumi.StringOutput, child pulumi.ResourceOption) error {
	rule := func(suffix, desc string, a *vpc.SecurityGroupIngressRuleArgs) error {
		a.SecurityGroupId, a.IpProtocol, a.FromPort, a.ToPort = clusterSG, pulumi.String("tcp"), pulumi.Int(443), pulumi.Int(443)
		a.Description = pulumi.String(desc)
		if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-api-from-"+suffix, a, child); err != nil {
			return fmt.Errorf("admitting %s to the API endpoint: %w", suffix, err)
		}
		return nil
	}
	for _, cidr := range args.PrivateAccessCidrs {
		if err := rule(strings.NewReplacer(".", "-", "/", "-").Replace(cidr), "Kubernetes API from "+cidr+" (clusterEndpointPrivateAccessCidrs)", &vpc.SecurityGroupIngressRuleArgs{CidrIpv4: pulumi.String(cidr)}); err != nil {
			return err
		}
	}
	keys := make([]string, 0, len(args.PrivateAccessSecurityGroups))
	for k := range args.PrivateAccessSecurityGroups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := rule(k, "Kubernetes API from security group "+k+" (clusterEndpointPrivateAccessSecurityGroups or bastion.enabled)",
			&vpc.SecurityGroupIngressRuleArgs{ReferencedSecurityGroupId: args.PrivateAccessSecurityGroups[k]}); err != nil {
			return err
		}
	}
	return nil
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:8]
}

// declareOIDC registers the cluster's issuer with IAM for IRSA. IAM no longer
// checks thumbprints for EKS issuers, so none is pinned.
func declareOIDC(ctx *pulumi.Context, name string, c *Cluster, cl *eks.Cluster, child pulumi.ResourceOption) error {
	issuer := cl.Identities.Index(pulumi.Int(0)).Oidcs().Index(pulumi.Int(0)).Issuer().Elem()
	oidc, err := iam.NewOpenIdConnectProvider(ctx, name+"-oidc", &iam.OpenIdConnectProviderArgs{
		Url:           issuer,
		ClientIdLists: pulumi.StringArray{pulumi.String("sts.amazonaws.com")},
	}, child)
	if err != nil {
		return fmt.Errorf("declaring OIDC provider: %w", err)
	}
	c.OidcProviderArn = oidc.Arn
	c.OidcIssuer = oidc.Url.ApplyT(trimScheme).(pulumi.StringOutput)
	return nil
}

func trimScheme(u string) string {
	const scheme = "https://"
	if len(u) >= len(scheme) && u[:len(scheme)] == scheme {
		return u[len(scheme):]
	}
	return u
}
