package policy

import (
	"encoding/xml"
	"fmt"
	"io"
)

// JUnit XML written by WriteJUnit: one suite per control, one case per
// resource the control evaluated.
type (
	junitSuites struct {
		XMLName  xml.Name     `xml:"testsuites"`
		Name     string       `xml:"name,attr"`
		Tests    int          `xml:"tests,attr"`
		Failures int          `xml:"failures,attr"`
		Skipped  int          `xml:"skipped,attr"`
		Suites   []junitSuite `xml:"testsuite"`
	}
	junitSuite struct {
		Name     string      `xml:"name,attr"`
		Tests    int         `xml:"tests,attr"`
		Failures int         `xml:"failures,attr"`
		Skipped  int         `xml:"skipped,attr"`
		Cases    []junitCase `xml:"testcase"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Failure   *junitFailure `xml:"failure,omitempty"`
		Skipped   *junitSkipped `xml:"skipped,omitempty"`
	}
	junitFailure struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
	junitSkipped struct {
		Message string `xml:"message,attr"`
	}
)

// WriteJUnit writes the report as JUnit XML: failed results are failures,
// excepted results are skipped with the exception's reason.
func WriteJUnit(w io.Writer, r *Report) error {
	out := junitSuites{Name: "mlops-guardrails " + r.Stack}
	suites := map[string]int{}
	for _, c := range r.Controls {
		suites[c.Control] = len(out.Suites)
		out.Suites = append(out.Suites, junitSuite{Name: fmt.Sprintf("control %s: %s", c.Control, c.Title)})
	}
	for _, x := range r.Results {
		i, ok := suites[x.Control]
		if !ok {
			continue
		}
		s := &out.Suites[i]
		tc := junitCase{Name: x.URN, Classname: "guardrails.control_" + x.Control}
		switch x.Status {
		case Failed:
			tc.Failure = &junitFailure{Message: x.Message, Type: string(x.Severity), Text: fmt.Sprintf("%s\n%s\nIDs: %v", x.URN, x.Message, x.IDs)}
			s.Failures++
		case Excepted:
			tc.Skipped = &junitSkipped{Message: "excepted: " + x.Exception}
			s.Skipped++
		}
		s.Tests++
		s.Cases = append(s.Cases, tc)
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("writing JUnit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing JUnit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
