// Package output is the one printer of the CLI: every command hands it a
// value for JSON and sections of rows for tables, and it renders them.
// Domain packages produce data; none of them writes a table.
package output

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Formats of --output.
const (
	Table = "table"
	JSON  = "json"
)

// Check returns an error unless format is one the printer renders.
func Check(format string) error {
	if format != Table && format != JSON {
		return fmt.Errorf("--output must be %s or %s, got %q", Table, JSON, format)
	}
	return nil
}

// Section is one block of a table report: lines before the table, the
// table (a header and rows, columns aligned), and lines after it.
type Section struct {
	Title  []string
	Header []string
	Rows   [][]string
	Lines  []string
}

// Empty reports whether the section has nothing to print.
func (s Section) Empty() bool {
	return len(s.Title) == 0 && len(s.Header) == 0 && len(s.Rows) == 0 && len(s.Lines) == 0
}

// WriteTable prints the sections in order, a blank line between two, and
// skips empty ones.
func WriteTable(w io.Writer, sections ...Section) error {
	first := true
	for _, s := range sections {
		if s.Empty() {
			continue
		}
		if !first {
			if _, err := fmt.Fprintln(w); err != nil {
				return err
			}
		}
		first = false
		if err := s.write(w); err != nil {
			return err
		}
	}
	return nil
}

func (s Section) write(w io.Writer) error {
	for _, l := range s.Title {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	if len(s.Header) > 0 || len(s.Rows) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		if len(s.Header) > 0 {
			fmt.Fprintln(tw, strings.Join(s.Header, "\t"))
		}
		for _, r := range s.Rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("writing a table: %w", err)
		}
	}
	for _, l := range s.Lines {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON prints v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// Write prints v as JSON, or the sections table returns, by format.
func Write(w io.Writer, format string, v any, table func() []Section) error {
	if format == JSON {
		return WriteJSON(w, v)
	}
	return WriteTable(w, table()...)
}
