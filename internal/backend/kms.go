package backend

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// keySteps converge the KMS key for stack secrets and state encryption.
type keySteps struct {
	kms *kms.Client
	cfg Config
}

// description marks the key so a run interrupted between creating the key
// and its alias finds and adopts it instead of creating another.
func (k keySteps) description() string {
	return "mlops-platform Pulumi state and stack secrets (" + k.cfg.KMSAlias + ")"
}

// ensureKey returns the key behind the alias, adopts a key an interrupted
// run created, or creates one.
func (k keySteps) ensureKey(ctx context.Context) (Result, string, error) {
	md, err := k.describe(ctx, k.cfg.KMSAlias)
	if err != nil {
		return "", "", err
	}
	if md != nil {
		if md.KeyState != kmstypes.KeyStateEnabled {
			return "", "", fmt.Errorf("key %s behind %s is %s: enable it (or cancel its deletion) and run again", aws.ToString(md.Arn), k.cfg.KMSAlias, md.KeyState)
		}
		return Unchanged, aws.ToString(md.Arn), nil
	}
	if arn, err := k.findOrphan(ctx); err != nil || arn != "" {
		return Unchanged, arn, err
	}
	out, err := k.kms.CreateKey(ctx, &kms.CreateKeyInput{
		Description: aws.String(k.description()),
		KeyUsage:    kmstypes.KeyUsageTypeEncryptDecrypt,
		KeySpec:     kmstypes.KeySpecSymmetricDefault,
		Tags:        []kmstypes.Tag{{TagKey: aws.String("managed-by"), TagValue: aws.String("mlops-platform")}},
	})
	if err != nil {
		return "", "", fmt.Errorf("creating the KMS key: %w", err)
	}
	return Created, aws.ToString(out.KeyMetadata.Arn), nil
}

// describe returns the key id names, or nil when there is none.
func (k keySteps) describe(ctx context.Context, id string) (*kmstypes.KeyMetadata, error) {
	out, err := k.kms.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
	var nf *kmstypes.NotFoundException
	if errors.As(err, &nf) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describing KMS key %s: %w", id, err)
	}
	return out.KeyMetadata, nil
}

// findOrphan looks for an enabled key of ours that has no alias yet.
func (k keySteps) findOrphan(ctx context.Context) (string, error) {
	pages := kms.NewListKeysPaginator(k.kms, &kms.ListKeysInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return "", fmt.Errorf("listing KMS keys: %w", err)
		}
		for _, e := range page.Keys {
			md, err := k.describe(ctx, aws.ToString(e.KeyId))
			if err != nil {
				return "", err
			}
			if md != nil && md.KeyManager == kmstypes.KeyManagerTypeCustomer &&
				md.KeyState == kmstypes.KeyStateEnabled && aws.ToString(md.Description) == k.description() {
				return aws.ToString(md.Arn), nil
			}
		}
	}
	return "", nil
}

// ensureRotation turns on yearly rotation of the key.
func (k keySteps) ensureRotation(arn *string) func(context.Context) (Result, string, error) {
	return func(ctx context.Context) (Result, string, error) {
		st, err := k.kms.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: arn})
		if err != nil {
			return "", "", fmt.Errorf("reading the rotation of %s: %w", *arn, err)
		}
		if st.KeyRotationEnabled {
			return Unchanged, "enabled", nil
		}
		if _, err := k.kms.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: arn}); err != nil {
			return "", "", fmt.Errorf("enabling the rotation of %s: %w", *arn, err)
		}
		return Updated, "enabled", nil
	}
}

// ensureAlias points the alias at the key.
func (k keySteps) ensureAlias(arn *string) func(context.Context) (Result, string, error) {
	return func(ctx context.Context) (Result, string, error) {
		md, err := k.describe(ctx, k.cfg.KMSAlias)
		if err != nil {
			return "", "", err
		}
		if md != nil {
			return Unchanged, "-> " + aws.ToString(md.Arn), nil
		}
		_, err = k.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(k.cfg.KMSAlias), TargetKeyId: arn})
		if err != nil {
			return "", "", fmt.Errorf("creating alias %s for %s: %w", k.cfg.KMSAlias, *arn, err)
		}
		return Created, "-> " + *arn, nil
	}
}
