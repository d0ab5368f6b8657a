package extract

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
)

// annotation is the provider's registration comment naming the resource
// a function or type defines.
var annotation = regexp.MustCompile(`@(SDK|Framework)Resource\("([a-z0-9_]+)"`)

// parseExcerpt parses an upstream file, whole or an excerpt of its
// top-level declarations without the package clause and imports, and
// checks that it registers the resource the manifest names: by its
// annotation, or, for a file older than the annotations, by defining the
// constructor the manifest names (Source.Function).
func parseExcerpt(src []byte, s Source) (*ast.File, error) {
	f, err := parseSource(s.Path, src)
	if err != nil {
		return nil, err
	}
	for _, m := range annotation.FindAllSubmatch(src, -1) {
		if string(m[2]) == s.Resource {
			return f, nil
		}
	}
	if s.Function != "" {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == s.Function {
				return f, nil
			}
		}
		return nil, fmt.Errorf("the file defines no function %s, which the manifest says registers %s", s.Function, s.Resource)
	}
	return nil, fmt.Errorf("no @SDKResource or @FrameworkResource annotation names %s", s.Resource)
}

// parseSource parses an upstream file, giving an excerpt of its
// declarations a package clause.
func parseSource(name string, src []byte) (*ast.File, error) {
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments)
	if err != nil {
		f, err = parser.ParseFile(token.NewFileSet(), name, append([]byte("package upstream\n"), src...), parser.ParseComments)
	}
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	return f, nil
}

// vars maps the file's top-level variables and constants to their
// values, for schemas kept in a package variable (Schema: topicSchema)
// and attribute names kept in a constant (routeDestinationCIDRBlock:
// {...}, aws_route).
func vars(f *ast.File) map[string]ast.Expr {
	out := map[string]ast.Expr{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || (g.Tok != token.VAR && g.Tok != token.CONST) {
			continue
		}
		for _, sp := range g.Specs {
			vs := sp.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if i < len(vs.Values) {
					out[n.Name] = vs.Values[i]
				}
			}
		}
	}
	return out
}

// sdkResource extracts the attributes of the SDKv2 resource the excerpt
// defines: the Schema of its outermost schema.Resource literal, then the
// ForceNew calls of its CustomizeDiff. pkg holds the declarations of
// the excerpt's package (packageVars).
func sdkResource(f *ast.File, pkg map[string]ast.Expr) ([]*Attr, error) {
	var top *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok && top == nil && typeName(lit) == "schema.Resource" {
			if schemaField(lit) != nil {
				top = lit
				return false
			}
		}
		return top == nil
	})
	if top == nil {
		return nil, fmt.Errorf("no schema.Resource literal with a Schema")
	}
	attrs, err := sdkSchemaValue(schemaField(top), withPackage(vars(f), pkg))
	if err != nil {
		return nil, err
	}
	if cd, ok := fields(top)["CustomizeDiff"]; ok {
		if err := customizeDiff(cd, attrs); err != nil {
			return nil, err
		}
	}
	return attrs, nil
}

// schemaField is a schema.Resource's Schema, or its SchemaFunc.
func schemaField(lit *ast.CompositeLit) ast.Expr {
	fs := fields(lit)
	if e, ok := fs["Schema"]; ok {
		return e
	}
	if e, ok := fs["SchemaFunc"]; ok {
		return &ast.CallExpr{Fun: e}
	}
	return nil
}

// sdkSchemaValue reads a Schema value: a map literal, a package variable
// holding one, or a function literal returning one.
func sdkSchemaValue(e ast.Expr, vs map[string]ast.Expr) ([]*Attr, error) {
	switch x := e.(type) {
	case *ast.Ident:
		if v, ok := vs[x.Name]; ok {
			return sdkSchemaValue(v, vs)
		}
	case *ast.CallExpr:
		if fl, ok := x.Fun.(*ast.FuncLit); ok {
			var ret ast.Expr
			ast.Inspect(fl.Body, func(n ast.Node) bool {
				if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) == 1 && ret == nil {
					ret = r.Results[0]
				}
				return ret == nil
			})
			if ret != nil {
				return sdkSchemaValue(ret, vs)
			}
		}
	case *ast.CompositeLit:
		return sdkSchemaMap(x, vs)
	}
	return nil, fmt.Errorf("schema %s: not a map literal the extractor can read", exprString(e))
}

func sdkSchemaMap(lit *ast.CompositeLit, vs map[string]ast.Expr) ([]*Attr, error) {
	var out []*Attr
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return nil, fmt.Errorf("schema map element %s is not key: value", exprString(el))
		}
		name, err := keyName(resolve(kv.Key, vs))
		if err != nil {
			return nil, err
		}
		a, err := sdkAttr(name, kv.Value, vs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func sdkAttr(name string, e ast.Expr, vs map[string]ast.Expr) (*Attr, error) {
	a := &Attr{Name: name}
	e = resolve(e, vs)
	if call, ok := e.(*ast.CallExpr); ok {
		forceNew, known := knownCalls[exprString(call.Fun)]
		if !known {
			return nil, fmt.Errorf("schema from %s, which the excerpt does not show", exprString(call))
		}
		a.ForceNew = forceNew
		return a, nil
	}
	lit, ok := unwrapLit(e)
	if !ok {
		return nil, fmt.Errorf("schema %s is not a literal", exprString(e))
	}
	fs := fields(lit)
	a.ForceNew = isTrue(fs["ForceNew"])
	a.Computed = isTrue(fs["Computed"])
	if elem, ok := fs["Elem"]; ok {
		if el, ok := unwrapLit(resolve(elem, vs)); ok && typeName(el) == "schema.Resource" {
			children, err := sdkSchemaValue(schemaField(el), vs)
			if err != nil {
				return nil, err
			}
			a.Children = children
		}
	}
	return a, nil
}

// resolve follows an identifier naming a package variable to its value
// (an attribute or Elem kept in a variable, "egress":
// securityGroupRuleSetNestedBlock), a bounded number of times so a cycle
// cannot loop; anything else is returned as it is.
func resolve(e ast.Expr, vs map[string]ast.Expr) ast.Expr {
	for range 8 {
		id, ok := e.(*ast.Ident)
		if !ok {
			return e
		}
		v, ok := vs[id.Name]
		if !ok {
			return e
		}
		e = v
	}
	return e
}

// customizeDiff marks the attributes a CustomizeDiff may replace:
// customdiff.ForceNewIf*(name, ...) and ResourceDiff.ForceNew(path)
// calls written inline. Functions it names are not in the excerpt.
func customizeDiff(e ast.Expr, attrs []*Attr) error {
	var err error
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 || err != nil {
			return err == nil
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		var reason string
		switch sel.Sel.Name {
		case "ForceNewIfChange", "ForceNewIf", "ForceNewIfChangeInt":
			reason = "CustomizeDiff customdiff." + sel.Sel.Name
		case "ForceNew":
			reason = "CustomizeDiff ResourceDiff.ForceNew"
		default:
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		path, _ := strconv.Unquote(lit.Value)
		a := find(attrs, path)
		if a == nil {
			err = fmt.Errorf("%s names %q, which the schema does not have", reason, path)
			return false
		}
		if !a.ForceNew {
			a.Conditional, a.Reason = true, reason
		}
		return true
	})
	return err
}
