// Package encryption declares the customer-managed KMS keys of the platform:
// one for data at rest (EKS secrets, EBS, RDS, S3) and one for CloudWatch Logs.
package encryption

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/kms"
)

// Args configures the keys.
type Args struct {
	ClusterName string
	Region      string
	AccountID   string
	Partition   string
	// DeletionWindowDays is the waiting period before a deleted key is gone.
	DeletionWindowDays int
	// Protect marks the keys protected, so the engine refuses to delete them.
	Protect bool
	// EBSEncryptionByDefault makes the data key the account's default EBS
	// key and turns encryption by default on (spec key
	// accountEbsEncryptionByDefault).
	EBSEncryptionByDefault bool
}

// Keys is the encryption component.
type Keys struct {
	pulumi.ResourceState

	// DataKeyArn encrypts EKS secrets, EBS volumes, RDS, Performance Insights and S3.
	DataKeyArn pulumi.StringOutput
	// LogsKeyArn encrypts every CloudWatch log group of the platform.
	LogsKeyArn pulumi.StringOutput
}

// NewKeys declares both keys with rotation on and explicit key policies.
func NewKeys(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Keys, error) {
	k := &Keys{}
	if err := ctx.RegisterComponentResource("mlops:encryption:Keys", name, k, opts...); err != nil {
		return nil, err
	}
	slr, err := ensureAutoScalingRole(ctx, name, k)
	if err != nil {
		return nil, err
	}
	keyOpts := []pulumi.ResourceOption{pulumi.Parent(k), pulumi.Protect(args.Protect)}

	data, err := newKey(ctx, name+"-data", args, "data at rest of "+args.ClusterName, dataKeyPolicy(args),
		append(keyOpts, pulumi.DependsOn(slr)))
	if err != nil {
		return nil, err
	}
	if args.EBSEncryptionByDefault {
		if err := accountEBSDefaults(ctx, name, data.Arn, k); err != nil {
			return nil, err
		}
	}
	logs, err := newKey(ctx, name+"-logs", args, "CloudWatch Logs of "+args.ClusterName, logsKeyPolicy(args), keyOpts)
	if err != nil {
		return nil, err
	}
	k.DataKeyArn, k.LogsKeyArn = data.Arn, logs.Arn
	return k, ctx.RegisterResourceOutputs(k, pulumi.Map{"dataKeyArn": k.DataKeyArn, "logsKeyArn": k.LogsKeyArn})
}

func newKey(ctx *pulumi.Context, name string, args *Args, purpose string, policy iampolicy.Document, opts []pulumi.ResourceOption) (*kms.Key, error) {
	doc, err := policy.JSON()
	if err != nil {
		return nil, err
	}
	key, err := kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          pulumi.String("mlops-platform: " + purpose),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(args.DeletionWindowDays),
		Policy:               pulumi.String(doc),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("declaring KMS key %q: %w", name, err)
	}
	if _, err := kms.NewAlias(ctx, name, &kms.AliasArgs{
		Name:        pulumi.Sprintf("alias/%s-%s", args.ClusterName, name),
		TargetKeyId: key.KeyId,
	}, opts[0]); err != nil {
		return nil, fmt.Errorf("declaring KMS alias %q: %w", name, err)
	}
	return key, nil
}

func rootAdmin(args *Args) iampolicy.Statement {
	return iampolicy.Statement{
		Sid:       "AccountAdministersKey",
		Effect:    "Allow",
		Principal: map[string]any{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", args.Partition, args.AccountID)},
		Action:    []string{"kms:*"},
		Resource:  []string{"*"},
	}
}

// dataKeyPolicy lets the Auto Scaling service-linked role use the key, which
// managed node groups need to launch instances with encrypted root volumes
// (without it, launches fail with Client.InternalError). The role must
// exist before the key: see ensureAutoScalingRole.
func dataKeyPolicy(args *Args) iampolicy.Document {
	asg := fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", args.Partition, args.AccountID)
	return iampolicy.New(
		rootAdmin(args),
		iampolicy.Statement{
			Sid:       "AutoScalingUsesKeyForEBS",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": asg},
			Action:    []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
			Resource:  []string{"*"},
		},
		iampolicy.Statement{
			Sid:       "AutoScalingGrantsForEBS",
			Effect:    "Allow",
			Principal: map[string]any{"AWS": asg},
			Action:    []string{"kms:CreateGrant"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{"Bool": {"kms:GrantIsForAWSResource": "true"}},
		},
	)
}

// logsKeyPolicy admits the regional CloudWatch Logs service for this
// account's log groups only.
func logsKeyPolicy(args *Args) iampolicy.Document {
	return iampolicy.New(
		rootAdmin(args),
		iampolicy.Statement{
			Sid:       "CloudWatchLogsUsesKey",
			Effect:    "Allow",
			Principal: map[string]any{"Service": fmt.Sprintf("logs.%s.amazonaws.com", args.Region)},
			Action:    []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{"ArnLike": {
				"kms:EncryptionContext:aws:logs:arn": fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", args.Partition, args.Region, args.AccountID),
			}},
		},
	)
}
