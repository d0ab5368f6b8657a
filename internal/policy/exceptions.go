package policy

import (
	_ "embed"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed exceptions.yaml
var exceptionsFile []byte

// Exception waives one control for a non-production profile, with a reason.
type Exception struct {
	// Control is the control ID ("1", "MLOPS-TAGS", a user control).
	Control string `yaml:"control" json:"control"`
	// Profile is the profile the exception applies to. Only dev may carry
	// exceptions: every applicable control is mandatory for prod.
	Profile string `yaml:"profile" json:"profile"`
	// Stack, when set, narrows the exception to one stack.
	Stack string `yaml:"stack,omitempty" json:"stack,omitempty"`
	// Resource, when set, narrows the exception to one resource: its
	// logical name or its full URN.
	Resource string `yaml:"resource,omitempty" json:"resource,omitempty"`
	// Reason says why the deviation is accepted.
	Reason string `yaml:"reason" json:"reason"`
}

// Conflict is a scanner rule the platform deliberately does not satisfy.
type Conflict struct {
	Rule   string `yaml:"rule" json:"rule"`
	Reason string `yaml:"reason" json:"reason"`
}

type exceptionsDoc struct {
	Exceptions []Exception `yaml:"exceptions"`
	Conflicts  []Conflict  `yaml:"conflicts"`
}

// DefaultExceptions returns the reviewed exceptions and known conflicts
// embedded from exceptions.yaml.
func DefaultExceptions() ([]Exception, []Conflict, error) {
	return ParseExceptions(exceptionsFile)
}

// ParseExceptions reads an exceptions file and validates every entry,
// reporting all problems at once.
func ParseExceptions(content []byte) ([]Exception, []Conflict, error) {
	var d exceptionsDoc
	dec := yaml.NewDecoder(strings.NewReader(string(content)))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return nil, nil, fmt.Errorf("parsing exceptions: %w", err)
	}
	var problems []string
	for i, e := range d.Exceptions {
		at := fmt.Sprintf("exceptions[%d]", i)
		if e.Control == "" {
			problems = append(problems, at+".control must be set")
		}
		if e.Profile != "dev" {
			problems = append(problems, fmt.Sprintf("%s.profile must be dev (prod takes no exceptions), got %q", at, e.Profile))
		}
		if strings.TrimSpace(e.Reason) == "" {
			problems = append(problems, at+".reason must say why the deviation is accepted")
		}
		if c, ok := lookup(e.Control); ok && !c.Implemented() {
			problems = append(problems, fmt.Sprintf("%s.control %s is not implemented, so it cannot fail", at, e.Control))
		}
	}
	for i, c := range d.Conflicts {
		if c.Rule == "" || strings.TrimSpace(c.Reason) == "" {
			problems = append(problems, fmt.Sprintf("conflicts[%d] needs rule and reason", i))
		}
	}
	if len(problems) > 0 {
		return nil, nil, fmt.Errorf("invalid exceptions: %s", strings.Join(problems, "; "))
	}
	return d.Exceptions, d.Conflicts, nil
}

// matches reports whether e waives result x of a plan of stack with profile.
func (e Exception) matches(x Result, stack, profile string) bool {
	if e.Control != x.Control || e.Profile != profile {
		return false
	}
	if e.Stack != "" && e.Stack != stack {
		return false
	}
	return e.Resource == "" || x.URN == e.Resource || strings.HasSuffix(x.URN, "::"+e.Resource)
}

// applyExceptions turns failed and pending results an exception matches into excepted
// ones and returns the exceptions of this profile that matched nothing.
func applyExceptions(rs []Result, ex []Exception, stack, profile string) []Exception {
	used := make([]bool, len(ex))
	for i := range rs {
		if rs[i].Status != Failed && rs[i].Status != Pending {
			continue
		}
		for j, e := range ex {
			if e.matches(rs[i], stack, profile) {
				rs[i].Status = Excepted
				rs[i].Exception = e.Reason
				used[j] = true
				break
			}
		}
	}
	stale := []Exception{}
	for j, e := range ex {
		if used[j] || e.Profile != profile || (e.Stack != "" && e.Stack != stack) {
			continue
		}
		stale = append(stale, e)
	}
	return stale
}
