// Package extract builds internal/tfcalls/ops.json: for each resource
// whose call graph third_party/terraform-provider-aws/calls records, the
// AWS API operations the provider makes in each lifecycle step. It starts
// from the CRUD functions each resource registers (recorded with the call
// graph), follows the recorded calls between the package's functions,
// adds the provider's transparent-tagging interceptor for resources
// annotated @Tags, and maps each operation to its IAM action, checked
// against the vendored Service Authorization Reference.
package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
)

// CallsFile is one calls/<package>.json: the recorded call graph of one
// provider service package.
type CallsFile struct {
	// Package is the provider's service package (internal/service/<name>).
	Package   string          `json:"package"`
	Resources []ResourceEntry `json:"resources"`
	Tagging   []Tagging       `json:"tagging,omitempty"`
	Functions []Function      `json:"functions"`
}

// ResourceEntry is a resource whose operations are derived: the function
// each step starts from (what the resource's schema.Resource registers as
// Create, CreateWithoutTimeout, CreateContext, …), and whether its
// @Tags(identifierAttribute=…, resourceType=…) annotation hands its tags
// to the provider's tagging interceptor.
type ResourceEntry struct {
	Token  string `json:"token"`
	Create string `json:"create"`
	Read   string `json:"read"`
	Update string `json:"update,omitempty"`
	Delete string `json:"delete,omitempty"`
	// DeleteNoop records a resource whose schema.Resource registers
	// schema.NoopContext as its delete (aws_default_security_group): the
	// delete only forgets the resource and makes no calls.
	DeleteNoop       bool   `json:"deleteNoop,omitempty"`
	Tags             bool   `json:"tags,omitempty"`
	TagsResourceType string `json:"tagsResourceType,omitempty"`
	// ReadSetsTags records that the resource's read function hands the tags
	// its describe call returned to the interceptor (setTagsOut), so the
	// interceptor lists no tags after create, read or update.
	ReadSetsTags bool `json:"readSetsTags,omitempty"`
}

// Tagging names the package's functions the transparent-tagging
// interceptor calls for a resource type (the @Tags resourceType, "" when
// the annotation names none): Update when tags change, List to read them.
type Tagging struct {
	ResourceType string `json:"resourceType,omitempty"`
	Update       string `json:"update"`
	List         string `json:"list"`
}

// Function is one upstream function (or a method, named
// Receiver.Method) and the calls it makes, in source order: an SDK client
// method (Client and Method, as called) or another function of the
// package (Function).
type Function struct {
	Name   string `json:"function"`
	Path   string `json:"path"`
	Commit string `json:"commit,omitempty"`
	// Found says how a version the index names no commit for was found.
	Found string `json:"found,omitempty"`
	Calls []Step `json:"calls"`
}

// Step is one call a function makes, with the condition (When) the source
// makes it under.
type Step struct {
	Client   string `json:"client,omitempty"`
	Method   string `json:"method,omitempty"`
	Function string `json:"function,omitempty"`
	When     string `json:"when,omitempty"`
}

var commitPattern = regexp.MustCompile(`^[0-9a-f]{40}$`)

// namePattern is a recorded function's name: a package function
// ("resourceRoleCreate"), or a method as Receiver.Method, the type named
// without its pointer ("securityGroupRuleResource.Create": the plugin
// framework's resources register methods, not functions).
var namePattern = regexp.MustCompile(`^(?:[A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$`)

// File is where the function was read: the upstream path, with "@" and
// the commit when known.
func (f Function) File() string {
	if f.Commit == "" {
		return f.Path
	}
	return f.Path + "@" + f.Commit
}

// ReadCalls reads every calls/*.json under dir and checks each entry's
// shape.
func ReadCalls(dir string) ([]CallsFile, error) {
	names, err := filepath.Glob(filepath.Join(dir, "calls", "*.json"))
	if err != nil {
		return nil, fmt.Errorf("listing calls: %w", err)
	}
	sort.Strings(names)
	var out []CallsFile
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("calls: %w", err)
		}
		var cf CallsFile
		if err := json.Unmarshal(b, &cf); err != nil {
			return nil, fmt.Errorf("calls %s: %w", name, err)
		}
		if err := cf.check(); err != nil {
			return nil, fmt.Errorf("calls %s: %w", name, err)
		}
		out = append(out, cf)
	}
	return out, nil
}

func (cf CallsFile) check() error {
	seen := map[string]bool{}
	for _, f := range cf.Functions {
		switch {
		case !namePattern.MatchString(f.Name):
			return fmt.Errorf("function %q is neither a name nor Receiver.Method", f.Name)
		case seen[f.Name]:
			return fmt.Errorf("function %s recorded twice", f.Name)
		case f.Commit != "" && !commitPattern.MatchString(f.Commit):
			return fmt.Errorf("function %s: commit %q is not 40 hex digits", f.Name, f.Commit)
		case f.Commit == "" && f.Found == "":
			return fmt.Errorf("function %s: neither a commit nor how it was found", f.Name)
		}
		seen[f.Name] = true
		for _, s := range f.Calls {
			if (s.Function == "") == (s.Method == "") || (s.Method != "") != (s.Client != "") {
				return fmt.Errorf("function %s: a call names either a function or a client and method: %+v", f.Name, s)
			}
		}
	}
	return nil
}
