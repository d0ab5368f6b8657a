package deployerpolicy

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// ManagedPolicyLimit is IAM's size limit of a customer managed policy, in
// characters without whitespace.
const ManagedPolicyLimit = 6144

// Policy is one managed policy of the deploying role.
type Policy struct {
	Name string `json:"name"`
	// ARN is set for the permissions boundary, whose name and account are
	// fixed: the platform's roles name it.
	ARN      string             `json:"arn,omitempty"`
	Size     int                `json:"size"`
	Document iampolicy.Document `json:"document"`
}

// Result is the deploying role's policy for one stack, split into managed
// policies that each fit the size limit.
type Result struct {
	Stack    string   `json:"stack"`
	Types    []string `json:"types"`
	Limit    int      `json:"limit"`
	Policies []Policy `json:"policies"`
	// Boundary is the permissions boundary every role of the stack carries.
	// An account administrator creates it with the deploying role; the
	// policies deny the role any write to it.
	Boundary *Policy `json:"boundary,omitempty"`
}

// MissingRowsError names the AWS resource types the graph declares that
// Table has no row for.
type MissingRowsError struct{ Types []string }

func (e MissingRowsError) Error() string {
	return "deployer policy: no reviewed row in internal/deployerpolicy/table.go for " + strings.Join(e.Types, ", ")
}

// Build derives the deploying role's policy from g, split into documents
// of at most limit characters.
func Build(g *plan.Graph, limit int) (*Result, error) {
	types, err := graphTypes(g)
	if err != nil {
		return nil, err
	}
	e, err := graphEnv(g)
	if err != nil {
		return nil, err
	}
	res := &Result{Stack: g.Stack, Types: sortedKeys(types), Limit: limit}
	arn, err := graphBoundary(g)
	if err != nil {
		return nil, err
	}
	if arn != "" {
		if res.Boundary, err = boundaryPolicy(g, arn); err != nil {
			return nil, err
		}
	}

	byService := map[string]map[string]bool{}
	add := func(actions []string) {
		for _, a := range actions {
			if scopedAction(a) {
				continue
			}
			svc, _, _ := strings.Cut(a, ":")
			if byService[svc] == nil {
				byService[svc] = map[string]bool{}
			}
			byService[svc][a] = true
		}
	}
	for _, t := range res.Types {
		add(Table[t].All())
	}
	for _, actions := range Invokes {
		add(actions)
	}
	// The day-2 reads (verify's bucket checks among them) stay on "*"; the
	// table's writes scopedAction names are granted by the statements below.
	for _, a := range day2Reads() {
		svc, _, _ := strings.Cut(a, ":")
		if byService[svc] == nil {
			byService[svc] = map[string]bool{}
		}
		byService[svc][a] = true
	}
	var stmts []iampolicy.Statement
	for _, svc := range sortedKeys(byService) {
		stmts = append(stmts, iampolicy.Allow(sid(svc), sortedKeys(byService[svc]), []string{"*"}))
	}
	stmts = append(stmts, serviceStatements(g, e, res.Types)...)
	stmts = append(stmts, identityStatements(g, e, arn)...)
	if arn != "" {
		stmts = append(stmts, boundaryStatements(arn)...)
	}
	stmts = append(stmts, keyStatements(g, e)...)
	stmts = append(stmts, bucketStatements(g, e, res.Types)...)
	stmts = append(stmts, interruptionStatements(g, e, res.Types)...)
	stmts = append(stmts, certificateStatements(g)...)
	stmts = append(stmts, documentStatements(g, e)...)
	stmts = append(stmts, tunnelStatements(g, e)...)
	stmts = append(stmts, drillStatements(g, e)...)

	docs, err := split(stmts, limit)
	if err != nil {
		return nil, err
	}
	for i, d := range docs {
		b, _ := json.Marshal(d)
		res.Policies = append(res.Policies, Policy{Name: fmt.Sprintf("mlops-deployer-%s-%d", g.Stack, i+1), Size: len(b), Document: d})
	}
	return res, nil
}

// graphTypes are the AWS resource types of g; it fails on one Table has
// no row for.
func graphTypes(g *plan.Graph) (map[string]bool, error) {
	types := map[string]bool{}
	var missing []string
	for _, r := range g.Resources {
		if !strings.HasPrefix(r.Type, "aws:") || types[r.Type] {
			continue
		}
		types[r.Type] = true
		if _, ok := Table[r.Type]; !ok {
			missing = append(missing, r.Type)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, MissingRowsError{missing}
	}
	return types, nil
}

// split packs statements into as few documents of at most limit
// characters as it can: each goes into the first document it fits in (IAM
// reads a role's policies as one set, so their order does not matter). A
// statement too large on its own is cut into statements with fewer
// actions.
func split(stmts []iampolicy.Statement, limit int) ([]iampolicy.Document, error) {
	var docs []iampolicy.Document
	for len(stmts) > 0 {
		s := stmts[0]
		stmts = stmts[1:]
		placed := false
		for i := range docs {
			if try := iampolicy.New(append(slices.Clone(docs[i].Statement), s)...); size(try) <= limit {
				docs[i], placed = try, true
				break
			}
		}
		switch {
		case placed:
		case size(iampolicy.New(s)) <= limit:
			docs = append(docs, iampolicy.New(s))
		case len(s.Action) < 2:
			return nil, fmt.Errorf("deployer policy: statement %s alone exceeds %d characters", s.Sid, limit)
		default:
			half := len(s.Action) / 2
			a, b := s, s
			a.Action, b.Action = s.Action[:half], s.Action[half:]
			a.Sid, b.Sid = s.Sid+"A", s.Sid+"B"
			stmts = append([]iampolicy.Statement{a, b}, stmts...)
		}
	}
	return docs, nil
}

// size is a document's length without whitespace, as IAM counts it.
func size(d iampolicy.Document) int {
	b, _ := json.Marshal(d)
	return len(b)
}

// sid turns a service prefix into a statement ID: "secretsmanager" ->
// "Secretsmanager".
func sid(svc string) string {
	var b strings.Builder
	for i, r := range svc {
		switch {
		case i == 0 && r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func uniqueSorted(in []string) []string {
	out := slices.Clone(in)
	sort.Strings(out)
	return slices.Compact(out)
}
