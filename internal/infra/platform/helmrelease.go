package platform

import (
	"reflect"

	"github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/utilities"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// helmReleaseType is the Kubernetes provider's Helm release resource.
const helmReleaseType = "kubernetes:helm.sh/v3:Release"

// helmRelease is a kubernetes:helm.sh/v3:Release registered with only the
// inputs the platform sets. The SDK's helm/v3 package declares the same
// resource, but it imports the SDK's yaml package and through it every
// Kubernetes API group (about 60 packages the program never uses), which
// made up a large part of the CLI binary.
type helmRelease struct {
	pulumi.CustomResourceState
}

// helmReleaseArgs are the inputs, named as the provider's schema names
// them (the SDK's helm/v3 ReleaseArgs).
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
	// Compat is what the SDK's NewRelease always sends ("true").
	Compat pulumi.StringInput
}

// helmReleaseInputs is the plain shape of helmReleaseArgs, whose pulumi
// tags name the wire properties.
type helmReleaseInputs struct {
	Name           *string        `pulumi:"name"`
	Chart          string         `pulumi:"chart"`
	Version        *string        `pulumi:"version"`
	Namespace      *string        `pulumi:"namespace"`
	RepositoryOpts map[string]any `pulumi:"repositoryOpts"`
	Values         map[string]any `pulumi:"values"`
	SkipAwait      *bool          `pulumi:"skipAwait"`
	Atomic         *bool          `pulumi:"atomic"`
	Timeout        *int           `pulumi:"timeout"`
	Compat         *string        `pulumi:"compat"`
}

// ElementType makes helmReleaseArgs the Input of helmReleaseInputs.
func (helmReleaseArgs) ElementType() reflect.Type {
	return reflect.TypeOf((*helmReleaseInputs)(nil)).Elem()
}

// newHelmRelease registers a release as the SDK's helm/v3 NewRelease does
// (compat "true", the provider package's default options).
func newHelmRelease(ctx *pulumi.Context, name string, args helmReleaseArgs, opts ...pulumi.ResourceOption) (*helmRelease, error) {
	args.Compat = pulumi.String("true")
	var res helmRelease
	if err := ctx.RegisterResource(helmReleaseType, name, args, &res, utilities.PkgResourceDefaultOpts(opts)...); err != nil {
		return nil, err
	}
	return &res, nil
}
