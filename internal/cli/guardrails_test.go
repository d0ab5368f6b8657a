package cli

import (
	"errors"
	"fmt"
	"testing"
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
	cmd.SetArgs([]string{"--stack", "prod", "--policy-dir", "/tmp/p", "--format", "sarif"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.PolicyDir != "/tmp/p" || got.Format != FormatSARIF {
		t.Errorf("options = %+v", got)
	}
	cmd = newPlanCommand(Env{}, func(PlanOptions) {})
	cmd.SetArgs([]string{"--stack", "prod", "--format", "xml"})
	var usage UsageError
	if err := cmd.Execute(); !errors.As(err, &usage) {
		t.Errorf("--format xml: error %v, want a usage error", err)
	}
}
