// Package provider registers resources and invokes with the Pulumi
// resource providers (aws, kubernetes) by type token, with inputs named as
// the provider's schema names them, adding what the SDKs' constructors
// add: the plugin version, and the secret marking of the inputs the schema
// calls secret (Secret, in the callers).
//
// The program registers through the trimmed typed SDK (internal/sdk);
// this package serves what has no SDK type there (Karpenter's NodePool
// and EC2NodeClass custom resources) and the tests' small programs.
package provider

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Plugin versions the program's resources and invokes ask the engine for:
// the versions of the provider SDKs go.mod pins (a test compares them).
const (
	AWSVersion        = "6.83.4"
	KubernetesVersion = "4.32.0"
)

// Resource is a registered resource whose outputs the program does not
// read beyond its ID and URN.
type Resource struct {
	pulumi.CustomResourceState
}

// Named is a registered aws resource whose ARN and name the program reads
// (an IAM role, a log group, an instance profile).
type Named struct {
	pulumi.CustomResourceState
	Arn  pulumi.StringOutput `pulumi:"arn"`
	Name pulumi.StringOutput `pulumi:"name"`
}

// Provider is a registered provider resource (pulumi:providers:<name>),
// for the pulumi.Provider option of the resources it manages.
type Provider struct {
	pulumi.ProviderResourceState
}

// AWS registers an aws resource of type token with inputs (wire names) into
// state, a struct embedding pulumi.CustomResourceState whose output fields
// carry pulumi tags.
func AWS(ctx *pulumi.Context, token, name string, inputs pulumi.Map, state pulumi.CustomResource, opts ...pulumi.ResourceOption) error {
	return register(ctx, AWSVersion, token, name, inputs, state, opts)
}

// Kubernetes registers a kubernetes resource that is no API object (a Helm
// release) as AWS does an aws one.
func Kubernetes(ctx *pulumi.Context, token, name string, inputs pulumi.Map, state pulumi.CustomResource, opts ...pulumi.ResourceOption) error {
	return register(ctx, KubernetesVersion, token, name, inputs, state, opts)
}

// KubernetesObject registers a Kubernetes API object, with the apiVersion
// and kind its type token names ("kubernetes:networking.k8s.io/v1:Ingress"
// is networking.k8s.io/v1, Ingress; the core group is plain "v1"), as the
// SDK's constructors set them.
func KubernetesObject(ctx *pulumi.Context, token, name string, inputs pulumi.Map, state pulumi.CustomResource, opts ...pulumi.ResourceOption) error {
	apiVersion, kind, err := objectType(token)
	if err != nil {
		return err
	}
	all := pulumi.Map{"apiVersion": pulumi.String(apiVersion), "kind": pulumi.String(kind)}
	for k, v := range inputs {
		all[k] = v
	}
	return register(ctx, KubernetesVersion, token, name, all, state, opts)
}

// objectType reads an API object's apiVersion and kind off its type token.
func objectType(token string) (apiVersion, kind string, err error) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 || parts[0] != "kubernetes" || !strings.Contains(parts[1], "/") {
		return "", "", fmt.Errorf("%q is not the type token of a Kubernetes API object", token)
	}
	apiVersion = strings.TrimPrefix(parts[1], "core/")
	return apiVersion, parts[2], nil
}

func register(ctx *pulumi.Context, version, token, name string, inputs pulumi.Map, state pulumi.CustomResource, opts []pulumi.ResourceOption) error {
	if inputs == nil {
		inputs = pulumi.Map{}
	}
	all := append([]pulumi.ResourceOption{pulumi.Version(version)}, opts...)
	if err := ctx.RegisterResource(token, name, inputs, state, all...); err != nil {
		return fmt.Errorf("registering %s %s: %w", token, name, err)
	}
	return nil
}

// InvokeAWS calls an aws function (token) with args, a struct whose fields
// carry the schema's names as pulumi tags, into result, the same for the
// outputs read.
func InvokeAWS(ctx *pulumi.Context, token string, args, result any, opts ...pulumi.InvokeOption) error {
	all := append([]pulumi.InvokeOption{pulumi.Version(AWSVersion)}, opts...)
	return ctx.Invoke(token, args, result, all...)
}

// Secret marks an input secret, as the SDKs do for the inputs their schema
// calls secret (a DB password, a Secret's data, a provider's keys).
func Secret(in pulumi.Input) pulumi.Input {
	return pulumi.ToSecret(in)
}

// StringAt reads the string at a path of map keys (string) and list
// indexes (int) in an object output, such as a cluster's
// identities[0].oidcs[0].issuer; "" where the path leads nowhere, as the
// SDKs' Elem() of an absent value.
func StringAt(o pulumi.AnyOutput, path ...any) pulumi.StringOutput {
	return o.ApplyT(func(v any) string {
		for _, step := range path {
			switch key := step.(type) {
			case string:
				m, _ := v.(map[string]any)
				v = m[key]
			case int:
				l, _ := v.([]any)
				if key >= len(l) {
					return ""
				}
				v = l[key]
			}
		}
		s, _ := v.(string)
		return s
	}).(pulumi.StringOutput)
}
