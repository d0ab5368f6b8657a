package policy

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"
)

// key identifies one control evaluated on one resource.
type key struct{ control, urn string }

// collect turns the value of data.mlops.guardrails into results: a failed
// result per deny entry, a passed one per checked pair without a denial.
func collect(value map[string]any, mods []module) ([]Result, error) {
	sources := map[string]string{}
	var pkgs []ast.Ref
	for _, m := range mods {
		p := m.pkg.String()
		if _, ok := sources[p]; ok {
			continue
		}
		sources[p] = "builtin"
		if m.user {
			sources[p] = m.file
		}
		pkgs = append(pkgs, m.pkg)
	}
	var results []Result
	checked := map[key]string{}
	denied := map[key]bool{}
	for _, pkg := range pkgs {
		node := lookupPath(value, pkg)
		src := sources[pkg.String()]
		for _, raw := range asSlice(node["checked"]) {
			x, err := decodeEntry(raw)
			if err != nil {
				return nil, fmt.Errorf("%s: checked: %w", src, err)
			}
			checked[key{x.Control, x.URN}] = src
		}
		for _, raw := range asSlice(node["deny"]) {
			x, err := decodeEntry(raw)
			if err != nil {
				return nil, fmt.Errorf("%s: deny: %w", src, err)
			}
			res := x.result(src)
			res.Status = Failed
			if res.Needs != "" {
				res.Status = Pending
			}
			denied[key{x.Control, x.URN}] = true
			results = append(results, res)
		}
	}
	for k, src := range checked {
		if denied[k] {
			continue
		}
		res := entry{Control: k.control, URN: k.urn}.result(src)
		res.Status = Passed
		results = append(results, res)
	}
	sortResults(results)
	return results, nil
}

// lookupPath walks data.mlops.guardrails.<rest> down to a package's value.
func lookupPath(root map[string]any, pkg ast.Ref) map[string]any {
	node := root
	// pkg is data.mlops.guardrails.<rest...>; root is data.mlops.guardrails.
	for _, term := range pkg[3:] {
		s, ok := term.Value.(ast.String)
		if !ok {
			return nil
		}
		next, ok := node[string(s)].(map[string]any)
		if !ok {
			return nil
		}
		node = next
	}
	return node
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// entry is one deny or checked object as a policy emits it.
type entry struct {
	Control  string
	URN      string
	Message  string
	Title    string
	IDs      []string
	Severity Severity
	Advisory bool
	Needs    string
}

type rawEntry struct {
	Control  any      `json:"control"`
	URN      string   `json:"urn"`
	Message  string   `json:"message"`
	Title    string   `json:"title"`
	IDs      []string `json:"ids"`
	Severity Severity `json:"severity"`
	Advisory bool     `json:"advisory"`
	Needs    string   `json:"needs"`
}

func decodeEntry(v any) (entry, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return entry{}, fmt.Errorf("encoding result: %w", err)
	}
	var r rawEntry
	if err := json.Unmarshal(raw, &r); err != nil {
		return entry{}, fmt.Errorf("result %s is not an object with control, urn and message: %w", raw, err)
	}
	var id string
	switch c := r.Control.(type) {
	case string:
		id = c
	case float64:
		id = strconv.FormatFloat(c, 'f', -1, 64)
	default:
		return entry{}, fmt.Errorf("result %s: control must be a number or a string", raw)
	}
	if id == "" || r.URN == "" {
		return entry{}, fmt.Errorf("result %s: control and urn must be set", raw)
	}
	return entry{Control: id, URN: r.URN, Message: r.Message, Title: r.Title, IDs: r.IDs, Severity: r.Severity, Advisory: r.Advisory, Needs: r.Needs}, nil
}

// result fills in the control's catalogue entry (or what a user policy
// said about its own control).
func (e entry) result(src string) Result {
	r := Result{Control: e.Control, URN: e.URN, Message: e.Message, Title: e.Title, IDs: e.IDs, Severity: e.Severity, Advisory: e.Advisory, Needs: e.Needs, Source: src}
	if c, ok := lookup(e.Control); ok {
		r.Title, r.IDs, r.Severity = c.Title, c.IDs, c.Severity
	}
	if r.Title == "" {
		r.Title = e.Control
	}
	if r.Severity == "" {
		r.Severity = Medium
	}
	if r.IDs == nil {
		r.IDs = []string{}
	}
	return r
}
