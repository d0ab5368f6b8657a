package stack_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestEvaluateAppliesSets: overrides reach both the effective spec and the
// graph, and With leaves the source it was called on alone.
func TestEvaluateAppliesSets(t *testing.T) {
	base := stacktest.Source("prod")
	src := base.With("nodeGroups.general.maxSize=8")
	if len(base.Sets) != 0 {
		t.Fatalf("With changed its receiver: %v", base.Sets)
	}
	res, err := src.Evaluate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Spec.NodeGroups.General.MaxSize != 8 || res.Stack != "prod" || res.File == "" {
		t.Errorf("spec %+v, stack %q, file %q", res.Spec.NodeGroups.General, res.Stack, res.File)
	}
	var got any
	for _, ng := range res.Graph.ByType(typetoken.NodeGroup) {
		if plan.NodeGroupName(ng) == "general" {
			got, _ = ng.Input("scalingConfig.maxSize")
		}
	}
	if got != int64(8) {
		t.Errorf("general maxSize in the graph = %v, want 8", got)
	}
	if doc := res.Document(); doc.Stack != "prod" || doc.Spec != res.Spec || len(doc.Resources) != len(res.Graph.Resources) {
		t.Errorf("document does not describe the result")
	}
}

// TestResolveReportsInvalidKeys: invalid configuration is a spec.Errors
// naming the key, before anything is evaluated.
func TestResolveReportsInvalidKeys(t *testing.T) {
	_, err := stacktest.Source("prod", "logRetentionDays=31").Evaluate(context.Background())
	var invalid spec.Errors
	if !errors.As(err, &invalid) || invalid[0].Path != "logRetentionDays" {
		t.Errorf("error %v, want spec.Errors naming logRetentionDays", err)
	}
}

// BenchmarkEvaluate measures one offline evaluation of the whole prod
// program (AWS and Kubernetes layers).
func BenchmarkEvaluate(b *testing.B) {
	r, err := stacktest.Source("prod").Resolve()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := r.Evaluate(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMissingStackFile: without Pulumi.<stack>.yaml a stack is refused,
// naming the directory searched, unless Defaults says the profile's
// defaults are intended.
func TestMissingStackFile(t *testing.T) {
	dir := t.TempDir()
	_, err := stack.Source{Dir: dir, Stack: "dev", Now: stacktest.Now}.Resolve()
	var invalid spec.Errors
	if !errors.As(err, &invalid) || invalid[0].Path != "Pulumi.dev.yaml" || !strings.Contains(err.Error(), "not found in "+dir) ||
		!strings.Contains(err.Error(), "--defaults") {
		t.Errorf("error %v, want spec.Errors naming Pulumi.dev.yaml, %s and --defaults", err, dir)
	}
	r, err := stack.Source{Dir: dir, Stack: "dev", Now: stacktest.Now, Defaults: true,
		Sets: []string{"clusterEndpointPublicAccessCidrs=[198.51.100.0/24]"}}.Resolve()
	if err != nil {
		t.Fatalf("with Defaults: %v", err)
	}
	if r.File != "" || r.Spec.Profile != spec.ProfileDev {
		t.Errorf("with Defaults: file %q, profile %q", r.File, r.Spec.Profile)
	}
}

// TestEvaluateRefusesWhatAWSRefuses: a value the spec accepts but AWS
// refuses in its request (a tag value with '&', which IAM's TagRole
// pattern refuses on every role the provider's default tags reach) stops
// the evaluation as a configuration error naming the resource and input.
func TestEvaluateRefusesWhatAWSRefuses(t *testing.T) {
	_, err := stacktest.Source("prod", "tags.Team=ml&ops").Evaluate(context.Background())
	var errs spec.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want spec.Errors, got %v", err)
	}
	found := false
	for _, e := range errs {
		if e.Path == "aws.defaultTags.tags.*" && strings.Contains(e.Msg, "iam.tag.value") {
			found = true
		}
	}
	if !found {
		t.Errorf("no iam.tag.value refusal of the provider's default tags: %v", err)
	}
	if _, err := stacktest.Source("prod", "tags.Team=ml-ops").Evaluate(context.Background()); err != nil {
		t.Errorf("an acceptable tag value is refused: %v", err)
	}
}
