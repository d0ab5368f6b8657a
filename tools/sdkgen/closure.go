package main

import (
	"fmt"
	"go/ast"
	"strconv"
	"strings"
	"unicode"
)

// trimmer takes the closure of the declarations the wanted tokens need,
// across the packages of the SDKs.
type trimmer struct {
	sdks []*sdk
	pkgs map[string]*sourcePkg // by SDK import path
	kept map[string]map[string]bool
	work []ref
	// tokens are the wanted resources' and invokes' type tokens.
	tokens map[string]bool
}

// ref names one top-level declaration of one package.
type ref struct{ pkg, name string }

// pkg parses (once) the SDK package with the import path.
func (t *trimmer) pkg(path string) (*sourcePkg, error) {
	if p, ok := t.pkgs[path]; ok {
		return p, nil
	}
	for _, s := range t.sdks {
		if rel, ok := strings.CutPrefix(path, s.Module+"/"); ok {
			p, err := parsePkg(s, rel)
			if err != nil {
				return nil, err
			}
			t.pkgs[path] = p
			t.kept[path] = map[string]bool{}
			return p, nil
		}
	}
	return nil, nil
}

// want adds the declarations that register or invoke the token: the
// functions whose body names it and registers a resource or invokes a
// function directly (NewVpc for aws:ec2/vpc:Vpc, LookupRole for
// aws:iam/getRole:getRole). The program does neither read existing
// resources nor invoke functions with outputs as arguments, so GetVpc
// (ReadResource, with its VpcState) and LookupRoleOutput (InvokeOutput,
// with its LookupRoleResultOutput) are left out with all they alone need.
func (t *trimmer) want(tok string) error {
	s, rel, err := t.locateToken(tok)
	if err != nil {
		return err
	}
	p, err := t.pkg(s.Module + "/" + rel)
	if err != nil {
		return err
	}
	lit := strconv.Quote(tok)
	found := false
	for name, nodes := range p.decls {
		for _, n := range nodes {
			if fd, ok := n.(*ast.FuncDecl); ok && mentions(fd, lit) && callsAny(fd, rootCalls) {
				t.add(p.importPath(), name)
				found = true
			}
		}
	}
	if !found {
		return fmt.Errorf("%s: %s %s declares no resource or function of that type token", tok, s.Module, s.Version)
	}
	t.tokens[tok] = true
	if p.decls["module"] != nil {
		t.add(p.importPath(), "module")
	}
	if p.decls["pkg"] != nil {
		t.add(p.importPath(), "pkg")
	}
	return nil
}

// locateToken finds the SDK package of a type token:
// aws:ec2/vpc:Vpc is go/aws/ec2, aws:index/… and pulumi:providers:aws are
// go/aws, kubernetes:networking.k8s.io/v1:Ingress is
// go/kubernetes/networking/v1.
func (t *trimmer) locateToken(tok string) (*sdk, string, error) {
	parts := strings.Split(tok, ":")
	if len(parts) != 3 {
		return nil, "", fmt.Errorf("%q is no type token", tok)
	}
	name, mod := parts[0], parts[1]
	if name == "pulumi" && mod == "providers" {
		name, mod = parts[2], "index"
	}
	for _, s := range t.sdks {
		if !strings.HasSuffix(s.Root, "/"+name) {
			continue
		}
		if name == "kubernetes" {
			group, version, ok := strings.Cut(mod, "/")
			if ok {
				group = strings.TrimSuffix(strings.TrimSuffix(group, ".k8s.io"), ".sh")
				group = strings.Split(group, ".")[0]
				return s, s.Root + "/" + group + "/" + version, nil
			}
			return s, s.Root, nil
		}
		mod, _, _ = strings.Cut(mod, "/")
		if mod == "index" {
			return s, s.Root, nil
		}
		return s, s.Root + "/" + mod, nil
	}
	return nil, "", fmt.Errorf("%q names no provider SDK sdkgen knows", tok)
}

// add queues a declaration.
func (t *trimmer) add(pkg, name string) {
	if !t.kept[pkg][name] {
		t.kept[pkg][name] = true
		t.work = append(t.work, ref{pkg, name})
	}
}

// close follows every queued declaration's references until none is new.
func (t *trimmer) close() error {
	for len(t.work) > 0 {
		r := t.work[len(t.work)-1]
		t.work = t.work[:len(t.work)-1]
		p := t.pkgs[r.pkg]
		for _, n := range p.decls[r.name] {
			if err := t.follow(p, n); err != nil {
				return err
			}
		}
		for _, m := range p.methods[r.name] {
			if m.Name.Name == "Construct" || m.Name.Name == "ConstructProvider" {
				pruneConstruct(m, t.tokens)
			}
			if err := t.follow(p, m); err != nil {
				return err
			}
		}
		t.companions(p, r.name)
	}
	return nil
}

// closeInits keeps what the kept init statements need of other packages
// (internal.PkgVersion for a module's registration), until nothing is new.
func (t *trimmer) closeInits() error {
	for {
		if err := t.close(); err != nil {
			return err
		}
		for ip, p := range t.pkgs {
			if len(t.kept[ip]) == 0 {
				continue
			}
			for _, f := range p.files {
				for _, d := range f.Decls {
					if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "init" {
						if err := t.followInit(p, fd); err != nil {
							return err
						}
					}
				}
			}
		}
		if len(t.work) == 0 {
			return nil
		}
	}
}

// followInit follows the init statements that name only kept declarations
// of their own package.
func (t *trimmer) followInit(p *sourcePkg, fd *ast.FuncDecl) error {
	for _, s := range fd.Body.List {
		if t.allKept(p, s) {
			if err := t.follow(p, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// companions keeps what implements an input interface: FooInput is
// implemented by FooArgs (or *Foo), FooPtrInput by fooPtrType (made by
// FooPtr), FooArrayInput by FooArray, FooMapInput by FooMap.
func (t *trimmer) companions(p *sourcePkg, name string) {
	base, ok := strings.CutSuffix(name, "Input")
	if !ok || base == "" {
		return
	}
	for _, c := range []string{base, base + "Args", lowerFirst(base) + "Type"} {
		if p.decls[c] != nil {
			t.add(p.importPath(), c)
		}
	}
}

func lowerFirst(s string) string {
	r := []rune(s)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// follow queues every top-level declaration a node refers to: names of its
// own package, and pkg.Name of the SDKs' other packages.
func (t *trimmer) follow(p *sourcePkg, n ast.Node) error {
	imports := fileImports(p, n)
	var err error
	ast.Inspect(n, func(x ast.Node) bool {
		if err != nil {
			return false
		}
		switch x := x.(type) {
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				if path, ok := imports[id.Name]; ok {
					var q *sourcePkg
					if q, err = t.pkg(path); q != nil && q.decls[x.Sel.Name] != nil {
						t.add(path, x.Sel.Name)
					}
					return false
				}
			}
			ast.Inspect(x.X, func(y ast.Node) bool { return t.local(p, y) })
			return false
		default:
			return t.local(p, x)
		}
	})
	return err
}

// local queues an identifier of the package's own scope.
func (t *trimmer) local(p *sourcePkg, x ast.Node) bool {
	if id, ok := x.(*ast.Ident); ok && p.decls[id.Name] != nil {
		t.add(p.importPath(), id.Name)
	}
	return true
}

// fileImports maps the import names of the file holding n to their paths.
func fileImports(p *sourcePkg, n ast.Node) map[string]string {
	for _, f := range p.files {
		if f.Pos() <= n.Pos() && n.End() <= f.End() {
			m := map[string]string{}
			for _, im := range f.Imports {
				path, _ := strconv.Unquote(im.Path.Value)
				name := path[strings.LastIndex(path, "/")+1:]
				if im.Name != nil {
					name = im.Name.Name
				}
				m[name] = path
			}
			return m
		}
	}
	return nil
}
