// Package savedplan is the document `mlops preview --save-plan` writes next
// to the engine's update plans (one per layer, Pulumi's `--save-plan`
// files), and the checks `mlops up --plan` makes before it applies them:
// same stack, same program, same configuration, same state, not too old.
package savedplan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// FormatVersion is the version of the summary document.
const FormatVersion = 1

// DefaultMaxAge is how old a saved plan `up --plan` still applies.
const DefaultMaxAge = 24 * time.Hour

// Summary is what a saved plan was made from and what it does.
type Summary struct {
	FormatVersion int `json:"formatVersion"`
	// Stack is the environment's stack (dev, prod).
	Stack string `json:"stack"`
	// Created is when the plan was saved.
	Created time.Time `json:"created"`
	// Program is the SHA-256 of the program that made the plan (the mlops
	// executable, whose inline program the engine ran).
	Program string `json:"program"`
	// Config is the SHA-256 of the effective stack configuration (the
	// stack file with the --set overrides, as the program reads it).
	Config string `json:"config"`
	// Layers are the layers planned, in the order up applies them.
	Layers []Layer `json:"layers"`
	// Guardrails are the verdicts of the offline guardrails.
	Guardrails Guardrails `json:"guardrails"`
	// Cost is the monthly estimate of the planned configuration.
	Cost *Cost `json:"cost,omitempty"`
}

// Layer is one layer's engine plan and the state it was made against.
type Layer struct {
	Layer string `json:"layer"`
	// Stack is the layer's Pulumi stack (<env>-<layer>).
	Stack string `json:"stack"`
	// Plan is the engine's plan file, relative to the summary's directory.
	Plan string `json:"plan"`
	// PlanSHA256 is the plan file's hash: a swapped file is refused.
	PlanSHA256 string `json:"planSha256"`
	// Base is the state the plan was made against.
	Base State `json:"base"`
	// Creates, Updates, Replaces and Deletes count the planned changes.
	Creates  int `json:"creates"`
	Updates  int `json:"updates"`
	Replaces int `json:"replaces"`
	Deletes  int `json:"deletes"`
	// Preview is the engine's preview the plan came with: each change
	// with the inputs it alters (secrets masked), which prod's gate and
	// the approval prompt read.
	Preview deploy.Summary `json:"preview"`
}

// NewLayer is the layer entry of a preview sum saved to the engine plan
// at planPath (already written) against the state base.
func NewLayer(stackName string, sum deploy.Summary, planPath string, base State) (Layer, error) {
	h, err := HashFile(planPath)
	if err != nil {
		return Layer{}, err
	}
	return Layer{Layer: sum.Layer, Stack: stackName, Plan: filepath.Base(planPath), PlanSHA256: h, Base: base,
		Creates: sum.Counts[deploy.OpCreate], Updates: sum.Counts[deploy.OpUpdate],
		Replaces: sum.Counts[deploy.OpReplace], Deletes: sum.Counts[deploy.OpDelete], Preview: sum}, nil
}

// State identifies a layer's state: the number of updates it has seen and
// the hash of the resources it holds.
type State struct {
	Version   int    `json:"version"`
	Resources string `json:"resourcesSha256"`
}

// Guardrails count the offline guardrails' verdicts.
type Guardrails struct {
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Pending  int `json:"pending"`
	Excepted int `json:"excepted"`
	// FailedControls name the controls with a failed result.
	FailedControls []string `json:"failedControls,omitempty"`
}

// Cost is the planned configuration's monthly estimate and, when the
// configuration last deployed is known, the change from it.
type Cost struct {
	Currency    string  `json:"currency"`
	MonthlyLow  float64 `json:"monthlyLow"`
	MonthlyHigh float64 `json:"monthlyHigh"`
	// Delta is the change of the monthly estimate (low end) from the base
	// configuration, when Base says what that was.
	Delta *float64 `json:"delta,omitempty"`
	// Base says what the delta is measured from, or why there is none.
	Base string `json:"base"`
}

// PlanFile is the engine plan file of layer l next to the summary at path:
// plan.json → plan.aws.plan.json.
func PlanFile(path, l string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	return filepath.Join(filepath.Dir(path), base+"."+l+".plan.json")
}

// Write writes the summary to path (mode 0600: plans may hold encrypted
// secrets and their summary the configuration's hash).
func Write(path string, s *Summary) error {
	s.FormatVersion = FormatVersion
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("writing the saved plan summary: %w", err)
	}
	if err := output.WriteJSON(f, s); err != nil {
		f.Close()
		return fmt.Errorf("writing the saved plan summary: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing the saved plan summary: %w", err)
	}
	return nil
}

// Read reads the summary at path.
func Read(path string) (*Summary, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the saved plan: %w", err)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("reading the saved plan %s: %w", path, err)
	}
	if s.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("the saved plan %s has format version %d, this mlops reads %d: save it again with this mlops",
			path, s.FormatVersion, FormatVersion)
	}
	return &s, nil
}

// PlanPath is the absolute path of layer's engine plan, relative to the
// summary at path.
func (l Layer) PlanPath(path string) string {
	return filepath.Join(filepath.Dir(path), l.Plan)
}

// HashJSON is the SHA-256 of v's JSON encoding (map keys sorted).
func HashJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("hashing: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// HashFile is the SHA-256 of the file at path.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hashing %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ProgramHash is the SHA-256 of the running executable: the inline
// program the engine runs is compiled into it.
func ProgramHash() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the program: %w", err)
	}
	return HashFile(exe)
}
