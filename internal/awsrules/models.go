package awsrules

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	awsapimodels "github.com/mlops-platform/mlops-platform/third_party/aws-api-models"
)

// smithyShape is the part of a Smithy shape the rules read.
type smithyShape struct {
	Traits struct {
		Length *struct {
			Min *int `json:"min"`
			Max *int `json:"max"`
		} `json:"smithy.api#length"`
		Pattern string `json:"smithy.api#pattern"`
	} `json:"traits"`
}

// smithyFile is one vendored model excerpt.
type smithyFile struct {
	Shapes map[string]smithyShape `json:"shapes"`
}

// unicodeEscape is a Smithy (ECMAScript) \uXXXX escape, which RE2 spells
// \x{XXXX}.
var unicodeEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// fromModel builds a rule from a shape's length and pattern traits in the
// vendored excerpt file. Smithy patterns are not implicitly anchored; the
// rule anchors the whole pattern, which is what AWS enforces (IAM's
// pathType, `^(\u002F)|(\u002F[...]+\u002F)$`, would otherwise accept any
// value starting with a slash, though the IAM User Guide requires a path
// to begin and end with one).
func fromModel(file, shape string) (Rule, error) {
	raw, err := awsapimodels.Files.ReadFile(file)
	if err != nil {
		return Rule{}, fmt.Errorf("reading model excerpt %s: %w", file, err)
	}
	var f smithyFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return Rule{}, fmt.Errorf("parsing model excerpt %s: %w", file, err)
	}
	s, ok := f.Shapes[shape]
	if !ok {
		return Rule{}, fmt.Errorf("model excerpt %s has no shape %s", file, shape)
	}
	r := Rule{Source: "model: " + shape}
	if l := s.Traits.Length; l != nil {
		if l.Min != nil {
			r.Min = *l.Min
		}
		if l.Max != nil {
			r.Max = *l.Max
		}
	}
	if p := s.Traits.Pattern; p != "" {
		p = strings.TrimSuffix(strings.TrimPrefix(p, "^"), "$")
		re, err := regexp.Compile(`^(?:` + unicodeEscape.ReplaceAllString(p, `\x{$1}`) + `)$`)
		if err != nil {
			return Rule{}, fmt.Errorf("pattern of %s: %w", shape, err)
		}
		r.Pattern = re
	}
	if r.Max == 0 && r.Pattern == nil {
		return Rule{}, fmt.Errorf("shape %s in %s has neither a length nor a pattern", shape, file)
	}
	return r, nil
}
