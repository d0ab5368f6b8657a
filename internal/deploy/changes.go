package deploy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Op is a kind of change in a summary.
type Op string

// The kinds of change a summary counts.
const (
	OpCreate  Op = "create"
	OpUpdate  Op = "update"
	OpReplace Op = "replace"
	OpDelete  Op = "delete"
)

// Ops are the kinds of change in summary order.
var Ops = []Op{OpCreate, OpUpdate, OpReplace, OpDelete}

// opOf maps an engine step to the change it makes; same, read and refresh
// steps change nothing.
func opOf(op apitype.OpType) (Op, bool) {
	switch op {
	case apitype.OpCreate, apitype.OpImport:
		return OpCreate, true
	case apitype.OpUpdate:
		return OpUpdate, true
	case apitype.OpReplace, apitype.OpCreateReplacement, apitype.OpDeleteReplaced, apitype.OpDiscardReplaced,
		apitype.OpReadReplacement, apitype.OpImportReplacement:
		return OpReplace, true
	case apitype.OpDelete, apitype.OpReadDiscard:
		return OpDelete, true
	}
	return "", false
}

// Change is one resource a preview would change.
type Change struct {
	Layer string `json:"layer"`
	URN   string `json:"urn"`
	Type  string `json:"type"`
	// Name is the logical name, what --allow-replace takes.
	Name string `json:"name"`
	Op   Op     `json:"op"`
	// Protected resources have Pulumi's protect set.
	Protected bool `json:"protected"`
	// Stateful resources hold data or keys, or serve the platform
	// (StatefulTypes, the node group general).
	Stateful bool `json:"stateful"`
	// Diffs are the inputs the change alters, old and new, secrets
	// masked; for a create every input, for a delete every old input.
	Diffs []PropertyDiff `json:"diffs,omitempty"`
	// ReplaceReasons are the inputs that force a replacement.
	ReplaceReasons []string `json:"replaceReasons,omitempty"`
}

// Risky reports whether the change replaces or deletes a protected or
// stateful resource.
func (c Change) Risky() bool {
	return (c.Op == OpReplace || c.Op == OpDelete) && (c.Protected || c.Stateful)
}

// StatefulTypes are the resource types whose replacement or deletion
// loses data or keys.
var StatefulTypes = []string{
	"aws:rds/instance:Instance", "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket", "aws:kms/key:Key",
}

// statefulNodeGroup is the node group the platform runs on.
const statefulNodeGroup = "general"

func stateful(typ, name string) bool {
	if slices.Contains(StatefulTypes, typ) {
		return true
	}
	return typ == "aws:eks/nodeGroup:NodeGroup" && (name == statefulNodeGroup || strings.HasSuffix(name, "-"+statefulNodeGroup))
}

// Summary is what a preview of one layer would change.
type Summary struct {
	Layer   string     `json:"layer"`
	Changes []Change   `json:"changes"`
	Counts  map[Op]int `json:"counts"`
	// Steps are the engine's steps the changes take: a replacement is
	// two (create-replacement and delete-replaced), as Progress counts.
	Steps int `json:"steps"`
}

// summarize reads the preview's step events: one change per resource, a
// replacement counted once however many steps it takes, with the inputs
// each changes and the reasons for a replacement.
func summarize(layer string, evs []events.EngineEvent) Summary {
	byURN := map[string]*Change{}
	var order []string
	steps := 0
	for _, e := range evs {
		if e.ResourcePreEvent == nil {
			continue
		}
		m := e.ResourcePreEvent.Metadata
		op, ok := opOf(m.Op)
		if !ok {
			continue
		}
		if countsStep(m.Op) {
			steps++
		}
		c, seen := byURN[m.URN]
		if !seen {
			c = &Change{Layer: layer, URN: m.URN, Type: m.Type, Name: nameOf(m.URN), Op: op}
			byURN[m.URN] = c
			order = append(order, m.URN)
		}
		if op == OpReplace {
			c.Op = OpReplace
		}
		for _, st := range []*apitype.StepEventStateMetadata{m.Old, m.New} {
			if st != nil && st.Protect {
				c.Protected = true
			}
		}
		c.Stateful = stateful(c.Type, c.Name)
		addDiffs(c, m)
	}
	s := Summary{Layer: layer, Counts: map[Op]int{}, Steps: steps}
	for _, u := range order {
		s.Changes = append(s.Changes, *byURN[u])
		s.Counts[byURN[u].Op]++
	}
	return s
}

// countsStep reports whether an engine step is one progress counts: the
// replace step only marks the switch between a replacement's two steps.
func countsStep(op apitype.OpType) bool {
	_, ok := opOf(op)
	return ok && op != apitype.OpReplace
}

// addDiffs records, from the first step of a change that has them, the
// inputs it alters, and every input that forces a replacement.
func addDiffs(c *Change, m apitype.StepEventMetadata) {
	if len(c.Diffs) == 0 {
		switch {
		case len(m.DetailedDiff) > 0 || len(m.Diffs) > 0:
			c.Diffs = propertyDiffs(m)
		case c.Op == OpCreate && m.New != nil:
			c.Diffs = allInputs(m.New.Inputs, KindAdd)
		case c.Op == OpDelete && m.Old != nil:
			c.Diffs = allInputs(m.Old.Inputs, KindDelete)
		}
	}
	if c.Op != OpReplace {
		return
	}
	reasons := append(slices.Clone(c.ReplaceReasons), m.Keys...)
	if len(reasons) == 0 {
		// No replace keys: the detailed diff's replacing paths say why.
		for _, d := range c.Diffs {
			if d.Replaces {
				reasons = append(reasons, d.Path)
			}
		}
	}
	slices.Sort(reasons)
	c.ReplaceReasons = slices.Compact(reasons)
}

// nameOf is the logical name at the end of a URN.
func nameOf(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

// Risky are the changes the prod gate holds.
func (s Summary) Risky() []Change {
	var out []Change
	for _, c := range s.Changes {
		if c.Risky() {
			out = append(out, c)
		}
	}
	return out
}

// Empty reports whether the preview changes nothing.
func (s Summary) Empty() bool { return len(s.Changes) == 0 }

// Line is the summary in one line: "3 to create, 1 to update, ...".
func (s Summary) Line() string {
	var parts []string
	for _, op := range Ops {
		parts = append(parts, fmt.Sprintf("%d to %s", s.Counts[op], op))
	}
	return strings.Join(parts, ", ")
}

// RefusedError means the prod gate held risky changes that no
// --allow-replace named, or prod was asked to be destroyed.
type RefusedError struct {
	// Changes are the held changes.
	Changes []Change
	// Reason explains a refusal that is not about changes (destroy).
	Reason string
}

func (e *RefusedError) Error() string {
	if e.Reason != "" {
		return "refused: " + e.Reason
	}
	var names []string
	for _, c := range e.Changes {
		why := ""
		if len(c.ReplaceReasons) > 0 {
			why = ", forced by a change to " + strings.Join(c.ReplaceReasons, ", ")
		}
		names = append(names, fmt.Sprintf("%s %s (%s%s)", c.Op, c.Name, c.Type, why))
	}
	sort.Strings(names)
	var flags []string
	for _, c := range e.Changes {
		flags = append(flags, "--allow-replace "+c.Name)
	}
	slices.Sort(flags)
	return fmt.Sprintf("refused: in prod these changes replace or delete protected or stateful resources: %s; "+
		"if that is intended, re-run with %s", strings.Join(names, ", "), strings.Join(slices.Compact(flags), " "))
}

// Gate holds, in prod, every risky change whose logical name allow does
// not list; dev passes everything.
func Gate(prod bool, s Summary, allow []string) error {
	if !prod {
		return nil
	}
	var held []Change
	for _, c := range s.Risky() {
		if !slices.Contains(allow, c.Name) {
			held = append(held, c)
		}
	}
	if len(held) > 0 {
		return &RefusedError{Changes: held}
	}
	return nil
}
