// Package sdk holds the trimmed, typed copies of the pinned Pulumi
// provider SDKs the program is written with: aws/… for
// github.com/pulumi/pulumi-aws/sdk/v6 and kubernetes/… for
// github.com/pulumi/pulumi-kubernetes/sdk/v4. They keep only the
// resources and functions sdk.list names and what those need; the
// generator is tools/sdkgen.
package sdk

//go:generate go run ../../tools/sdkgen -list sdk.list -out .
