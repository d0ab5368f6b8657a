package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// EBSProvisioner is the EBS CSI driver the add-ons layer installs.
const EBSProvisioner = "ebs.csi.aws.com"

// storageClass declares the default StorageClass: gp3 volumes encrypted
// with the platform's data key, bound where the pod lands, expandable.
// Its reclaim policy is the spec's: Retain keeps a released volume so a
// deleted claim loses no data.
func (b *builder) storageClass() error {
	reclaim := b.args.StorageReclaimPolicy
	var sc provider.Resource
	err := provider.KubernetesObject(b.ctx, typetoken.StorageClass, b.name+"-storageclass-gp3", pulumi.Map{
		"metadata": pulumi.Map{
			"name":        pulumi.String(StorageClassName),
			"annotations": pulumi.StringMap{"storageclass.kubernetes.io/is-default-class": pulumi.String("true")},
		},
		"provisioner": pulumi.String(EBSProvisioner),
		"parameters": pulumi.StringMap{
			"type":      pulumi.String("gp3"),
			"encrypted": pulumi.String("true"),
			"kmsKeyId":  b.args.DataKeyArn,
			"fsType":    pulumi.String("ext4"),
		},
		"volumeBindingMode":    pulumi.String("WaitForFirstConsumer"),
		"allowVolumeExpansion": pulumi.Bool(true),
		"reclaimPolicy":        pulumi.String(reclaim),
	}, &sc, b.with()...)
	if err != nil {
		return fmt.Errorf("declaring storage class %s: %w", StorageClassName, err)
	}
	b.storage = &sc
	return nil
}
