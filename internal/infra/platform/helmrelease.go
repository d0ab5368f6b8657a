package platform

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// helmReleaseArgs are the inputs of a kubernetes:helm.sh/v3:Release the
// platform sets.
type helmReleaseArgs struct {
	Name           pulumi.StringInput
	Chart          pulumi.StringInput
	Version        pulumi.StringInput
	Namespace      pulumi.StringInput
	RepositoryOpts pulumi.MapInput
	Values         pulumi.MapInput
	SkipAwait      pulumi.BoolInput
	Atomic         pulumi.BoolInput
	Timeout        pulumi.IntInput
}

// newHelmRelease registers a release as the SDK's helm/v3 NewRelease does:
// the inputs named as the provider's schema names them, and compat "true",
// which that constructor always sends.
func newHelmRelease(ctx *pulumi.Context, name string, args helmReleaseArgs, opts ...pulumi.ResourceOption) (pulumi.Resource, error) {
	inputs := pulumi.Map{"compat": pulumi.String("true")}
	for key, in := range map[string]pulumi.Input{
		"name": args.Name, "chart": args.Chart, "version": args.Version, "namespace": args.Namespace,
		"repositoryOpts": args.RepositoryOpts, "values": args.Values,
		"skipAwait": args.SkipAwait, "atomic": args.Atomic, "timeout": args.Timeout,
	} {
		if in != nil {
			inputs[key] = in
		}
	}
	var res provider.Resource
	if err := provider.Kubernetes(ctx, typetoken.HelmRelease, name, inputs, &res, opts...); err != nil {
		return nil, err
	}
	return &res, nil
}
