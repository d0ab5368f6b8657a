package policy

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// SARIF 2.1.0 subset written by WriteSARIF.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
		Properties           map[string]any `json:"properties"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID       string             `json:"ruleId"`
		RuleIndex    int                `json:"ruleIndex"`
		Level        string             `json:"level"`
		Message      sarifText          `json:"message"`
		Locations    []sarifLocation    `json:"locations"`
		Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical  `json:"physicalLocation"`
		LogicalLocations []sarifLogical `json:"logicalLocations"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
	sarifLogical struct {
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	}
)

// SARIFRuleID is the SARIF rule ID of a control.
func SARIFRuleID(control string) string { return "MLOPS-GUARDRAIL-" + control }

// WriteSARIF writes the failed and excepted results as a SARIF 2.1.0 log
// for code scanning. Excepted results carry an external suppression with
// the exception's reason. Locations point at the stack's configuration file
// and name the resource URN as a logical location.
func WriteSARIF(w io.Writer, r *Report) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "mlops-guardrails", InformationURI: "https://github.com/mlops-platform/mlops-platform"}}, Results: []sarifResult{}}
	index := map[string]int{}
	for _, c := range r.Controls {
		index[c.Control] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID: SARIFRuleID(c.Control), Name: "control " + c.Control,
			ShortDescription:     sarifText{Text: c.Title},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(c.Severity)},
			Properties:           map[string]any{"tags": c.IDs, "severity": string(c.Severity)},
		})
	}
	artifact := "Pulumi." + r.Stack + ".yaml"
	for _, x := range r.Results {
		if x.Status == Passed {
			continue
		}
		res := sarifResult{
			RuleID: SARIFRuleID(x.Control), RuleIndex: index[x.Control], Level: sarifLevel(x.Severity),
			Message: sarifText{Text: fmt.Sprintf("%s: %s (%s)", x.URN, x.Message, strings.Join(x.IDs, ", "))},
			Locations: []sarifLocation{{
				PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifact}, Region: sarifRegion{StartLine: 1}},
				LogicalLocations: []sarifLogical{{FullyQualifiedName: x.URN, Kind: "resource"}},
			}},
		}
		if x.Status == Excepted {
			res.Suppressions = []sarifSuppression{{Kind: "external", Justification: x.Exception}}
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("writing SARIF: %w", err)
	}
	return nil
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
