package deploy_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// TestRealEngineAppliesOnlyThePlan: the engine itself holds an up to its
// saved plan. A plan saved for dev's AWS layer, applied with a program
// whose log retention differs, fails on the resources it would change
// beyond the plan; the state reads as it did (version and resources) until
// an up succeeds.
func TestRealEngineAppliesOnlyThePlan(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	h := newHarness(t, "dev")
	d := h.deployer(nil)
	before, err := d.State(ctx, layer.AWS)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "aws.plan.json")
	if _, err := d.PreviewPlan(ctx, layer.AWS, path); err != nil {
		t.Fatalf("preview --save-plan: %v", err)
	}

	h.resolve("logRetentionDays=14")
	var out bytes.Buffer
	_, err = h.deployer(nil).UpPlan(ctx, layer.AWS, deploy.NewProgress(&out, false, 0, 0, nil), path)
	if err == nil || !strings.Contains(err.Error()+out.String(), "plan") || !strings.Contains(err.Error()+out.String(), "retentionInDays") {
		t.Fatalf("up --plan with another program: %v\n%s", err, out.String())
	}
	t.Logf("the engine's refusal: %v", err)

	h.resolve()
	after, err := h.deployer(nil).State(ctx, layer.AWS)
	if err != nil {
		t.Fatal(err)
	}
	d = h.deployer(nil)
	if _, err := d.UpPlan(ctx, layer.AWS, deploy.NewProgress(&out, false, 0, 0, nil), path); err != nil {
		t.Fatalf("up --plan with the planned program: %v", err)
	}
	applied, err := d.State(ctx, layer.AWS)
	if err != nil {
		t.Fatal(err)
	}
	if before.Version != 0 || applied.Version <= after.Version || applied.Resources == after.Resources {
		t.Errorf("states: before %+v, after the refused up %+v, applied %+v", before, after, applied)
	}
}
