package plan

import (
	"context"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// BenchmarkEvaluate measures one offline evaluation of the whole prod
// program (AWS and Kubernetes layers) under the mock engine.
func BenchmarkEvaluate(b *testing.B) {
	o := spec.Overrides{}
	if err := o.ParseSet("ingress.certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"); err != nil {
		b.Fatal(err)
	}
	s, _, err := spec.Resolve(spec.Input{Stack: "prod", Overrides: o, Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Evaluate(context.Background(), "prod", s); err != nil {
			b.Fatal(err)
		}
	}
}
