package cli

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// BenchmarkCommands measures whole command paths as a user runs them:
// resolving the stack, evaluating both layers under the offline engine,
// compiling and evaluating the Rego guardrails, pricing, and writing the
// output. Regressions in any step show here.
func BenchmarkCommands(b *testing.B) {
	cases := []struct {
		name string
		args []string
	}{
		{"plan-prod-table", []string{"plan", "--stack", "prod"}},
		{"plan-prod-json", []string{"plan", "--stack", "prod", "-o", "json"}},
		{"cost-prod-optimize", []string{"cost", "--stack", "prod", "--optimize"}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			env := Env{
				Streams: Streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard},
				Now:     func() time.Time { return testNow },
			}
			args := append(tc.args, "--dir", repoRoot())
			b.ReportAllocs()
			for b.Loop() {
				if err := Run(context.Background(), env, args); err != nil {
					b.Fatalf("%v: %v", tc.args, err)
				}
			}
		})
	}
}
