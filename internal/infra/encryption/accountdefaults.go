package encryption

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ebs"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
)

// AutoScalingService is the service whose service-linked role the data
// key's policy names.
const AutoScalingService = "autoscaling.amazonaws.com"

// AutoScalingRolePath is the IAM path of the Auto Scaling service-linked
// role (AWSServiceRoleForAutoScaling).
const AutoScalingRolePath = "/aws-service-role/" + AutoScalingService + "/"

// ensureAutoScalingRole looks the Auto Scaling service-linked role up and
// declares it only when the account has none: KMS rejects a key policy
// naming a principal that does not exist (MalformedPolicyDocumentException),
// and an account that has never used Auto Scaling has no such role. The
// returned resources are what the data key must wait for. The role is
// retained on destroy: it is the account's, shared with every Auto Scaling
// group in it.
func ensureAutoScalingRole(ctx *pulumi.Context, name string, parent pulumi.Resource) ([]pulumi.Resource, error) {
	path := AutoScalingRolePath
	found, err := iam.GetRoles(ctx, &iam.GetRolesArgs{PathPrefix: &path}, pulumi.Parent(parent))
	if err != nil {
		return nil, fmt.Errorf("looking up the Auto Scaling service-linked role (path %s): %w", AutoScalingRolePath, err)
	}
	if len(found.Arns) > 0 {
		return nil, nil
	}
	role, err := iam.NewServiceLinkedRole(ctx, name+"-autoscaling-role", &iam.ServiceLinkedRoleArgs{
		AwsServiceName: pulumi.String(AutoScalingService),
		Description:    pulumi.String("Auto Scaling service-linked role, created by mlops-platform because the account had none"),
	}, pulumi.Parent(parent), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, fmt.Errorf("declaring the Auto Scaling service-linked role: %w", err)
	}
	return []pulumi.Resource{role}, nil
}

// accountEBSDefaults turns on EBS encryption by default for the account and
// region, with the data key (control 18): every new volume is encrypted,
// also those no launch template of ours describes.
func accountEBSDefaults(ctx *pulumi.Context, name string, dataKeyArn pulumi.StringInput, parent pulumi.Resource) error {
	if _, err := ebs.NewEncryptionByDefault(ctx, name+"-ebs-encryption-by-default", &ebs.EncryptionByDefaultArgs{
		Enabled: pulumi.Bool(true),
	}, pulumi.Parent(parent)); err != nil {
		return fmt.Errorf("declaring EBS encryption by default: %w", err)
	}
	if _, err := ebs.NewDefaultKmsKey(ctx, name+"-ebs-default-key", &ebs.DefaultKmsKeyArgs{
		KeyArn: dataKeyArn,
	}, pulumi.Parent(parent)); err != nil {
		return fmt.Errorf("declaring the default EBS KMS key: %w", err)
	}
	return nil
}
