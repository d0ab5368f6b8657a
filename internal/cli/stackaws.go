package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/mlops-platform/mlops-platform/internal/acmcheck"
	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/ekstoken"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// stackAWSOptions are the credentials a stack selects: its profile, and
// the role the provider assumes with its external ID and session name.
func stackAWSOptions(sp *spec.Spec) ekstoken.Options {
	o := ekstoken.Options{Cluster: sp.ClusterName, Region: sp.Region, Profile: sp.AWS.Profile, RoleArn: sp.AWS.AssumeRoleArn}
	if o.RoleArn != "" {
		o.ExternalID, o.SessionName = sp.AWS.AssumeRoleExternalID, sp.DeploySessionName()
	}
	return o
}

// stackAWSConfig loads the AWS configuration sp selects, with the
// platform's retryer and attempt timeout. Every command that calls AWS for
// a stack (up's preflight, the tunnel, teardown, the day-2 commands)
// builds its configuration here, so each honours aws.profile and
// aws.assumeRoleArn and is refused outside aws.allowedAccountIds.
func (env Env) stackAWSConfig(ctx context.Context, sp *spec.Spec) (aws.Config, error) {
	load := env.StackAWS
	if load == nil {
		load = ekstoken.LoadConfig
	}
	cfg, err := load(ctx, stackAWSOptions(sp))
	if err != nil {
		return aws.Config{}, err
	}
	cfg = awsclient.Apply(cfg, env.AWS)
	if err := checkAllowedAccount(ctx, cfg, sp); err != nil {
		return aws.Config{}, err
	}
	return cfg, nil
}

// checkAllowedAccount refuses credentials of an account that
// aws.allowedAccountIds does not list, as the provider's
// allowedAccountIds does, before the command makes any other call. It
// calls sts:GetCallerIdentity only when the list is set.
func checkAllowedAccount(ctx context.Context, cfg aws.Config, sp *spec.Spec) error {
	allowed := sp.AWS.AllowedAccountIds
	if len(allowed) == 0 {
		return nil
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return fmt.Errorf("checking aws.allowedAccountIds: reading the caller identity: %w", err)
	}
	account := aws.ToString(id.Account)
	if !slices.Contains(allowed, account) {
		return fmt.Errorf("refusing to run against account %s: aws.allowedAccountIds of %s allows only %s (check the profile or role the shell selects)",
			account, sp.ClusterName, strings.Join(allowed, ", "))
	}
	return nil
}

// certificateHosts are the names the ALBs answer for with the stack's
// certificate: every InferenceService's host, <name>-<namespace> under
// kserveIngressDomain, which only *.<domain> covers. The UIs' Ingresses
// name no host (they answer on the ALB's own DNS name), so they add none.
func certificateHosts(sp *spec.Spec) []string {
	return []string{"*." + sp.KserveIngressDomain}
}

// checkCertificate is the deploy preflight of ingress.certificateArn:
// DescribeCertificate (acm:DescribeCertificate) confirms the certificate is
// in the stack's region, ISSUED, and covers certificateHosts, before any
// engine runs.
func checkCertificate(ctx context.Context, env Env, sp *spec.Spec) error {
	certARN := sp.Ingress.CertificateArn
	if certARN == "" {
		return nil
	}
	cfg, err := env.stackAWSConfig(ctx, sp)
	if err != nil {
		return fmt.Errorf("certificate preflight: %w", err)
	}
	hosts := certificateHosts(sp)
	if err := acmcheck.Check(ctx, acm.NewFromConfig(cfg), certARN, sp.Region, hosts); err != nil {
		return err
	}
	fmt.Fprintf(env.Err, "certificate: %s is issued in %s and covers %v\n", certARN, sp.Region, hosts)
	return nil
}
