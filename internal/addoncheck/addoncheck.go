// Package addoncheck checks, before a deploy, that EKS offers every add-on
// pin for the cluster's Kubernetes minor: DescribeAddonVersions with
// kubernetesVersion set (IAM action eks:DescribeAddonVersions) lists the
// builds compatible with that minor, as the EKS user guide's "Verify Amazon
// EKS add-on version compatibility with a cluster" does with
// `aws eks describe-addon-versions --kubernetes-version`. A pin not listed
// would fail CreateAddon mid-deploy, after the cluster exists.
package addoncheck

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
)

// API is the part of the EKS client the check calls.
type API interface {
	DescribeAddonVersions(ctx context.Context, in *eks.DescribeAddonVersionsInput, opts ...func(*eks.Options)) (*eks.DescribeAddonVersionsOutput, error)
}

// Check returns an error naming every add-on of pins (name to version)
// whose version EKS does not list for minor, with the versions it lists,
// or nil.
func Check(ctx context.Context, api API, minor string, pins map[string]string) error {
	var refused []string
	for _, name := range sortedNames(pins) {
		available, err := Available(ctx, api, minor, name)
		if err != nil {
			return err
		}
		if slices.Contains(available, pins[name]) {
			continue
		}
		offer := "none"
		if len(available) > 0 {
			offer = strings.Join(available, ", ")
		}
		refused = append(refused, fmt.Sprintf("%s %s (EKS offers for %s: %s)", name, pins[name], minor, offer))
	}
	if len(refused) > 0 {
		return fmt.Errorf("add-on pins EKS does not offer for Kubernetes %s: %s (the pins are this release's, in internal/spec/versions.go; choose another kubernetesVersion or a release whose pins EKS offers)",
			minor, strings.Join(refused, "; "))
	}
	return nil
}

// Available lists the versions of addon EKS offers for minor, following
// every page.
func Available(ctx context.Context, api API, minor, addon string) ([]string, error) {
	var out []string
	p := eks.NewDescribeAddonVersionsPaginator(api, &eks.DescribeAddonVersionsInput{
		AddonName: aws.String(addon), KubernetesVersion: aws.String(minor),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("add-on preflight: listing the versions of %s for Kubernetes %s: %w", addon, minor, err)
		}
		for _, a := range page.Addons {
			if aws.ToString(a.AddonName) != addon {
				continue
			}
			for _, v := range a.AddonVersions {
				out = append(out, aws.ToString(v.AddonVersion))
			}
		}
	}
	return out, nil
}

func sortedNames(pins map[string]string) []string {
	names := make([]string, 0, len(pins))
	for n := range pins {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
