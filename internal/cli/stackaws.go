package cli

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"

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
// platform's retryer and attempt timeout.
func (env Env) stackAWSConfig(ctx context.Context, sp *spec.Spec) (aws.Config, error) {
	load := env.StackAWS
	if load == nil {
		load = ekstoken.LoadConfig
	}
	cfg, err := load(ctx, stackAWSOptions(sp))
	if err != nil {
		return aws.Config{}, err
	}
	return awsclient.Apply(cfg, env.AWS), nil
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
