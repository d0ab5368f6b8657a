package policy

import (
	"sort"
	"strconv"
)

// Status is the verdict of one control on one resource.
type Status string

// Verdicts.
const (
	Passed   Status = "passed"
	Failed   Status = "failed"
	Excepted Status = "excepted"
	// Pending results fail only because an input the operator must supply
	// is not set yet (Result.Needs names its key). The offline plan
	// reports them and passes; a deploy refuses them (Report.Blocking).
	Pending Status = "pending"
)

// Result is one verdict of one control on one resource.
type Result struct {
	Control  string   `json:"control"`
	Title    string   `json:"title"`
	IDs      []string `json:"ids"`
	Severity Severity `json:"severity"`
	URN      string   `json:"urn"`
	Status   Status   `json:"status"`
	// Message says what to change (failed and excepted results).
	Message string `json:"message,omitempty"`
	// Needs is the spec key a pending result waits for.
	Needs string `json:"needs,omitempty"`
	// Exception is the reason of the exception that excepted the result.
	Exception string `json:"exception,omitempty"`
	// Advisory results never fail the plan (user policies may set it).
	Advisory bool `json:"advisory,omitempty"`
	// Source is "builtin" or the user policy file the result came from.
	Source string `json:"source"`
}

// ControlSummary counts the verdicts of one control.
type ControlSummary struct {
	Control  string   `json:"control"`
	Title    string   `json:"title"`
	IDs      []string `json:"ids"`
	Severity Severity `json:"severity"`
	Passed   int      `json:"passed"`
	Failed   int      `json:"failed"`
	Excepted int      `json:"excepted"`
	Pending  int      `json:"pending"`
	Advisory bool     `json:"advisory,omitempty"`
}

// Report is the outcome of evaluating the guardrails over one plan.
type Report struct {
	Stack   string `json:"stack"`
	Profile string `json:"profile"`
	// Implemented counts the reference rows a built-in policy checks, out
	// of ReferenceRows.
	Implemented    int              `json:"implemented"`
	ReferenceRows  int              `json:"referenceRows"`
	Controls       []ControlSummary `json:"controls"`
	Results        []Result         `json:"results"`
	NotImplemented []Control        `json:"notImplemented"`
	// StaleExceptions matched no failing result: remove them from the file.
	StaleExceptions []Exception `json:"staleExceptions"`
	// KnownConflicts are scanner rules deliberately not enforced.
	KnownConflicts []Conflict `json:"knownConflicts"`
}

// MandatoryFailed reports whether a mandatory control failed without an
// exception.
func (r *Report) MandatoryFailed() bool {
	return len(r.Failures()) > 0
}

// Failures returns the failed results that are not advisory.
func (r *Report) Failures() []Result {
	var out []Result
	for _, x := range r.Results {
		if x.Status == Failed && !x.Advisory {
			out = append(out, x)
		}
	}
	return out
}

// Blocking returns what must change before a deploy: the mandatory
// failures and the pending results.
func (r *Report) Blocking() []Result {
	out := r.Failures()
	for _, x := range r.Results {
		if x.Status == Pending && !x.Advisory {
			out = append(out, x)
		}
	}
	return out
}

// PendingInputs lists, once each and sorted, the spec keys that pending
// results wait for.
func (r *Report) PendingInputs() []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range r.Results {
		if x.Status == Pending && !seen[x.Needs] {
			seen[x.Needs] = true
			out = append(out, x.Needs)
		}
	}
	sort.Strings(out)
	return out
}

// FailedControls lists the IDs of the controls with mandatory failures.
func (r *Report) FailedControls() []string {
	var out []string
	for _, c := range r.Controls {
		if c.Failed > 0 && !c.Advisory {
			out = append(out, c.Control)
		}
	}
	return out
}

// Summary returns the counts of one control.
func (r *Report) Summary(control string) (ControlSummary, bool) {
	for _, c := range r.Controls {
		if c.Control == control {
			return c, true
		}
	}
	return ControlSummary{}, false
}

// summarise fills r.Controls from r.Results, in control order. Every
// implemented catalogue control gets a row, even one with nothing to check.
func (r *Report) summarise() {
	idx := map[string]int{}
	r.Controls = nil
	for _, c := range Catalogue {
		if c.Implemented() {
			idx[c.ID] = len(r.Controls)
			r.Controls = append(r.Controls, ControlSummary{Control: c.ID, Title: c.Title, IDs: c.IDs, Severity: c.Severity})
		}
	}
	for _, x := range r.Results {
		i, ok := idx[x.Control]
		if !ok {
			i = len(r.Controls)
			idx[x.Control] = i
			r.Controls = append(r.Controls, ControlSummary{Control: x.Control, Title: x.Title, IDs: x.IDs, Severity: x.Severity, Advisory: x.Advisory})
		}
		switch x.Status {
		case Passed:
			r.Controls[i].Passed++
		case Failed:
			r.Controls[i].Failed++
		case Excepted:
			r.Controls[i].Excepted++
		case Pending:
			r.Controls[i].Pending++
		}
	}
	sort.SliceStable(r.Controls, func(i, j int) bool { return controlLess(r.Controls[i].Control, r.Controls[j].Control) })
}

// controlLess orders numbered rows numerically, then named controls.
func controlLess(a, b string) bool {
	na, ea := strconv.Atoi(a)
	nb, eb := strconv.Atoi(b)
	switch {
	case ea == nil && eb == nil:
		return na < nb
	case ea == nil:
		return true
	case eb == nil:
		return false
	}
	return a < b
}

func sortResults(rs []Result) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Control != rs[j].Control {
			return controlLess(rs[i].Control, rs[j].Control)
		}
		if rs[i].URN != rs[j].URN {
			return rs[i].URN < rs[j].URN
		}
		return rs[i].Message < rs[j].Message
	})
}
