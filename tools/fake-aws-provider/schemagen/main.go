// Command schemagen writes schema.json, the part of pulumi-aws's schema
// the fake provider's Check validates against: for each aws resource type
// the platform program registers (internal/typetoken; and testTokens),
// its required inputs
// and each input's value type, nested object types included.
//
// pulumi-aws's generated Go SDK is its schema in Go, and go.mod already
// pins it, so the table is read from the SDK at the pinned version (the
// schema.json of the pulumi-aws repository is too large to vendor): the
// resource's New<Type> function names the required inputs ("invalid value
// for required argument"), its plain args struct (<type>Args, lower case)
// gives each input's wire name (pulumi tag) and Go type, and the nested
// types' plain structs the same for objects, a non-pointer scalar field
// being required.
//
// Usage, from tools/fake-aws-provider: go run ./schemagen (it runs
// go mod download for the SDK).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// sdkModule is the SDK read, at the version the main module pins.
const sdkModule = "github.com/pulumi/pulumi-aws/sdk/v6@v6.83.4"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}

func run() error {
	out, err := exec.Command("go", "mod", "download", "-json", sdkModule).Output()
	if err != nil {
		return fmt.Errorf("go mod download %s: %w", sdkModule, err)
	}
	var mod struct{ Dir, Sum string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return fmt.Errorf("go mod download %s: %s", sdkModule, out)
	}
	tokens, err := programTokens("../../internal/typetoken")
	if err != nil {
		return err
	}
	s := Schema{Source: sdkModule + " " + mod.Sum + " (go/aws)", Resources: map[string]*Type{}}
	pkgs := map[string]*sdkPackage{}
	for _, tok := range tokens {
		t, err := resourceType(mod.Dir, pkgs, tok)
		if err != nil {
			return fmt.Errorf("%s: %w", tok, err)
		}
		s.Resources[tok] = t
	}
	b, err := json.MarshalIndent(s, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile("schema.json", append(b, '\n'), 0o644)
}

// Schema is the generated table (see the fake provider's schema.go).
type Schema struct {
	Source    string           `json:"source"`
	Resources map[string]*Type `json:"resources"`
}

// Type is a value type: string, integer, number, boolean, any, array
// (Items), map (Items) or object (Properties, Required).
type Type struct {
	Type       string           `json:"type"`
	Items      *Type            `json:"items,omitempty"`
	Properties map[string]*Type `json:"properties,omitempty"`
	Required   []string         `json:"required,omitempty"`
}

// testTokens are the types tests register beyond the program's: the
// real-engine diff test's SSM parameter, and the egress rule
// internal/awsrules has a rule for.
var testTokens = []string{"aws:ssm/parameter:Parameter", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"}

var resourceToken = regexp.MustCompile(`"(aws:[a-z0-9]+/[a-zA-Z0-9]+:[A-Z][a-zA-Z0-9]*)"`)

// programTokens returns the aws resource type tokens (not invokes) the
// program registers, as internal/typetoken spells them.
func programTokens(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var b []byte
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		b = append(b, src...)
	}
	seen := map[string]bool{}
	for _, t := range testTokens {
		seen[t] = true
	}
	for _, m := range resourceToken.FindAllStringSubmatch(string(b), -1) {
		seen[m[1]] = true
	}
	var out []string
	for t := range seen {
		out = append(out, t)
	}
	sort.Strings(out)
	return out, nil
}
