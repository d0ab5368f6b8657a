package extract

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"

	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
	tfsrc "github.com/mlops-platform/mlops-platform/internal/tfreplace/extract"
)

// registrationKeys maps the fields of an SDKv2 schema.Resource that
// register a CRUD function to the step they serve.
var registrationKeys = map[string]string{
	"Create": tfcalls.Create, "CreateContext": tfcalls.Create, "CreateWithoutTimeout": tfcalls.Create,
	"Read": tfcalls.Read, "ReadContext": tfcalls.Read, "ReadWithoutTimeout": tfcalls.Read,
	"Update": tfcalls.Update, "UpdateContext": tfcalls.Update, "UpdateWithoutTimeout": tfcalls.Update,
	"Delete": tfcalls.Delete, "DeleteContext": tfcalls.Delete, "DeleteWithoutTimeout": tfcalls.Delete,
}

// tagsAnnotation is the provider's transparent-tagging annotation.
var tagsAnnotation = regexp.MustCompile(`@Tags\(identifierAttribute="[^"]*"(?:, resourceType="([^"]*)")?\)`)

// Registration is what a vendored schema excerpt registers: the function
// of each step, and whether (and as which resource type) the provider's
// tagging interceptor manages its tags.
type Registration struct {
	Steps        map[string]string
	Tags         bool
	ResourceType string
}

// Register reads the registration of source s from its excerpt under dir.
func Register(dir string, s tfsrc.Source) (Registration, error) {
	r := Registration{Steps: map[string]string{}}
	path := tfsrc.ExcerptPath(dir, s)
	src, err := os.ReadFile(path)
	if err != nil {
		return r, fmt.Errorf("excerpt of %s: %w", s.Token, err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), path, append([]byte("package upstream\n"), src...), parser.ParseComments)
	if err != nil {
		return r, fmt.Errorf("parse %s: %w", path, err)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		kv, ok := n.(*ast.KeyValueExpr)
		if !ok {
			return true
		}
		key, ok := kv.Key.(*ast.Ident)
		if !ok {
			return true
		}
		if step, ok := registrationKeys[key.Name]; ok {
			if v, ok := kv.Value.(*ast.Ident); ok {
				r.Steps[step] = v.Name
			}
		}
		return true
	})
	if r.Steps[tfcalls.Create] == "" || r.Steps[tfcalls.Read] == "" || r.Steps[tfcalls.Delete] == "" {
		return r, fmt.Errorf("%s: the excerpt registers no create, read and delete functions (%v)", path, r.Steps)
	}
	if m := tagsAnnotation.FindSubmatch(src); m != nil {
		r.Tags, r.ResourceType = true, string(m[1])
	}
	return r, nil
}
