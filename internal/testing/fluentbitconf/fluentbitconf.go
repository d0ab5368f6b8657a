// Package fluentbitconf reads Fluent Bit's classic configuration format
// ("[INPUT]" section headers followed by "Key Value" lines), enough for
// tests to ask which inputs a pipeline declares and what they read. The
// format is Fluent Bit's documented one ("Configuration file", classic
// mode): keys are case-insensitive, a key may repeat (Systemd_Filter), "#"
// starts a comment line and "@" lines (@INCLUDE, @SET) are directives.
package fluentbitconf

import (
	"fmt"
	"strings"
)

// Entry is one "Key Value" line of a section.
type Entry struct {
	Key, Value string
}

// Section is one "[NAME]" block: INPUT, FILTER, OUTPUT, PARSER, SERVICE.
type Section struct {
	Kind    string
	Entries []Entry
}

// All returns every value of key (case-insensitive) in file order.
func (s Section) All(key string) []string {
	var out []string
	for _, e := range s.Entries {
		if strings.EqualFold(e.Key, key) {
			out = append(out, e.Value)
		}
	}
	return out
}

// Get returns the last value of key, "" when the section does not set it
// (Fluent Bit keeps the last of a repeated single-valued key).
func (s Section) Get(key string) string {
	all := s.All(key)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1]
}

// Parse splits a classic-mode configuration into its sections. A
// "Key Value" line before any section header is an error, as it is to
// Fluent Bit.
func Parse(text string) ([]Section, error) {
	var out []Section
	for n, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		switch {
		case line == "", strings.HasPrefix(line, "#"), strings.HasPrefix(line, "@"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			out = append(out, Section{Kind: strings.ToUpper(strings.TrimSpace(line[1 : len(line)-1]))})
			continue
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("line %d: %q is outside any section", n+1, line)
		}
		key, value := line, ""
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			key, value = line[:i], strings.TrimSpace(line[i:])
		}
		out[len(out)-1].Entries = append(out[len(out)-1].Entries, Entry{Key: key, Value: value})
	}
	return out, nil
}

// Of returns the sections of one kind ("INPUT", "OUTPUT", ...).
func Of(sections []Section, kind string) []Section {
	var out []Section
	for _, s := range sections {
		if strings.EqualFold(s.Kind, kind) {
			out = append(out, s)
		}
	}
	return out
}
