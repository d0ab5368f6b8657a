package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// sdk is one pinned provider SDK module: where its sources are and where
// its trimmed copy goes.
type sdk struct {
	Module  string // github.com/pulumi/pulumi-aws/sdk/v6
	Version string // v6.83.4
	Sum     string // the go.sum hash of the module's content
	Dir     string // its sources in the module cache
	Root    string // the Go package of the provider: go/aws
	Out     string // the import path of the trimmed copy
}

// sourcePkg is one parsed package of an SDK.
type sourcePkg struct {
	sdk   *sdk
	rel   string // path below the module root: go/aws/ec2
	fset  *token.FileSet
	files map[string]*ast.File // by file name
	// decls maps each top-level name to where it is declared; methods are
	// listed under their receiver's type name.
	decls   map[string][]ast.Node
	methods map[string][]*ast.FuncDecl
}

// importPath is the SDK's import path of the package.
func (p *sourcePkg) importPath() string { return p.sdk.Module + "/" + p.rel }

// outPath is the import path of the package's trimmed copy.
func (p *sourcePkg) outPath() string {
	return p.sdk.Out + strings.TrimPrefix(p.rel, p.sdk.Root)
}

// locate finds the module's sources and its go.sum hash with the go
// command, as the module graph of dir (the main module) pins it.
func locate(dir, module, root, out string) (*sdk, error) {
	cmd := exec.Command("go", "mod", "download", "-json", module)
	cmd.Dir = dir
	raw, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go mod download %s: %w", module, err)
	}
	var info struct{ Path, Version, Dir, Sum string }
	if err := json.Unmarshal(raw, &info); err != nil {
		return nil, fmt.Errorf("reading go mod download %s: %w", module, err)
	}
	sum, err := goSum(filepath.Join(dir, "go.sum"), module, info.Version)
	if err != nil {
		return nil, err
	}
	if sum != info.Sum {
		return nil, fmt.Errorf("%s %s: module cache has %s, go.sum %s", module, info.Version, info.Sum, sum)
	}
	return &sdk{Module: module, Version: info.Version, Sum: sum, Dir: info.Dir, Root: root, Out: out}, nil
}

// goSum reads the hash go.sum records for the module's content.
func goSum(path, module, version string) (string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading go.sum: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 3 && f[0] == module && f[1] == version {
			return f[2], nil
		}
	}
	return "", fmt.Errorf("go.sum has no hash for %s %s", module, version)
}

// parsePkg parses the non-test Go files of one SDK package.
func parsePkg(s *sdk, rel string) (*sourcePkg, error) {
	dir := filepath.Join(s.Dir, filepath.FromSlash(rel))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", rel, err)
	}
	p := &sourcePkg{sdk: s, rel: rel, fset: token.NewFileSet(), files: map[string]*ast.File{},
		decls: map[string][]ast.Node{}, methods: map[string][]*ast.FuncDecl{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(p.fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("parsing %s/%s: %w", rel, name, err)
		}
		p.files[name] = f
		p.index(f)
	}
	return p, nil
}

// index records the file's top-level declarations.
func (p *sourcePkg) index(f *ast.File) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				t := recvName(d)
				p.methods[t] = append(p.methods[t], d)
			} else if d.Name.Name != "init" {
				p.decls[d.Name.Name] = append(p.decls[d.Name.Name], d)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					p.decls[s.Name.Name] = append(p.decls[s.Name.Name], s)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						p.decls[n.Name] = append(p.decls[n.Name], s)
					}
				}
			}
		}
	}
}

// recvName is the type name of a method's receiver.
func recvName(d *ast.FuncDecl) string {
	t := d.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// fileNames lists the package's files in order.
func (p *sourcePkg) fileNames() []string {
	names := make([]string, 0, len(p.files))
	for n := range p.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
