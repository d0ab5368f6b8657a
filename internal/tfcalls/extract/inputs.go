package extract

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	tfsrc "github.com/mlops-platform/mlops-platform/internal/tfreplace/extract"
)

// guardAttr finds the resource inputs a recorded condition tests: the
// provider's d.GetOk("attr") (set), d.HasChange("attr") (changed, so set
// before or after), d.Get("attr").(bool) not negated (true, so set) and
// d.HasChanges("a", "b") (any of them changed). A nested path
// ("vpc_config.0.subnet_ids") stands for its top-level attribute.
var (
	guardAttr    = regexp.MustCompile(`d\.(?:GetOk|HasChange)\("([a-z0-9_.]+)"\)|(?:^|[^!])d\.Get\("([a-z0-9_.]+)"\)\.\(bool\)`)
	guardAnyAttr = regexp.MustCompile(`d\.HasChanges\(((?:"[a-z0-9_.]+"(?:, )?)+)\)`)
	quoted       = regexp.MustCompile(`"([a-z0-9_.]+)"`)
)

// inputs returns, as alternatives, the Pulumi properties the conditions
// when require set: the call is made for a resource that sets every
// property of some alternative. One empty alternative means the
// conditions test no input.
func inputs(props map[string]*tfsrc.PulumiType, when []string) ([][]string, error) {
	alts := [][]string{nil}
	for _, w := range when {
		for _, m := range guardAttr.FindAllStringSubmatch(w, -1) {
			name, err := pulumiProperty(props, m[1]+m[2])
			if err != nil {
				return nil, err
			}
			for i := range alts {
				alts[i] = addSorted(alts[i], name)
			}
		}
		for _, m := range guardAnyAttr.FindAllStringSubmatch(w, -1) {
			var next [][]string
			for _, q := range quoted.FindAllStringSubmatch(m[1], -1) {
				name, err := pulumiProperty(props, q[1])
				if err != nil {
					return nil, err
				}
				for _, a := range alts {
					next = append(next, addSorted(slices.Clone(a), name))
				}
			}
			alts = next
		}
	}
	return alts, nil
}

// addSorted adds name to the sorted set a.
func addSorted(a []string, name string) []string {
	if i, found := slices.BinarySearch(a, name); !found {
		a = slices.Insert(a, i, name)
	}
	return a
}

// pulumiProperty is the Pulumi property of a Terraform attribute: its
// lowerCamelCase name, or the plural the bridge gives a list or set
// ("inline_policy" → "inlinePolicies"). tags_all, the resource's tags
// merged with the provider's default tags, changes with tags.
func pulumiProperty(props map[string]*tfsrc.PulumiType, tf string) (string, error) {
	tf, _, _ = strings.Cut(tf, ".")
	if tf == "tags_all" {
		tf = "tags"
	}
	parts := strings.Split(tf, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	c := strings.Join(parts, "")
	cands := []string{c, c + "s", c + "es"}
	if s, ok := strings.CutSuffix(c, "y"); ok {
		cands = append(cands, s+"ies")
	}
	for _, n := range cands {
		if _, ok := props[n]; ok {
			return n, nil
		}
	}
	return "", fmt.Errorf("terraform attribute %q maps to no Pulumi property (tried %s)", tf, strings.Join(cands, ", "))
}

// mergeInputs returns the alternatives of a call reached by two paths:
// either path's; none (made unconditionally) when either path tests no
// input.
func mergeInputs(a, b [][]string) [][]string {
	if unconditional(a) || unconditional(b) {
		return nil
	}
	out := slices.Clone(a)
	for _, alt := range b {
		if !slices.ContainsFunc(out, func(o []string) bool { return slices.Equal(o, alt) }) {
			out = append(out, alt)
		}
	}
	return out
}

// unconditional reports whether alternatives test no input.
func unconditional(alts [][]string) bool {
	return len(alts) == 0 || slices.ContainsFunc(alts, func(a []string) bool { return len(a) == 0 })
}
