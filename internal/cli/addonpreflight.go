package cli

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/mlops-platform/mlops-platform/internal/addoncheck"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// checkAddons is the deploy preflight of the add-on pins:
// DescribeAddonVersions (eks:DescribeAddonVersions) for the stack's
// Kubernetes minor must list every pin of spec.AddonVersions, before any
// engine runs; a pin it does not list would fail CreateAddon after the
// cluster exists.
func checkAddons(ctx context.Context, env Env, sp *spec.Spec) error {
	pins := spec.AddonVersions[sp.KubernetesVersion]
	if len(pins) == 0 {
		return nil // validation already refused a minor without pins
	}
	cfg, err := env.stackAWSConfig(ctx, sp)
	if err != nil {
		return fmt.Errorf("add-on preflight: %w", err)
	}
	if err := addoncheck.Check(ctx, eks.NewFromConfig(cfg), sp.KubernetesVersion, pins); err != nil {
		return err
	}
	fmt.Fprintf(env.Err, "add-ons: EKS offers all %d pins for Kubernetes %s\n", len(pins), sp.KubernetesVersion)
	return nil
}
