package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	metav1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/meta/v1"
	storagev1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/storage/v1"
)

// EBSProvisioner is the EBS CSI driver the add-ons layer installs.
const EBSProvisioner = "ebs.csi.aws.com"

// storageClass declares the default StorageClass: gp3 volumes encrypted
// with the platform's data key, bound where the pod lands, expandable.
// Its reclaim policy is the spec's: Retain keeps a released volume so a
// deleted claim loses no data.
func (b *builder) storageClass() error {
	reclaim := b.args.StorageReclaimPolicy
	sc, err := storagev1.NewStorageClass(b.ctx, b.name+"-storageclass-gp3", &storagev1.StorageClassArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name:        pulumi.String(StorageClassName),
			Annotations: pulumi.StringMap{"storageclass.kubernetes.io/is-default-class": pulumi.String("true")},
		},
		Provisioner: pulumi.String(EBSProvisioner),
		Parameters: pulumi.StringMap{
			"type":      pulumi.String("gp3"),
			"encrypted": pulumi.String("true"),
			"kmsKeyId":  b.args.DataKeyArn,
			"fsType":    pulumi.String("ext4"),
		},
		VolumeBindingMode:    pulumi.String("WaitForFirstConsumer"),
		AllowVolumeExpansion: pulumi.Bool(true),
		ReclaimPolicy:        pulumi.String(reclaim),
	}, b.with()...)
	if err != nil {
		return fmt.Errorf("declaring storage class %s: %w", StorageClassName, err)
	}
	b.storage = sc
	return nil
}
