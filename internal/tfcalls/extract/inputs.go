package extract

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	tfsrc "github.com/mlops-platform/mlops-platform/internal/tfreplace/extract"
)

// guardAttr finds the resource inputs a recorded condition tests: the
// provider's d.GetOk("attr") (set) and d.HasChange("attr") (changed, so
// set before or after).
var guardAttr = regexp.MustCompile(`d\.(?:GetOk|HasChange)\("([a-z0-9_]+)"\)`)

// inputs returns the Pulumi properties the conditions when require set,
// in the names of the pinned Pulumi schema's properties of the type.
func inputs(props map[string]*tfsrc.PulumiType, when []string) ([]string, error) {
	var out []string
	for _, w := range when {
		for _, m := range guardAttr.FindAllStringSubmatch(w, -1) {
			name, err := pulumiProperty(props, m[1])
			if err != nil {
				return nil, err
			}
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// pulumiProperty is the Pulumi property of a Terraform attribute: its
// lowerCamelCase name, or the plural the bridge gives a list or set
// ("inline_policy" → "inlinePolicies"). tags_all, the resource's tags
// merged with the provider's default tags, changes with tags.
func pulumiProperty(props map[string]*tfsrc.PulumiType, tf string) (string, error) {
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

// intersect returns the elements of a also in b.
func intersect(a, b []string) []string {
	var out []string
	for _, s := range a {
		if slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}
