package extract

import (
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// Attr is one Terraform attribute or nested block of a resource schema,
// with what the provider's source says about replacing it.
type Attr struct {
	Name string
	// ForceNew: a change replaces the resource (SDKv2 ForceNew: true, a
	// framework RequiresReplace() plan modifier).
	ForceNew bool
	// Conditional: a change may replace it, decided by provider code at plan
	// time (RequiresReplaceIf, customdiff.ForceNewIf*, ResourceDiff.ForceNew).
	Conditional bool
	// Reason says where a conditional replacement comes from.
	Reason string
	// Computed: the provider fills it in when the configuration leaves it
	// unset, so removing it from the inputs keeps the prior value.
	Computed bool
	Children []*Attr
}

// knownCalls are schema helpers whose attribute the excerpt cannot show;
// none of them forces a new resource except those mapped to true.
var knownCalls = map[string]bool{
	"tftags.TagsSchema":                             false,
	"tftags.TagsSchemaComputed":                     false,
	"tftags.TagsSchemaForceNew":                     true,
	"tftags.TagsAttribute":                          false,
	"tftags.TagsAttributeComputedOnly":              false,
	"framework.IDAttribute":                         false,
	"framework.ARNAttributeComputedOnly":            false,
	"framework.IDAttributeDeprecatedNoReplacement":  false,
	"sdkv2.IAMPolicyDocumentSchemaOptionalComputed": false,
	"sdkv2.IAMPolicyDocumentSchemaRequired":         false,
	// Both built by jsonDocumentSchemaOptionalFunc (upstream
	// internal/sdkv2/schema.go): Optional, no ForceNew; the ForceNew
	// variant is JSONDocumentSchemaOptionalForceNew.
	"sdkv2.JSONDocumentSchemaOptional":          false,
	"sdkv2.JSONDocumentWithEmptySchemaOptional": false,
	// The plugin framework's timeouts block (terraform-plugin-framework-
	// timeouts): create/update/delete durations, no plan modifier.
	"timeouts.Block": false,
}

// constNames maps the tail of a names.AttrXxx constant to its attribute
// name, from the upstream names/attr_constants.csv (ReadConstNames).
var constNames = map[string]string{}

// ReadConstNames loads names/attr_constants.csv under dir: lines of
// "attribute_name,ConstantTail".
func ReadConstNames(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "names", "attr_constants.csv"))
	if err != nil {
		return fmt.Errorf("names: %w", err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		attr, tail, ok := strings.Cut(line, ",")
		if !ok {
			return fmt.Errorf("names/attr_constants.csv: line %q is not attribute,Constant", line)
		}
		m[tail] = attr
	}
	constNames = m
	return nil
}

// keyName returns the Terraform attribute name of a schema map key: a
// string literal, or a names.AttrXxx constant (the upstream
// attr_constants.csv, else attrConstName).
func keyName(e ast.Expr) (string, error) {
	switch k := e.(type) {
	case *ast.BasicLit:
		if k.Kind == token.STRING {
			return strconv.Unquote(k.Value)
		}
	case *ast.SelectorExpr:
		if x, ok := k.X.(*ast.Ident); ok && x.Name == "names" && strings.HasPrefix(k.Sel.Name, "Attr") {
			tail := strings.TrimPrefix(k.Sel.Name, "Attr")
			if n, ok := constNames[tail]; ok {
				return n, nil
			}
			return attrConstName(tail), nil
		}
	}
	return "", fmt.Errorf("schema key %s is neither a string literal nor a names.Attr constant", exprString(e))
}

// attrConstName turns the tail of a names.AttrXxx constant into the
// attribute name it stands for: words split at case changes, an acronym
// kept whole (with its plural "s"), joined by "_" in lower case:
// RoleARN → role_arn, SubnetIDs → subnet_ids, VPCConfig → vpc_config,
// IPv6CIDRBlock → ipv6_cidr_block. The names package is not vendored; a
// name this rule gets wrong does not map to a Pulumi property, and the
// generator fails on it.
func attrConstName(s string) string {
	s = strings.NewReplacer("IPv4", "Ipv4", "IPv6", "Ipv6").Replace(s)
	r := []rune(s)
	var words []string
	start := 0
	for i := 1; i <= len(r); i++ {
		if i < len(r) && !boundary(r, i) {
			continue
		}
		words = append(words, strings.ToLower(string(r[start:i])))
		start = i
	}
	return strings.Join(words, "_")
}

// boundary reports whether a new word starts at r[i].
func boundary(r []rune, i int) bool {
	prev, cur := r[i-1], r[i]
	switch {
	case unicode.IsUpper(cur) && unicode.IsLower(prev):
		return true
	case unicode.IsUpper(cur) && unicode.IsDigit(prev):
		return true
	case unicode.IsUpper(cur) && unicode.IsUpper(prev) && i+1 < len(r) && unicode.IsLower(r[i+1]):
		// "VPCConfig": the C of Config starts a word, but an acronym's
		// plural s ("IDs", "ARNs") does not.
		return !(r[i+1] == 's' && (i+2 == len(r) || unicode.IsUpper(r[i+2])))
	}
	return false
}

func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.CallExpr:
		return exprString(x.Fun) + "()"
	case *ast.IndexExpr:
		return exprString(x.X) + "[" + exprString(x.Index) + "]"
	case *ast.StarExpr:
		return "*" + exprString(x.X)
	case *ast.UnaryExpr:
		return x.Op.String() + exprString(x.X)
	case *ast.BasicLit:
		return x.Value
	}
	return fmt.Sprintf("%T", e)
}

// isTrue reports whether e is the identifier true.
func isTrue(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "true"
}

// fields returns the keyed fields of a composite literal by key name.
func fields(lit *ast.CompositeLit) map[string]ast.Expr {
	out := map[string]ast.Expr{}
	for _, el := range lit.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				out[id.Name] = kv.Value
			}
		}
	}
	return out
}

// unwrapLit returns the composite literal e is, or points to.
func unwrapLit(e ast.Expr) (*ast.CompositeLit, bool) {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	lit, ok := e.(*ast.CompositeLit)
	return lit, ok
}

// typeName is the selector a composite literal's type names, e.g.
// "schema.Resource" or "schema.StringAttribute".
func typeName(lit *ast.CompositeLit) string {
	if lit.Type == nil {
		return ""
	}
	return exprString(lit.Type)
}

// find returns the attribute at a Terraform path of names, skipping list
// indices ("compute_config.0.node_role_arn").
func find(attrs []*Attr, path string) *Attr {
	var cur *Attr
	for _, part := range strings.Split(path, ".") {
		if _, err := strconv.Atoi(part); err == nil {
			continue
		}
		cur = nil
		for _, a := range attrs {
			if a.Name == part {
				cur = a
			}
		}
		if cur == nil {
			return nil
		}
		attrs = cur.Children
	}
	return cur
}
