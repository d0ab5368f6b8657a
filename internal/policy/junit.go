package policy

import (
	"fmt"
	"io"
	"strings"

	"github.com/jstemmer/go-junit-report/v2/junit"
)

// WriteJUnit writes the report as JUnit XML: one suite per control, one
// case per resource the control evaluated. Failed results are failures,
// excepted results are skipped with the exception's reason; both name the
// control's standard IDs.
func WriteJUnit(w io.Writer, r *Report) error {
	suites := make([]junit.Testsuite, len(r.Controls))
	index := map[string]int{}
	for i, c := range r.Controls {
		index[c.Control] = i
		suites[i] = junit.Testsuite{ID: i, Name: fmt.Sprintf("control %s: %s", c.Control, c.Title)}
		if len(c.IDs) > 0 {
			suites[i].AddProperty("ids", strings.Join(c.IDs, ", "))
		}
	}
	for _, x := range r.Results {
		i, ok := index[x.Control]
		if !ok {
			continue
		}
		tc := junit.Testcase{Name: x.URN, Classname: "guardrails.control_" + x.Control}
		switch x.Status {
		case Failed:
			tc.Failure = &junit.Result{Message: x.Message, Type: string(x.Severity),
				Data: fmt.Sprintf("%s\n%s\nIDs: %s", x.URN, x.Message, strings.Join(x.IDs, ", "))}
		case Excepted:
			tc.Skipped = &junit.Result{Message: "excepted: " + x.Exception}
		case Pending:
			tc.Skipped = &junit.Result{Message: "pending until " + x.Needs + " is set: " + x.Message}
		}
		suites[i].AddTestcase(tc)
	}
	out := junit.Testsuites{Name: "mlops-guardrails " + r.Stack}
	for _, s := range suites {
		out.AddSuite(s)
	}
	if _, err := io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"); err != nil {
		return fmt.Errorf("writing JUnit: %w", err)
	}
	if err := out.WriteXML(w); err != nil {
		return fmt.Errorf("writing JUnit: %w", err)
	}
	return nil
}
