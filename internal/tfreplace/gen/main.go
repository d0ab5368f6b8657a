// Command gen writes internal/tfreplace/replaces.json: the replacing
// attribute paths of every resource third_party/terraform-provider-aws
// (sources.json) records, read from the upstream files at the commits it
// names, in the Pulumi names of tools/fake-aws-provider/schema.json.
//
// The upstream files are not in this repository (see that README): -src
// (default $TFAWS_SRC) is a directory laid out as the upstream repository
// holding each listed file at its commit and names/attr_constants.csv; a
// "recorded" entry (a schema read by hand, its replacing attributes listed
// in sources.json) needs no file.
// Run it from internal/tfreplace (go generate ./internal/tfreplace), or
// with -check to compare instead of writing.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/mlops-platform/mlops-platform/internal/tfreplace/extract"
)

// The manifest, the schema and the output, relative to internal/tfreplace.
const (
	manifestDir  = "../../third_party/terraform-provider-aws"
	pulumiSchema = "../../tools/fake-aws-provider/schema.json"
	output       = "replaces.json"
)

func main() {
	src := flag.String("src", os.Getenv("TFAWS_SRC"), "directory of the upstream files sources.json names, laid out as the upstream repository")
	check := flag.Bool("check", false, "compare with the committed replaces.json instead of writing it")
	flag.Parse()
	if err := run(*src, *check); err != nil {
		fmt.Fprintln(os.Stderr, "tfreplace/gen:", err)
		os.Exit(1)
	}
}

func run(src string, check bool) error {
	if src == "" {
		return errors.New("no -src (or TFAWS_SRC): the upstream files are not committed; read them at the commits " + manifestDir + "/sources.json names into a directory laid out as the upstream repository (see its README)")
	}
	b, err := extract.Generate(manifestDir, src, pulumiSchema)
	if err != nil {
		return err
	}
	if !check {
		return os.WriteFile(output, b, 0o644)
	}
	old, err := os.ReadFile(output)
	if err != nil {
		return err
	}
	if !bytes.Equal(old, b) {
		return fmt.Errorf("%s differs from the extraction of %s", output, src)
	}
	return nil
}
