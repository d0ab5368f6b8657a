package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// The providers' generated Go SDKs are their schemas in Go: each resource's
// args struct and nested types carry the schema's property names as pulumi
// tags. The program registers by type token with property names of its own
// spelling; these tests read the SDK sources at the versions the program
// asks for (go.mod pins the SDK modules for the tests) and check every
// input key of every resource the program declares against them.

// sdkModules are the SDK modules by provider package, with the plugin
// version the program registers with.
var sdkModules = map[string]struct{ module, version, root string }{
	"aws":        {"github.com/pulumi/pulumi-aws/sdk/v6", provider.AWSVersion, "go/aws"},
	"kubernetes": {"github.com/pulumi/pulumi-kubernetes/sdk/v4", provider.KubernetesVersion, "go/kubernetes"},
}

// schema reads struct types out of SDK package directories.
type schema struct {
	mu      sync.Mutex
	modDirs map[string]string
	pkgs    map[string]*sdkPackage
}

// sdkPackage is one parsed SDK package: its struct types and, per file,
// its imports.
type sdkPackage struct {
	dir     string
	structs map[string]*ast.StructType
	imports map[string]map[string]string // struct name -> import name -> path
	files   map[string]string            // struct name -> file
	tokens  map[string]string            // registered type token -> file
}

func newSchema(t *testing.T) *schema {
	t.Helper()
	s := &schema{modDirs: map[string]string{}, pkgs: map[string]*sdkPackage{}}
	for pkg, m := range sdkModules {
		mod := downloadModule(t, m.module)
		if mod.Version != "v"+m.version {
			t.Fatalf("go.mod pins %s %s, the program registers %s resources as %s", m.module, mod.Version, pkg, m.version)
		}
		s.modDirs[m.module] = mod.Dir
	}
	return s
}

// downloadModule asks the go command for module at the version go.mod
// requires, downloading it (checked against go.sum) when the module cache
// lacks it, as a build would: the tests need no cache prepared by hand.
// go.mod keeps requiring the SDKs because sdks.go imports them.
func downloadModule(t *testing.T, module string) struct{ Version, Dir string } {
	t.Helper()
	var mod struct{ Version, Dir, Error string }
	out, err := exec.Command("go", "mod", "download", "-json", module).Output()
	if jerr := json.Unmarshal(out, &mod); jerr != nil || err != nil || mod.Error != "" || mod.Dir == "" {
		t.Fatalf("go mod download -json %s: %v %s\n%s", module, err, mod.Error, out)
	}
	return struct{ Version, Dir string }{mod.Version, mod.Dir}
}

// TestSDKModulesAreNeeded: go.mod requires the SDK modules the schema
// tests read because a package imports them (sdks.go), not by a line that
// go mod tidy would drop, after which the tests would find them only in a
// module cache filled before.
func TestSDKModulesAreNeeded(t *testing.T) {
	for _, m := range sdkModules {
		out, err := exec.Command("go", "mod", "why", "-m", m.module).CombinedOutput()
		if err != nil {
			t.Fatalf("go mod why -m %s: %v\n%s", m.module, err, out)
		}
		if strings.Contains(string(out), "does not need module") {
			t.Errorf("nothing in the module imports %s:\n%s", m.module, out)
		}
	}
}

// dirOf maps an import path of an SDK module to its directory.
func (s *schema) dirOf(importPath string) (string, bool) {
	for mod, dir := range s.modDirs {
		if importPath == mod || strings.HasPrefix(importPath, mod+"/") {
			return filepath.Join(dir, strings.TrimPrefix(importPath, mod)), true
		}
	}
	return "", false
}

func (s *schema) pkg(dir string) (*sdkPackage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.pkgs[dir]; ok {
		return p, nil
	}
	p := &sdkPackage{dir: dir, structs: map[string]*ast.StructType{}, imports: map[string]map[string]string{},
		files: map[string]string{}, tokens: map[string]string{}}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return nil, err
		}
		imports := map[string]string{}
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			name := filepath.Base(ip)
			if im.Name != nil {
				name = im.Name.Name
			}
			imports[name] = ip
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.TypeSpec:
				if st, ok := n.Type.(*ast.StructType); ok {
					p.structs[n.Name.Name], p.imports[n.Name.Name], p.files[n.Name.Name] = st, imports, path
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "RegisterResource" && len(n.Args) > 0 {
					if lit, ok := n.Args[0].(*ast.BasicLit); ok {
						tok, _ := strconv.Unquote(lit.Value)
						p.tokens[tok] = path
					}
				}
			}
			return true
		})
	}
	s.pkgs[dir] = p
	return p, nil
}

// argsOf finds the args struct of a registered type token: the
// unexported *Args struct of the file whose constructor registers it.
func (s *schema) argsOf(tok string) (*sdkPackage, string, error) {
	parts := strings.Split(tok, ":")
	if len(parts) != 3 {
		return nil, "", fmt.Errorf("type token %q", tok)
	}
	pkgName, module := parts[0], parts[1]
	if pkgName == "pulumi" && module == "providers" {
		pkgName, module = parts[2], "index"
	}
	m, ok := sdkModules[pkgName]
	if !ok {
		return nil, "", fmt.Errorf("%s: no SDK for package %s", tok, pkgName)
	}
	rel := m.root
	if module != "index" {
		group, version, _ := strings.Cut(module, "/")
		group = strings.TrimSuffix(strings.TrimSuffix(group, ".k8s.io"), ".sh")
		if pkgName == "aws" {
			rel = filepath.Join(rel, group)
		} else {
			rel = filepath.Join(rel, group, version)
		}
	}
	dir, _ := s.dirOf(m.module + "/" + rel)
	p, err := s.pkg(dir)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", tok, err)
	}
	file, ok := p.tokens[tok]
	if !ok {
		return nil, "", fmt.Errorf("%s: no constructor registers it in %s", tok, dir)
	}
	for name, f := range p.files {
		if f == file && strings.HasSuffix(name, "Args") && name[0] >= 'a' && name[0] <= 'z' {
			return p, name, nil
		}
	}
	return nil, "", fmt.Errorf("%s: no args struct in %s", tok, file)
}

// check reports every key of value that the type expr (in package p, in
// the file of struct owner) does not have, under path.
func (s *schema) check(p *sdkPackage, owner string, expr ast.Expr, value any, path string, errs *[]string) {
	switch e := expr.(type) {
	case *ast.StarExpr:
		s.check(p, owner, e.X, value, path, errs)
	case *ast.ArrayType:
		if list, ok := value.([]any); ok {
			for i, v := range list {
				s.check(p, owner, e.Elt, v, fmt.Sprintf("%s[%d]", path, i), errs)
			}
		}
	case *ast.Ident:
		if st, ok := p.structs[e.Name]; ok {
			s.checkStruct(p, e.Name, st, value, path, errs)
		}
	case *ast.SelectorExpr:
		pkgIdent, _ := e.X.(*ast.Ident)
		ip := p.imports[owner][pkgIdent.Name]
		dir, ok := s.dirOf(ip)
		if !ok {
			return
		}
		q, err := s.pkg(dir)
		if err != nil {
			*errs = append(*errs, fmt.Sprintf("%s: %v", path, err))
			return
		}
		if st, ok := q.structs[e.Sel.Name]; ok {
			s.checkStruct(q, e.Sel.Name, st, value, path, errs)
		}
	}
	// Maps and interface{} take any key.
}

func (s *schema) checkStruct(p *sdkPackage, name string, st *ast.StructType, value any, path string, errs *[]string) {
	obj, ok := value.(map[string]any)
	if !ok {
		return // a secret or an unknown value in the plan document
	}
	fields := map[string]ast.Expr{}
	for _, f := range st.Fields.List {
		if f.Tag == nil {
			continue
		}
		tag, _ := strconv.Unquote(f.Tag.Value)
		wire, _, _ := strings.Cut(reflect.StructTag(tag).Get("pulumi"), ",")
		if wire != "" {
			fields[wire] = f.Type
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t, ok := fields[k]
		if !ok {
			*errs = append(*errs, fmt.Sprintf("%s.%s: no such property of %s", path, k, name))
			continue
		}
		s.check(p, name, t, obj[k], path+"."+k, errs)
	}
}

// checkInputs checks one resource's inputs against its type's schema.
func (s *schema) checkInputs(tok string, inputs map[string]any) []string {
	p, args, err := s.argsOf(tok)
	if err != nil {
		return []string{err.Error()}
	}
	var errs []string
	s.checkStruct(p, args, p.structs[args], inputs, tok, &errs)
	return errs
}

// customResources are the custom resources the program declares, whose
// schema is their CRD (karpenter-crd), not a type of the SDK.
var customResources = map[string]bool{typetoken.NodePool: true, typetoken.EC2NodeClass: true}

// TestEveryInputIsAPropertyOfItsType evaluates dev, prod and a prod
// variant with the optional parts on (bastion, assume-role, endpoint
// access, HTTPS) and checks every input of every resource of the aws and
// kubernetes packages, nested objects included, against the SDK's types.
func TestEveryInputIsAPropertyOfItsType(t *testing.T) {
	s := newSchema(t)
	variant := []string{
		"ingress.certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
		"bastion.enabled=true", "aws.assumeRoleArn=arn:aws:iam::123456789012:role/deployer", "aws.assumeRoleExternalId=x",
		"aws.profile=p", "clusterEndpointPrivateAccessCidrs=[10.9.0.0/16]", "clusterEndpointPrivateAccessSecurityGroups=[sg-0123456789abcdef0]",
	}
	seen := map[string]bool{}
	for _, c := range []struct {
		stack string
		sets  []string
	}{{"dev", nil}, {"prod", nil}, {"prod", variant}} {
		g, err := stacktest.Source(c.stack, c.sets...).Evaluate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range g.Graph.Resources {
			if !r.Custom || !(strings.HasPrefix(r.Type, "aws:") || strings.HasPrefix(r.Type, "kubernetes:") || strings.HasPrefix(r.Type, "pulumi:providers:")) {
				continue
			}
			if customResources[r.Type] {
				// No SDK type: the CRD is the schema (internal/testing/apiserver admits them).
				continue
			}
			seen[r.Type] = true
			for _, e := range s.checkInputs(r.Type, r.Inputs) {
				t.Errorf("%s %s: %s", c.stack, r.Name, e)
			}
		}
	}
	if len(seen) < 40 {
		t.Errorf("only %d types checked", len(seen))
	}
}

// TestSchemaCheckCatchesAWrongName: a misspelt property, top-level or
// nested, in an AWS or a Kubernetes type, is reported.
func TestSchemaCheckCatchesAWrongName(t *testing.T) {
	s := newSchema(t)
	for _, tc := range []struct {
		tok    string
		inputs map[string]any
		want   string
	}{
		{"aws:ec2/vpc:Vpc", map[string]any{"cidrBlock": "10.0.0.0/16", "enableDnsHostname": true}, "enableDnsHostname"},
		{"aws:eks/cluster:Cluster", map[string]any{"vpcConfig": map[string]any{"subnetId": []any{"a"}}}, "vpcConfig.subnetId"},
		{"kubernetes:core/v1:Namespace", map[string]any{"metadata": map[string]any{"label": map[string]any{}}}, "metadata.label"},
		{"kubernetes:batch/v1:Job", map[string]any{"spec": map[string]any{"template": map[string]any{"spec": map[string]any{
			"containers": []any{map[string]any{"name": "x", "securitycontext": map[string]any{}}}}}}}, "containers[0].securitycontext"},
		{"pulumi:providers:aws", map[string]any{"regionName": "eu-west-1"}, "regionName"},
	} {
		errs := s.checkInputs(tc.tok, tc.inputs)
		if len(errs) != 1 || !strings.Contains(errs[0], tc.want) {
			t.Errorf("%s: %v, want one error naming %s", tc.tok, errs, tc.want)
		}
	}
	if errs := s.checkInputs("aws:ec2/vpc:Vpc", map[string]any{"cidrBlock": "10.0.0.0/16", "tags": map[string]any{"Any": "x"}}); len(errs) != 0 {
		t.Errorf("right names reported: %v", errs)
	}
}
