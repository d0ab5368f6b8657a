// Command gen writes internal/tfcalls/ops.json: the AWS API operations and
// IAM actions of each lifecycle step of every resource whose call graph
// third_party/terraform-provider-aws/calls records, with the inputs (in
// the names of tools/fake-aws-provider/schema.json) each call needs set. Run it from
// internal/tfcalls (go generate ./internal/tfcalls).
package main

import (
	"fmt"
	"os"

	"github.com/mlops-platform/mlops-platform/internal/tfcalls/extract"
)

// The input and the output, relative to internal/tfcalls.
const (
	recordsDir   = "../../third_party/terraform-provider-aws"
	pulumiSchema = "../../tools/fake-aws-provider/schema.json"
	output       = "ops.json"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tfcalls/gen:", err)
		os.Exit(1)
	}
}

func run() error {
	b, err := extract.Generate(recordsDir, pulumiSchema)
	if err != nil {
		return err
	}
	if err := os.WriteFile(output, b, 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", output, err)
	}
	return nil
}
