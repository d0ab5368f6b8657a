package policy

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jstemmer/go-junit-report/v2/junit"
	"github.com/owenrumney/go-sarif/v2/sarif"
)

// TestProdWaitsOnlyForItsCertificate judges the prod stack as the
// repository's Pulumi.prod.yaml and the prod profile declare it. The file
// ships no certificate (a made-up one would pass here and fail at deploy
// time), so the HTTPS controls 52 and 53 are pending on
// ingress.certificateArn: the offline plan passes, a deploy is blocked, and
// nothing else fails.
func TestProdWaitsOnlyForItsCertificate(t *testing.T) {
	d := baseDoc(t, "prod")
	if in, _ := d["spec"].(map[string]any)["ingress"].(map[string]any); in["certificateArn"] != "" {
		t.Errorf("the prod stack ships certificate %v; only an operator's own may be set", in["certificateArn"])
	}
	r := evaluate(t, d, Options{})
	for _, x := range r.Failures() {
		t.Errorf("control %s fails on the repository's prod stack: %s", x.Control, x.Message)
	}
	blocking := map[string]bool{}
	for _, x := range r.Blocking() {
		if x.Status != Pending || x.Needs != "ingress.certificateArn" {
			t.Errorf("control %s blocks with status %s, needs %q", x.Control, x.Status, x.Needs)
		}
		blocking[x.Control] = true
	}
	if len(blocking) != 2 || !blocking["52"] || !blocking["53"] {
		t.Errorf("controls 52 and 53 must be pending without a certificate; blocking: %v", blocking)
	}
	if got := r.PendingInputs(); len(got) != 1 || got[0] != "ingress.certificateArn" {
		t.Errorf("pending inputs %v, want [ingress.certificateArn]", got)
	}
}

// TestConfiguredProdPassesEveryMandatoryControl judges prod with the two
// ingress settings it lacks: everything else passes.
func TestConfiguredProdPassesEveryMandatoryControl(t *testing.T) {
	assertPassesMandatory(t, configuredProdDoc(t))
}

func assertPassesMandatory(t *testing.T, d map[string]any) {
	t.Helper()
	r := evaluate(t, d, Options{})
	if len(r.Blocking()) > 0 {
		for _, x := range r.Blocking() {
			t.Errorf("control %s failed on %s: %s", x.Control, x.URN, x.Message)
		}
	}
	// Controls with nothing to check in prod: no declared open egress.
	nothingToCheck := map[string]bool{"26": true}
	for _, c := range r.Controls {
		if c.Excepted != 0 {
			t.Errorf("control %s: %d results excepted in prod; prod takes no exceptions", c.Control, c.Excepted)
		}
		if c.Passed == 0 && c.Failed == 0 && !nothingToCheck[c.Control] {
			t.Errorf("control %s checked nothing in prod", c.Control)
		}
	}
	if len(r.StaleExceptions) != 0 {
		t.Errorf("prod reports stale exceptions %v; dev exceptions must not be judged in prod", r.StaleExceptions)
	}
}

func TestDevPassesWithOnlyDocumentedExceptions(t *testing.T) {
	ex, _, err := DefaultExceptions()
	if err != nil {
		t.Fatal(err)
	}
	r := evaluate(t, baseDoc(t, "dev"), Options{})
	for _, x := range r.Failures() {
		t.Errorf("control %s failed on %s without an exception: %s", x.Control, x.URN, x.Message)
	}
	excepted := map[string]bool{}
	for _, x := range r.Results {
		if x.Status == Excepted {
			excepted[x.Control] = true
			if x.Exception == "" {
				t.Errorf("control %s on %s excepted without a reason", x.Control, x.URN)
			}
		}
	}
	for _, e := range ex {
		if !excepted[e.Control] {
			t.Errorf("exception for control %s matched nothing in dev", e.Control)
		}
	}
	if len(r.StaleExceptions) != 0 {
		t.Errorf("stale exceptions in dev: %v", r.StaleExceptions)
	}
}

func TestStaleExceptionIsReported(t *testing.T) {
	ex, conflicts, err := DefaultExceptions()
	if err != nil {
		t.Fatal(err)
	}
	stale := Exception{Control: "7", Profile: "dev", Reason: "DNS hostnames used to be off in dev"}
	r := evaluate(t, baseDoc(t, "dev"), Options{Exceptions: append(ex, stale), Conflicts: conflicts})
	if len(r.StaleExceptions) != 1 || r.StaleExceptions[0] != stale {
		t.Fatalf("stale exceptions = %v, want [%v]", r.StaleExceptions, stale)
	}
}

func TestExceptionsFileRejectsBadEntries(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"prod exception", "exceptions:\n- {control: \"1\", profile: prod, reason: r}\n", "prod takes no exceptions"},
		{"no reason", "exceptions:\n- {control: \"1\", profile: dev}\n", "reason must say"},
		{"no control", "exceptions:\n- {profile: dev, reason: r}\n", "control must be set"},
		{"unimplemented control", "exceptions:\n- {control: \"18\", profile: dev, reason: r}\n", "not implemented"},
		{"unknown field", "exceptions:\n- {control: \"1\", profile: dev, reason: r, until: never}\n", "until"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseExceptions([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseExceptions error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// failingProd is the configured prod plan with IMDSv1 allowed on one
// launch template.
func failingProd(t *testing.T) *Report {
	d := configuredProdDoc(t)
	set(inputs(t, d, tLT, "nodes-general"), []string{"metadataOptions", "httpTokens"}, "optional")
	return evaluate(t, d, Options{})
}

func TestSARIFCarriesFailuresAndExceptions(t *testing.T) {
	tests := []struct {
		name       string
		report     func(t *testing.T) *Report
		rule       string
		suppressed bool
		// ids are standard IDs of the control the result must carry.
		ids []string
	}{
		{"prod failure", failingProd, SARIFRuleID("15"), false, []string{"SH EC2.170", "CKV_AWS_79", "TV AWS-0028"}},
		{"dev exception", func(t *testing.T) *Report { return evaluate(t, baseDoc(t, "dev"), Options{}) }, SARIFRuleID("31"), true, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := WriteSARIF(&out, tc.report(t)); err != nil {
				t.Fatal(err)
			}
			log, err := sarif.FromBytes(out.Bytes())
			if err != nil {
				t.Fatalf("SARIF does not parse: %v", err)
			}
			if log.Version != "2.1.0" || len(log.Runs) != 1 {
				t.Fatalf("version %q, %d runs", log.Version, len(log.Runs))
			}
			found := false
			for _, res := range log.Runs[0].Results {
				if res.RuleID == nil || *res.RuleID != tc.rule {
					continue
				}
				found = true
				if got := len(res.Suppressions) > 0; got != tc.suppressed {
					t.Errorf("result %s suppressed = %v, want %v", *res.RuleID, got, tc.suppressed)
				}
				if res.RuleIndex == nil || log.Runs[0].Tool.Driver.Rules[*res.RuleIndex].ID != *res.RuleID {
					t.Errorf("ruleIndex %v does not point at %s", res.RuleIndex, *res.RuleID)
				}
				tags := fmt.Sprint(res.Properties["tags"])
				for _, id := range tc.ids {
					if !strings.Contains(tags, id) || !strings.Contains(*res.Message.Text, id) {
						t.Errorf("result %s does not carry %s: tags %s, message %q", *res.RuleID, id, tags, *res.Message.Text)
					}
				}
			}
			if !found {
				t.Errorf("no SARIF result for %s", tc.rule)
			}
		})
	}
}

func TestJUnitCarriesFailures(t *testing.T) {
	var out bytes.Buffer
	if err := WriteJUnit(&out, failingProd(t)); err != nil {
		t.Fatal(err)
	}
	var suites junit.Testsuites
	if err := xml.Unmarshal(out.Bytes(), &suites); err != nil {
		t.Fatalf("JUnit does not parse: %v", err)
	}
	if suites.Failures != 1 {
		t.Errorf("failures = %d, want 1", suites.Failures)
	}
	for _, s := range suites.Suites {
		for _, c := range s.Testcases {
			if c.Failure != nil && (c.Classname != "guardrails.control_15" || !strings.Contains(c.Failure.Message, "httpTokens") ||
				!strings.Contains(c.Failure.Data, "CKV_AWS_79")) {
				t.Errorf("unexpected failure %s: %s\n%s", c.Classname, c.Failure.Message, c.Failure.Data)
			}
		}
	}
}

const userPolicy = `package mlops.guardrails.team

import data.mlops.guardrails.lib

checked contains {"control": "TEAM-1", "urn": d.urn} if some d in lib.by_type("aws:rds/instance:Instance")

deny contains {"control": "TEAM-1", "ids": ["team standard 7"], "severity": "low", "title": "Graviton database instances",
	"urn": d.urn, "message": "use a db.t4g or db.m7g instance class"} if {
	some d in lib.by_type("aws:rds/instance:Instance")
	not startswith(d.inputs.instanceClass, "db.t4g")
}
`

func TestUserPolicyDirIsEvaluated(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "team.rego"), []byte(userPolicy), 0o600); err != nil {
		t.Fatal(err)
	}
	r := evaluate(t, baseDoc(t, "prod"), Options{PolicyDir: dir})
	s, ok := r.Summary("TEAM-1")
	if !ok || s.Failed != 1 || s.Severity != Low || len(s.IDs) != 1 {
		t.Fatalf("TEAM-1 summary = %+v, %v; want one low-severity failure", s, ok)
	}
	if !r.MandatoryFailed() {
		t.Error("a failing user control must fail the plan")
	}
	for _, x := range r.Failures() {
		if x.Control == "TEAM-1" && x.Source != filepath.Join(dir, "team.rego") {
			t.Errorf("source = %q, want the user file", x.Source)
		}
	}
}

func TestUserPolicyDirErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"outside the root", "package elsewhere\n\ndeny contains 1 if true\n", "must be under"},
		{"built-in package", "package mlops.guardrails.rds\n\nextra := 1\n", "built-in"},
		{"syntax error", "package mlops.guardrails.x\n\ndeny contains if {\n", "parsing policy"},
		{"bad result shape", "package mlops.guardrails.x\n\ndeny contains {\"message\": \"no control\"} if true\n", "control"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "p.rego"), []byte(tc.src), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Evaluate(t.Context(), baseDoc(t, "prod"), Options{PolicyDir: dir, Now: testNow})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Evaluate error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// TestEvaluateRequiresAClock keeps time.Now out of the guardrails: the
// support-window checks judge the date the caller passes.
func TestEvaluateRequiresAClock(t *testing.T) {
	if _, err := Evaluate(t.Context(), baseDoc(t, "prod"), Options{}); err == nil || !strings.Contains(err.Error(), "Options.Now") {
		t.Fatalf("Evaluate without a date: err = %v, want one naming Options.Now", err)
	}
}
