package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

func TestClockFromEnv(t *testing.T) {
	cases := []struct {
		value string
		want  time.Time // zero: the wall clock
		err   bool
	}{
		{"", time.Time{}, false},
		{"2027-03-28", time.Date(2027, 3, 28, 0, 0, 0, 0, time.UTC), false},
		{"2027-03-28T12:30:00+02:00", time.Date(2027, 3, 28, 10, 30, 0, 0, time.UTC), false},
		{"28/03/2027", time.Time{}, true},
		{"2027-03-28 12:30", time.Time{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			now, err := ClockFromEnv(func(k string) string {
				if k == NowVariable {
					return tc.value
				}
				return "unrelated"
			})
			if tc.err {
				if err == nil || !strings.Contains(err.Error(), NowVariable) {
					t.Fatalf("error %v, want one naming %s", err, NowVariable)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want
			if want.IsZero() {
				want = time.Now()
			}
			// The clock starts at the value and runs on with the process.
			if got := now(); got.Before(want.Add(-time.Minute)) || got.After(want.Add(time.Minute)) {
				t.Errorf("clock reads %s, want about %s", got, want)
			}
		})
	}
}

// TestPlanSaysWhenTheVersionLeavesStandardSupport moves the clock across
// the day the prod stack's Kubernetes version leaves EKS standard support:
// the day before, the plan passes; the day after, spec validation warns and
// guardrail 5 denies the plan, both naming the date.
func TestPlanSaysWhenTheVersionLeavesStandardSupport(t *testing.T) {
	r, err := stack.Source{Dir: repoRoot(), Stack: "prod", Now: testNow}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	v := r.Spec.KubernetesVersion
	rel, st := spec.KubernetesSupport(v, testNow)
	if st != spec.SupportStandard {
		t.Fatalf("prod's Kubernetes %s is %s at %s, want standard", v, st, testNow.Format(time.DateOnly))
	}
	end := rel.EndOfStandard.Format(time.DateOnly)
	left := "Kubernetes " + v + " left EKS standard support on " + end
	warning := v + " is in EKS extended support since " + end
	for _, tc := range []struct {
		name string
		now  time.Time
		code int
	}{
		{"the day before", rel.EndOfStandard.AddDate(0, 0, -1), ExitOK},
		{"the day after", rel.EndOfStandard.AddDate(0, 0, 1), ExitPolicyDenied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Now: func() time.Time { return tc.now }}
			err := Run(context.Background(), env, []string{"plan", "--stack", "prod", "--dir", repoRoot()})
			if code := ExitCode(err); code != tc.code {
				t.Fatalf("plan at %s: exit code %d (%v), want %d", tc.now.Format(time.DateOnly), code, err, tc.code)
			}
			said := strings.Contains(out.String(), left) && strings.Contains(out.String(), warning)
			if said != (tc.code != ExitOK) {
				t.Errorf("plan at %s: says %q and %q: %v, want %v", tc.now.Format(time.DateOnly), left, warning, said, !said)
			}
		})
	}
}

// TestCIRunsOnAFixedClock: .ci/run exports MLOPS_NOW before any mlops
// command, and at that time the README's prod plan passes, so CI turns
// red on a change, never on a date.
func TestCIRunsOnAFixedClock(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(), ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	script := string(b)
	m := regexp.MustCompile(`(?m)^export ` + NowVariable + `=(\S+)$`).FindStringSubmatchIndex(script)
	if m == nil {
		t.Fatalf(".ci/run does not export %s", NowVariable)
	}
	if first := strings.Index(script, "./cmd/mlops"); first >= 0 && first < m[0] {
		t.Fatalf(".ci/run runs mlops before it exports %s", NowVariable)
	}
	value := script[m[2]:m[3]]
	now, err := ClockFromEnv(func(k string) string {
		if k == NowVariable {
			return value
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Now: now}
	if err := Run(context.Background(), env, []string{"plan", "--stack", "prod", "--dir", repoRoot()}); err != nil {
		t.Fatalf("plan --stack prod at %s=%s: %v", NowVariable, value, err)
	}
}
