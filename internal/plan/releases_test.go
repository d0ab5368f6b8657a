package plan_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// testNow pins the date support windows are judged at, so the tests do
// not start failing when the default Kubernetes version ages.
var testNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func TestTableListsReleasesAndPSALevels(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			s, warns, _, err := spec.Load("../..", stack, nil, testNow)
			if err != nil {
				t.Fatal(err)
			}
			g, err := plan.Evaluate(context.Background(), stack, s)
			if err != nil {
				t.Fatal(err)
			}
			rows := plan.Releases(g)
			if len(rows) != len(platform.Releases()) {
				t.Errorf("%d release rows, want %d", len(rows), len(platform.Releases()))
			}
			var out bytes.Buffer
			if err := plan.WriteTable(&out, plan.NewDocument(g, s, warns), g); err != nil {
				t.Fatal(err)
			}
			text := out.String()
			wants := []string{"RELEASE", "CHART", "VERSION", "NAMESPACE", "PSA"}
			for _, r := range platform.Releases() {
				wants = append(wants, r.Name, r.Version)
			}
			for _, e := range platform.Exemptions() {
				wants = append(wants, e.Name, e.Reason)
			}
			for _, w := range wants {
				if !strings.Contains(text, w) {
					t.Errorf("table lacks %q", w)
				}
			}
			levels := map[string]string{}
			for _, n := range plan.NamespaceLevels(g) {
				levels[n.Namespace] = n.Enforce
			}
			if levels[platform.NSServing] != platform.Restricted || levels[platform.NSDevicePlugin] != platform.Privileged {
				t.Errorf("namespace levels %v", levels)
			}
		})
	}
}
