package extract

import (
	"fmt"
	"go/ast"
	"strings"
)

// frameworkResource extracts the attributes of a plugin-framework
// resource: the outermost schema.Schema literal of the excerpt (its
// Schema method), attributes and blocks alike.
func frameworkResource(f *ast.File) ([]*Attr, error) {
	var top *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok && top == nil && typeName(lit) == "schema.Schema" {
			top = lit
			return false
		}
		return top == nil
	})
	if top == nil {
		return nil, fmt.Errorf("no schema.Schema literal")
	}
	return frameworkObject(top)
}

// frameworkObject reads the Attributes and Blocks of a schema or nested
// object literal.
func frameworkObject(lit *ast.CompositeLit) ([]*Attr, error) {
	var out []*Attr
	fs := fields(lit)
	for _, key := range []string{"Attributes", "Blocks"} {
		m, ok := fs[key]
		if !ok {
			continue
		}
		ml, ok := unwrapLit(m)
		if !ok {
			return nil, fmt.Errorf("%s %s is not a map literal", key, exprString(m))
		}
		for _, el := range ml.Elts {
			kv := el.(*ast.KeyValueExpr)
			name, err := keyName(kv.Key)
			if err != nil {
				return nil, err
			}
			a, err := frameworkAttr(name, kv.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			out = append(out, a)
		}
	}
	return out, nil
}

func frameworkAttr(name string, e ast.Expr) (*Attr, error) {
	a := &Attr{Name: name}
	if call, ok := e.(*ast.CallExpr); ok {
		forceNew, known := knownCalls[exprString(call.Fun)]
		if !known {
			return nil, fmt.Errorf("attribute from %s, which the excerpt does not show", exprString(call))
		}
		a.ForceNew = forceNew
		return a, nil
	}
	lit, ok := unwrapLit(e)
	if !ok {
		return nil, fmt.Errorf("attribute %s is not a literal", exprString(e))
	}
	fs := fields(lit)
	a.Computed = isTrue(fs["Computed"])
	if pm, ok := fs["PlanModifiers"]; ok {
		planModifiers(pm, a)
	}
	if no, ok := fs["NestedObject"]; ok {
		nl, ok := unwrapLit(no)
		if !ok {
			return nil, fmt.Errorf("NestedObject %s is not a literal", exprString(no))
		}
		children, err := frameworkObject(nl)
		if err != nil {
			return nil, err
		}
		a.Children = children
	} else if _, ok := fs["Attributes"]; ok {
		children, err := frameworkObject(lit) // single nested attribute or block
		if err != nil {
			return nil, err
		}
		a.Children = children
	}
	return a, nil
}

// planModifiers marks RequiresReplace as replacing and the
// RequiresReplaceIf family as conditional.
func planModifiers(e ast.Expr, a *Attr) {
	ast.Inspect(e, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		switch {
		case sel.Sel.Name == "RequiresReplace":
			a.ForceNew = true
		case strings.HasPrefix(sel.Sel.Name, "RequiresReplaceIf") && !a.ForceNew:
			a.Conditional, a.Reason = true, "plan modifier "+exprString(call.Fun)
		}
		return true
	})
}
