// Command embed writes the files the provider embeds, as upstream's
// cmd/pulumi-resource-kubernetes/generate.go does: the module's schema.json
// with its version set to $VERSION, and terraform-mapping.json compacted.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const module = "github.com/pulumi/pulumi-kubernetes/provider/v4"

func main() {
	if err := run(os.Getenv("VERSION")); err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
}

func run(version string) error {
	if version == "" {
		return fmt.Errorf("VERSION is not set")
	}
	// The module, not the package: go list refuses a package whose embed
	// patterns match nothing, which is the case until this has run.
	if err := exec.Command("go", "mod", "download", module).Run(); err != nil {
		return fmt.Errorf("downloading %s: %w", module, err)
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil {
		return fmt.Errorf("locating %s: %w", module, err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "cmd", "pulumi-resource-kubernetes")
	var schema map[string]any
	if err := readJSON(filepath.Join(dir, "schema.json"), &schema); err != nil {
		return err
	}
	schema["version"] = version
	var mapping any
	if err := readJSON(filepath.Join(dir, "terraform-mapping.json"), &mapping); err != nil {
		return err
	}
	if err := writeJSON("schema-embed.json", schema); err != nil {
		return err
	}
	return writeJSON("terraform-mapping-embed.json", mapping)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decoding %s: %w", path, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return os.WriteFile(path, b, 0o600)
}
