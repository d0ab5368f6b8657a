package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/output"
)

func TestPolicyDeniedExitCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"denied", PolicyDeniedError{Controls: []string{"1", "31"}}, ExitPolicyDenied},
		{"wrapped", fmt.Errorf("plan: %w", PolicyDeniedError{Controls: []string{"14"}}), ExitPolicyDenied},
		{"other", errors.New("boom"), ExitError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ExitCode(tc.err); got != tc.want {
				t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
			}
		})
	}
}

func TestGuardrailFlags(t *testing.T) {
	var got PlanOptions
	cmd := newPlanCommand(Env{}, func(o PlanOptions) { got = o })
	cmd.SetArgs([]string{"--stack", "prod", "--policy-dir", "/tmp/p", "-o", "sarif"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.PolicyDir != "/tmp/p" || got.Format != FormatSARIF || got.Output != output.Table {
		t.Errorf("options = %+v", got)
	}
	cmd = newPlanCommand(Env{}, func(PlanOptions) {})
	cmd.SetArgs([]string{"--stack", "prod", "-o", "xml"})
	var usage UsageError
	if err := cmd.Execute(); !errors.As(err, &usage) {
		t.Errorf("-o xml: error %v, want a usage error", err)
	}
	// -o is the one format flag: plan has no --format of its own.
	var out bytes.Buffer
	err := Run(context.Background(), Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &out}},
		[]string{"plan", "--stack", "prod", "--format", "sarif"})
	if code := ExitCode(err); code != ExitUsage || !strings.Contains(err.Error(), "--format") {
		t.Errorf("plan --format: exit %d (%v), want %d naming --format", code, err, ExitUsage)
	}
}
