package cost

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// oneVariant is an Evaluator that returns the stack's own variant, or err.
type oneVariant struct {
	v   *Variant
	err error
}

func (o oneVariant) Evaluate(context.Context, []string) (*Variant, error) { return o.v, o.err }

// TestPriceStack: the stack is priced with its region's catalogue and its
// own usage, as Compute prices its graph; an evaluation error stops it.
func TestPriceStack(t *testing.T) {
	res := stacktest.Result(t, "dev")
	v := &Variant{Spec: res.Spec, Graph: res.Graph}
	p, err := PriceStack(context.Background(), oneVariant{v: v}, "dev", "", "", testNow)
	if err != nil {
		t.Fatal(err)
	}
	cat, u := defaults(t, res.Spec.Region, "dev")
	want, err := Compute(res.Graph, cat, u, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stack != "dev" || p.Variant != v || !reflect.DeepEqual(p.Estimate, want) {
		t.Errorf("PriceStack = stack %q, estimate %+v; want dev, %+v", p.Stack, p.Estimate, want)
	}
	boom := errors.New("boom")
	if _, err := PriceStack(context.Background(), oneVariant{err: boom}, "dev", "", "", testNow); !errors.Is(err, boom) {
		t.Errorf("evaluation error: got %v, want %v", err, boom)
	}
}

// TestPlanEstimate: a region with a catalogue prices the plan; one
// without leaves it unpriced and logs why.
func TestPlanEstimate(t *testing.T) {
	g := stackGraph(t, "dev")
	for _, tc := range []struct {
		region string
		priced bool
	}{{"eu-west-1", true}, {"us-east-1", true}, {"ap-south-1", false}} {
		t.Run(tc.region, func(t *testing.T) {
			var log bytes.Buffer
			e := PlanEstimate(slog.New(slog.NewTextHandler(&log, nil)), g, tc.region, testNow)
			if (e != nil) != tc.priced {
				t.Fatalf("estimate %v, want priced %v", e, tc.priced)
			}
			if logged := strings.Contains(log.String(), "plan carries no cost"); logged == tc.priced {
				t.Errorf("log %q: want a warning only when unpriced", log.String())
			}
		})
	}
}
