// Command gen writes internal/tfreplace/replaces.json: the replacing
// attribute paths of every resource vendored under
// third_party/terraform-provider-aws (sources.json), in the Pulumi names
// of tools/fake-aws-provider/schema.json. Run it from internal/tfreplace
// (go generate ./internal/tfreplace).
package main

import (
	"fmt"
	"os"

	"github.com/mlops-platform/mlops-platform/internal/tfreplace/extract"
)

// The inputs and the output, relative to internal/tfreplace.
const (
	vendorDir    = "../../third_party/terraform-provider-aws"
	pulumiSchema = "../../tools/fake-aws-provider/schema.json"
	output       = "replaces.json"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tfreplace/gen:", err)
		os.Exit(1)
	}
}

func run() error {
	b, err := extract.Generate(vendorDir, pulumiSchema)
	if err != nil {
		return err
	}
	return os.WriteFile(output, b, 0o644)
}
