package policy

import (
	"fmt"
	"io"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// SARIFRuleID is the SARIF rule ID of a control.
func SARIFRuleID(control string) string { return "MLOPS-GUARDRAIL-" + control }

// WriteSARIF writes the failed and excepted results as a SARIF 2.1.0 log
// for code scanning. Each rule and result carries the control's standard
// IDs (Security Hub, CIS, Checkov, Trivy) as tags and in the message, so a
// search for RDS.5 or CKV_AWS_157 finds it. Excepted results carry an
// external suppression with the exception's reason. Locations point at the
// stack's configuration file and name the resource URN as a logical
// location.
func WriteSARIF(w io.Writer, r *Report) error {
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("writing SARIF: %w", err)
	}
	run := sarif.NewRunWithInformationURI("mlops-guardrails", "https://github.com/mlops-platform/mlops-platform")
	index := map[string]int{}
	for _, c := range r.Controls {
		index[c.Control] = len(run.Tool.Driver.Rules)
		run.AddRule(SARIFRuleID(c.Control)).
			WithName("control " + c.Control).
			WithShortDescription(sarif.NewMultiformatMessageString(c.Title)).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(c.Severity))).
			WithProperties(sarif.Properties{"tags": nonNil(c.IDs), "severity": string(c.Severity)})
	}
	artifact := "Pulumi." + r.Stack + ".yaml"
	run.Results = []*sarif.Result{}
	for _, x := range r.Results {
		if x.Status == Passed {
			continue
		}
		res := run.CreateResultForRule(SARIFRuleID(x.Control)).
			WithRuleIndex(index[x.Control]).
			WithLevel(sarifLevel(x.Severity)).
			WithMessage(sarif.NewTextMessage(fmt.Sprintf("%s: %s (%s)", x.URN, x.Message, strings.Join(x.IDs, ", "))))
		res.Properties = sarif.Properties{"tags": nonNil(x.IDs)}
		res.AddLocation(sarif.NewLocationWithPhysicalLocation(
			sarif.NewPhysicalLocation().
				WithArtifactLocation(sarif.NewSimpleArtifactLocation(artifact)).
				WithRegion(sarif.NewRegion().WithStartLine(1)),
		).WithLogicalLocations([]*sarif.LogicalLocation{
			sarif.NewLogicalLocation().WithFullyQualifiedName(x.URN).WithKind("resource"),
		}))
		if x.Status == Excepted {
			res.AddSuppression(sarif.NewSuppression("external").WithJustifcation(x.Exception))
		}
	}
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return fmt.Errorf("writing SARIF: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("writing SARIF: %w", err)
	}
	return nil
}

// nonNil keeps an empty ID list an empty JSON list.
func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

func sarifLevel(s Severity) string {
	switch s {
	case Critical, High:
		return "error"
	case Medium:
		return "warning"
	}
	return "note"
}
