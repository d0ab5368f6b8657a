package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/policy"
)

// TestGuardrailTableNamesStandardIDs: a failed control is named by our row
// and by the IDs users search for, in the summary and in the failure list;
// stale exceptions are listed with their reason.
func TestGuardrailTableNamesStandardIDs(t *testing.T) {
	ids := []string{"SH RDS.5", "CKV_AWS_157"}
	r := &policy.Report{
		Stack: "prod", Profile: "prod",
		Controls: []policy.ControlSummary{{Control: "31", Title: "RDS Multi-AZ", IDs: ids, Severity: policy.High, Failed: 1}},
		Results: []policy.Result{{Control: "31", Title: "RDS Multi-AZ", IDs: ids, Severity: policy.High,
			URN: "urn:db", Status: policy.Failed, Message: "set database.multiAz=true"}},
		StaleExceptions: []policy.Exception{{Control: "7", Profile: "dev", Reason: "DNS hostnames used to be off"}},
	}
	var b bytes.Buffer
	if err := output.WriteTable(&b, guardrailSections(r)...); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"STANDARD IDS",
		"SH RDS.5, CKV_AWS_157",
		"- [31 SH RDS.5, CKV_AWS_157; high] urn:db: set database.multiAz=true",
		"STALE EXCEPTIONS", "DNS hostnames used to be off",
		"DENY: mandatory controls failed: 31",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("table lacks %q:\n%s", want, text)
		}
	}
}
