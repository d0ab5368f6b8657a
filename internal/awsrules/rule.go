// Package awsrules checks the values a stack sends to AWS against the
// rules AWS applies to the requests that carry them: lengths and patterns
// from AWS's own Smithy API models (third_party/aws-api-models) and, where
// the model is silent, a reviewed catalogue of rules AWS documents in
// prose, each with its source. The provider passes these values through
// unchecked, so without this a value AWS refuses passes every offline test.
package awsrules

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Rule is what AWS accepts for one kind of request value.
type Rule struct {
	// ID names the rule, <service>.<what>.
	ID string
	// Source is where AWS states the rule: a document title, or a Smithy
	// shape of the vendored models ("model: <shape>").
	Source string
	// Min and Max bound the length in characters; Max 0 means no bound.
	Min, Max int
	// Pattern, when set, must match the whole value.
	Pattern *regexp.Regexp
	// Extra checks what a pattern cannot say (reserved prefixes, ...).
	Extra func(v string) error
	// Bad is a value the rule refuses; the tests prove it does.
	Bad string
}

// Check returns why AWS refuses v, or nil.
func (r Rule) Check(v string) error {
	n := utf8.RuneCountInString(v)
	if n < r.Min {
		return fmt.Errorf("%s: %q is shorter than %d characters (%s)", r.ID, v, r.Min, r.Source)
	}
	if r.Max > 0 && n > r.Max {
		return fmt.Errorf("%s: %q is longer than %d characters (%s)", r.ID, v, r.Max, r.Source)
	}
	if r.Pattern != nil && !r.Pattern.MatchString(v) {
		return fmt.Errorf("%s: %q does not match %s (%s)", r.ID, v, r.Pattern, r.Source)
	}
	if r.Extra != nil {
		if err := r.Extra(v); err != nil {
			return fmt.Errorf("%s: %q: %w (%s)", r.ID, v, err, r.Source)
		}
	}
	return nil
}

// whole anchors a pattern so that it must match the whole value.
func whole(p string) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` + p + `)$`)
}

// notPrefixed refuses values starting with any of prefixes.
func notPrefixed(prefixes ...string) func(string) error {
	return func(v string) error {
		for _, p := range prefixes {
			if strings.HasPrefix(strings.ToLower(v), p) {
				return fmt.Errorf("must not start with %q", p)
			}
		}
		return nil
	}
}

// notSuffixed refuses values ending with any of suffixes.
func notSuffixed(suffixes ...string) func(string) error {
	return func(v string) error {
		for _, s := range suffixes {
			if strings.HasSuffix(v, s) {
				return fmt.Errorf("must not end with %q", s)
			}
		}
		return nil
	}
}

// all runs checks in order and returns the first refusal.
func all(checks ...func(string) error) func(string) error {
	return func(v string) error {
		for _, c := range checks {
			if err := c(v); err != nil {
				return err
			}
		}
		return nil
	}
}
