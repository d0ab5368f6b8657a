// Package extract reads, from Terraform AWS provider source files at the
// commits third_party/terraform-provider-aws/sources.json names (kept out
// of the repository: see its README), which attribute changes force a
// new resource: ForceNew in SDKv2 schemas, RequiresReplace plan modifiers
// in plugin-framework schemas, and the ForceNew calls of a resource's
// inline CustomizeDiff (conditional). It converts each attribute path to
// the pinned Pulumi schema's property names and fails on a name it cannot
// map, so a file of another provider version shows up as an
// error rather than as a wrong table.
package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mlops-platform/mlops-platform/internal/output"
)

// Source is one recorded resource: the Pulumi token the program registers,
// the Terraform resource it bridges, and the upstream file and commit its
// replace rules were read from (see third_party/terraform-provider-aws/README.md).
type Source struct {
	Token    string `json:"token"`
	Resource string `json:"resource"`
	Path     string `json:"path"`
	Commit   string `json:"commit"`
	Release  string `json:"release"`
	// Kind is "sdkv2" or "framework" (the extraction parses the upstream
	// file), or "recorded": the file's schema was read by hand, too long to
	// hold as a file here, and Replaces records what it marks.
	Kind string `json:"kind"`
	// Function is set for an excerpt older than the provider's
	// @SDKResource annotations: the constructor that the provider's
	// resource map (internal/provider/provider.go) registers Resource
	// under, which the excerpt must define.
	Function string `json:"function,omitempty"`
	// NotInPinned are the Terraform attributes (dotted paths) of the
	// vendored file that the pinned Pulumi schema does not have: added
	// upstream after the release pulumi-aws 6.83.4 wraps. They are left
	// out of the table; an entry the extraction does not need fails it.
	NotInPinned []string `json:"notInPinned,omitempty"`
	// Replaces, for a "recorded" source only, are the attributes the
	// upstream file's schema marks ForceNew, as Terraform names them.
	Replaces []RecordedAttr `json:"replaces,omitempty"`
}

// RecordedAttr is one replacing attribute of a "recorded" source: its
// dotted Terraform path ("ebs_block_device.device_name", a nested block's
// attribute without list indices), whether the schema also marks it
// Computed (Optional+Computed: leaving it unset keeps the prior value),
// and, for one the provider replaces only when its code decides so at
// plan time, where that decision is (Conditional, e.g. "CustomizeDiff
// customdiff.ForceNewIf"); without it the attribute is ForceNew.
type RecordedAttr struct {
	Attribute   string `json:"attribute"`
	Computed    bool   `json:"computed,omitempty"`
	Conditional string `json:"conditional,omitempty"`
}

// Manifest is third_party/terraform-provider-aws/sources.json.
type Manifest struct {
	Repository string   `json:"repository"`
	Sources    []Source `json:"sources"`
}

// ReadManifest reads sources.json under dir.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, "sources.json"))
	if err != nil {
		return m, fmt.Errorf("manifest: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("manifest %s: %w", filepath.Join(dir, "sources.json"), err)
	}
	return m, nil
}

// SourcePath is where the upstream file of a source is under src, a
// directory laid out as the upstream repository.
func SourcePath(src string, s Source) string {
	return filepath.Join(src, filepath.FromSlash(s.Path))
}

// Generate returns the table's JSON text, extracted from the upstream
// files under src that the manifest under manifestDir names, in the names
// of the Pulumi schema at schema.
func Generate(manifestDir, src, schema string) ([]byte, error) {
	ps, err := ReadPulumiSchema(schema)
	if err != nil {
		return nil, err
	}
	t, err := Table(manifestDir, src, ps)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := output.WriteJSON(&b, t); err != nil {
		return nil, fmt.Errorf("table: %w", err)
	}
	return b.Bytes(), nil
}
