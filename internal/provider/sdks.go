//go:build tools

// This file is never built (the tools tag is never set). It records that
// the module depends on the providers' generated Go SDKs at the pinned
// versions, so that go mod tidy keeps them in go.mod and go.sum: their
// sources are the schemas internal/provider's schema tests read (go mod
// download fetches them into a clean module cache), while the program
// itself registers by type token and links neither.

package provider

import (
	_ "github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	_ "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes"
)
