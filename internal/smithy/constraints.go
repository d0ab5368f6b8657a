package smithy

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
)

// length applies the length trait to a size: characters of a string,
// bytes of a blob, entries of a list or map.
func (w *walker) length(path, top string, traits Traits, v any, n int) {
	var l struct{ Min, Max *int }
	ok, err := traits.Decode("smithy.api#length", &l)
	if err != nil {
		w.setErr(err)
	}
	if !ok {
		return
	}
	if l.Min != nil && n < *l.Min {
		w.fail(path, top, Length, v, "Member must have length greater than or equal to %d", *l.Min)
	}
	if l.Max != nil && n > *l.Max {
		w.fail(path, top, Length, v, "Member must have length less than or equal to %d", *l.Max)
	}
}

// enumValues returns the values an enum shape or a string with the
// (Smithy 1.0) enum trait allows, or nil.
func enumValues(s *Shape, traits Traits) ([]string, error) {
	var values []string
	if s.Type == "enum" {
		for _, name := range slices.Sorted(maps.Keys(s.Members)) {
			v := name
			if _, err := s.Members[name].Traits.Decode("smithy.api#enumValue", &v); err != nil {
				return nil, err
			}
			values = append(values, v)
		}
		return values, nil
	}
	var defs []struct{ Value string }
	ok, err := traits.Decode("smithy.api#enum", &defs)
	if !ok || err != nil {
		return nil, err
	}
	for _, d := range defs {
		values = append(values, d.Value)
	}
	return values, nil
}

var (
	patMu sync.Mutex
	pats  = map[string]*regexp.Regexp{}
	// uEscape is a \uXXXX escape, which the patterns (ECMA 262 and Java
	// syntax) use and RE2 spells \x{XXXX}.
	uEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)
	// surrogates is a UTF-16 surrogate pair of escapes, which Java reads
	// as one code point (\uD800\uDC00 is U+10000).
	surrogates = regexp.MustCompile(`\\u(D[89AB][0-9A-Fa-f]{2})\\u(D[C-F][0-9A-Fa-f]{2})`)
)

// compile compiles a pattern trait. Smithy patterns are not implicitly
// anchored; AWS's models anchor them with ^…$ where they mean it. Java's
// and ECMA 262's \d and \w are ASCII, as RE2's are.
func compile(pat string) (*regexp.Regexp, error) {
	patMu.Lock()
	defer patMu.Unlock()
	if re, ok := pats[pat]; ok {
		return re, nil
	}
	re2 := surrogates.ReplaceAllStringFunc(pat, func(pair string) string {
		hi, _ := strconv.ParseUint(pair[2:6], 16, 32)
		lo, _ := strconv.ParseUint(pair[8:12], 16, 32)
		return fmt.Sprintf(`\x{%X}`, utf16.DecodeRune(rune(hi), rune(lo)))
	})
	re, err := regexp.Compile(uEscape.ReplaceAllString(re2, `\x{$1}`))
	if err != nil {
		return nil, fmt.Errorf("smithy: pattern %q: %w", pat, err)
	}
	pats[pat] = re
	return re, nil
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Patterns compiles every pattern trait of the model, returning how many
// there are or the first that does not compile.
func (m *Model) Patterns() (int, error) {
	n := 0
	check := func(t Traits) error {
		var pat string
		if ok, err := t.Decode("smithy.api#pattern", &pat); !ok || err != nil {
			return err
		}
		n++
		_, err := compile(pat)
		return err
	}
	for _, s := range m.Shapes {
		if err := check(s.Traits); err != nil {
			return n, err
		}
		for _, mem := range s.Members {
			if err := check(mem.Traits); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}
