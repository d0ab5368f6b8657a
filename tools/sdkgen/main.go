// Command sdkgen writes a trimmed copy of the pinned Pulumi provider SDKs
// (pulumi-aws/sdk/v6, pulumi-kubernetes/sdk/v4) holding only the
// resources and functions a list names and the declarations they need:
// their Args structs, constructors (required inputs, secret marking,
// aliases, the plugin version), outputs, nested types and the input and
// output type registrations of the kept types.
//
// It trims the SDKs' own generated sources, declaration by declaration
// (go/ast), so the copy says what the SDK says; each file names the
// module, version and go.sum hash it came from. Importing the SDKs
// themselves links every type of a module (ec2 alone is 18 MB).
//
// Usage, from the repository root (see internal/sdk/doc.go):
//
//	go run ./tools/sdkgen -list internal/sdk/sdk.list -out internal/sdk [-check]
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// providers are the SDKs sdkgen trims: module, provider package, and the
// folder (below the output root) of the copy.
var providers = []struct{ module, root, dir string }{
	{"github.com/pulumi/pulumi-aws/sdk/v6", "go/aws", "aws"},
	{"github.com/pulumi/pulumi-kubernetes/sdk/v4", "go/kubernetes", "kubernetes"},
}

func main() {
	list := flag.String("list", "internal/sdk/sdk.list", "the type tokens to keep, one a line")
	out := flag.String("out", "internal/sdk", "the folder of the trimmed packages")
	check := flag.Bool("check", false, "report whether -out holds what sdkgen generates, write nothing")
	flag.Parse()
	root, rel, err := findRoot(*list, *out)
	if err == nil {
		err = run(root, rel[0], rel[1], *check)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}

func run(root, list, out string, check bool) error {
	files, err := generate(root, list, out)
	if err != nil {
		return err
	}
	if check {
		if diff := compare(filepath.Join(root, out), files); len(diff) > 0 {
			return fmt.Errorf("%s is not what sdkgen generates (run go generate ./internal/sdk):\n  %s", out, strings.Join(diff, "\n  "))
		}
		return nil
	}
	return write(filepath.Join(root, out), files)
}

// generate returns the trimmed packages' files for the list, by path
// below out.
func generate(root, list, out string) (map[string][]byte, error) {
	tokens, err := readList(filepath.Join(root, list))
	if err != nil {
		return nil, err
	}
	mainModule, err := modulePath(root)
	if err != nil {
		return nil, err
	}
	t := &trimmer{pkgs: map[string]*sourcePkg{}, kept: map[string]map[string]bool{}, tokens: map[string]bool{}}
	for _, p := range providers {
		s, err := locate(root, p.module, p.root, mainModule+"/"+filepath.ToSlash(filepath.Join(out, p.dir)))
		if err != nil {
			return nil, err
		}
		t.sdks = append(t.sdks, s)
	}
	for _, tok := range tokens {
		if err := t.want(tok); err != nil {
			return nil, err
		}
	}
	if err := t.closeInits(); err != nil {
		return nil, err
	}
	return t.emit()
}

// readList reads the type tokens, one a line; # starts a comment.
func readList(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the list: %w", err)
	}
	var tokens []string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.TrimSpace(line); line != "" {
			tokens = append(tokens, line)
		}
	}
	sort.Strings(tokens)
	return tokens, nil
}

// findRoot finds the main module's folder above the working directory
// and the paths relative to it.
func findRoot(paths ...string) (string, []string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", nil, fmt.Errorf("finding the working directory: %w", err)
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", nil, fmt.Errorf("no go.mod above %s", wd)
		}
		root = parent
	}
	var rel []string
	for _, p := range paths {
		r, err := filepath.Rel(root, filepath.Join(wd, p))
		if err != nil {
			return "", nil, fmt.Errorf("locating %s: %w", p, err)
		}
		rel = append(rel, r)
	}
	return root, rel, nil
}

// modulePath reads the main module's path from go.mod.
func modulePath(root string) (string, error) {
	raw, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", fmt.Errorf("reading go.mod: %w", err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if m, ok := strings.CutPrefix(line, "module "); ok {
			return strings.TrimSpace(m), nil
		}
	}
	return "", fmt.Errorf("go.mod names no module")
}
