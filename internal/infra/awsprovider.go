package infra

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// ProviderArgs are the explicit AWS provider's settings: the region, the
// default tags, and the account selection of spec key aws (filled from the
// stack's aws:profile / aws:assumeRole / aws:allowedAccountIds), which an
// explicit provider would otherwise ignore. With allowedAccountIds set, a
// deploy with credentials of another account fails before anything is
// created. aws.NewProvider adds skipCredentialsValidation (false) and
// skipRegionValidation (true).
func ProviderArgs(s *spec.Spec) *aws.ProviderArgs {
	args := &aws.ProviderArgs{
		Region:      pulumi.String(s.Region),
		DefaultTags: aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(s.Tags)},
	}
	if s.AWS.Profile != "" {
		args.Profile = pulumi.String(s.AWS.Profile)
	}
	if s.AWS.AssumeRoleArn != "" {
		role := aws.ProviderAssumeRoleArgs{
			RoleArn:     pulumi.String(s.AWS.AssumeRoleArn),
			SessionName: pulumi.String(s.DeploySessionName()),
		}
		if s.AWS.AssumeRoleExternalID != "" {
			role.ExternalId = pulumi.String(s.AWS.AssumeRoleExternalID)
		}
		args.AssumeRole = role
	}
	if len(s.AWS.AllowedAccountIds) > 0 {
		args.AllowedAccountIds = pulumi.ToStringArray(s.AWS.AllowedAccountIds)
	}
	return args
}

// newAWSProvider declares the explicit AWS provider of the stack.
func newAWSProvider(ctx *pulumi.Context, s *spec.Spec) (*aws.Provider, error) {
	prov, err := aws.NewProvider(ctx, "aws", ProviderArgs(s))
	if err != nil {
		return nil, fmt.Errorf("declaring AWS provider: %w", err)
	}
	return prov, nil
}

// account is where the deploy runs: the account, its partition, the
// IAM role or user the calling principal was issued by.
type account struct {
	ID, Partition, DeployerArn string
}

// callerIdentity looks up the account and principal the provider runs as.
func callerIdentity(ctx *pulumi.Context, prov *aws.Provider) (*aws.GetCallerIdentityResult, error) {
	c, err := aws.GetCallerIdentity(ctx, nil, pulumi.Provider(prov))
	if err != nil {
		return nil, fmt.Errorf("looking up the AWS account: %w", err)
	}
	return c, nil
}

// lookupAccount looks up the account, the partition and the deploying
// role of the provider's credentials.
func lookupAccount(ctx *pulumi.Context, prov *aws.Provider) (account, error) {
	opt := pulumi.Provider(prov)
	caller, err := callerIdentity(ctx, prov)
	if err != nil {
		return account{}, err
	}
	part, err := aws.GetPartition(ctx, nil, opt)
	if err != nil {
		return account{}, fmt.Errorf("looking up the AWS partition: %w", err)
	}
	// The caller is often an assumed-role session; access entries need the
	// IAM role it was issued by.
	session, err := iam.GetSessionContext(ctx, &iam.GetSessionContextArgs{Arn: caller.Arn}, opt)
	if err != nil {
		return account{}, fmt.Errorf("resolving the deploying role from %s: %w", caller.Arn, err)
	}
	return account{ID: caller.AccountId, Partition: part.Partition, DeployerArn: session.IssuerArn}, nil
}
