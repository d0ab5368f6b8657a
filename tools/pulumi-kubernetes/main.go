// Command pulumi-resource-kubernetes is the upstream Pulumi Kubernetes
// provider (github.com/pulumi/pulumi-kubernetes/provider/v4), built with the
// schema and Terraform mapping its release process embeds. Run
// `go run ./embed` first: it writes those two files, stamped with VERSION.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
