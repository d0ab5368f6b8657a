package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// sdkPackage is one parsed SDK package: its struct and named types, and
// its functions.
type sdkPackage struct {
	structs map[string]*ast.StructType
	named   map[string]ast.Expr // type X <expr> that is not a struct
	funcs   map[string]*ast.FuncDecl
}

func loadPackage(dir string) (*sdkPackage, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	p := &sdkPackage{structs: map[string]*ast.StructType{}, named: map[string]ast.Expr{}, funcs: map[string]*ast.FuncDecl{}}
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					p.funcs[d.Name.Name] = d
				}
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					ts, ok := sp.(*ast.TypeSpec)
					if !ok {
						continue
					}
					if st, ok := ts.Type.(*ast.StructType); ok {
						p.structs[ts.Name.Name] = st
					} else {
						p.named[ts.Name.Name] = ts.Type
					}
				}
			}
		}
	}
	return p, nil
}

// resourceType reads a resource's inputs: aws:<module>/<file>:<Type> is
// in go/aws/<module>/<file>.go (go/aws itself for index).
func resourceType(root string, pkgs map[string]*sdkPackage, tok string) (*Type, error) {
	mod, rest, _ := strings.Cut(strings.TrimPrefix(tok, "aws:"), "/")
	_, name, _ := strings.Cut(rest, ":")
	dir := filepath.Join(root, "go", "aws", mod)
	if mod == "index" {
		dir = filepath.Join(root, "go", "aws")
	}
	p := pkgs[dir]
	if p == nil {
		var err error
		if p, err = loadPackage(dir); err != nil {
			return nil, err
		}
		pkgs[dir] = p
	}
	plain := p.structs[strings.ToLower(name[:1])+name[1:]+"Args"]
	if plain == nil {
		return nil, fmt.Errorf("no plain args struct in %s", dir)
	}
	t := p.object(plain, 0)
	t.Required = nil
	required, err := p.requiredArgs(name)
	if err != nil {
		return nil, err
	}
	for _, f := range plain.Fields.List {
		if tag := pulumiTag(f); tag != "" && required[f.Names[0].Name] {
			t.Required = append(t.Required, tag)
		}
	}
	sort.Strings(t.Required)
	return t, nil
}

// requiredArgs returns the args fields New<name> refuses when nil.
func (p *sdkPackage) requiredArgs(name string) (map[string]bool, error) {
	fn := p.funcs["New"+name]
	if fn == nil {
		return nil, fmt.Errorf("no New%s", name)
	}
	out := map[string]bool{}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		ifs, ok := n.(*ast.IfStmt)
		if !ok {
			return true
		}
		cond, ok := ifs.Cond.(*ast.BinaryExpr)
		if !ok || cond.Op != token.EQL {
			return true
		}
		sel, ok := cond.X.(*ast.SelectorExpr)
		if nilID, isID := cond.Y.(*ast.Ident); ok && isID && nilID.Name == "nil" && refuses(ifs.Body) {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "args" {
				out[sel.Sel.Name] = true
			}
		}
		return true
	})
	return out, nil
}

// refuses reports whether a block returns the SDK's "invalid value for
// required argument" error (other nil checks set defaults).
func refuses(b *ast.BlockStmt) bool {
	found := false
	ast.Inspect(b, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && strings.Contains(lit.Value, "required argument") {
			found = true
		}
		return !found
	})
	return found
}

func pulumiTag(f *ast.Field) string {
	if f.Tag == nil || len(f.Names) != 1 {
		return ""
	}
	s, err := strconv.Unquote(f.Tag.Value)
	if err != nil {
		return ""
	}
	return reflect.StructTag(s).Get("pulumi")
}

// object reads a plain struct: a field is required when its type is a
// value, not a pointer, slice, map or interface.
func (p *sdkPackage) object(st *ast.StructType, depth int) *Type {
	t := &Type{Type: "object", Properties: map[string]*Type{}}
	for _, f := range st.Fields.List {
		tag := pulumiTag(f)
		if tag == "" {
			continue
		}
		t.Properties[tag] = p.valueType(f.Type, depth+1)
		if _, ptr := f.Type.(*ast.StarExpr); !ptr {
			if k := t.Properties[tag].Type; k != "array" && k != "map" && k != "any" {
				t.Required = append(t.Required, tag)
			}
		}
	}
	sort.Strings(t.Required)
	return t
}

func (p *sdkPackage) valueType(e ast.Expr, depth int) *Type {
	switch e := e.(type) {
	case *ast.StarExpr:
		return p.valueType(e.X, depth)
	case *ast.ArrayType:
		return &Type{Type: "array", Items: p.valueType(e.Elt, depth)}
	case *ast.MapType:
		return &Type{Type: "map", Items: p.valueType(e.Value, depth)}
	case *ast.Ident:
		switch e.Name {
		case "string":
			return &Type{Type: "string"}
		case "int", "int64":
			return &Type{Type: "integer"}
		case "float64":
			return &Type{Type: "number"}
		case "bool":
			return &Type{Type: "boolean"}
		}
		if st, ok := p.structs[e.Name]; ok && depth < 8 {
			return p.object(st, depth)
		}
		if x, ok := p.named[e.Name]; ok {
			return p.valueType(x, depth)
		}
	}
	return &Type{Type: "any"}
}
