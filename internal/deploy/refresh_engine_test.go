package deploy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// TestRealEngineRefreshPreviewFindsDrift: after dev's AWS layer is
// deployed, the engine's refresh preview reads back what the fake cloud
// reports changed outside Pulumi (a tag, a log retention), and nothing
// when nothing changed; the state is not written.
func TestRealEngineRefreshPreviewFindsDrift(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	h := newHarness(t, "dev")
	d := h.deployer(nil)
	var out bytes.Buffer
	if _, err := d.Up(ctx, layer.AWS, deploy.NewProgress(&out, false, 0, 0, nil)); err != nil {
		t.Fatalf("up: %v", err)
	}
	none, err := d.PreviewRefresh(ctx, layer.AWS)
	if err != nil || len(none) != 0 {
		t.Fatalf("refresh preview of an unchanged cloud: %v, %+v", err, none)
	}
	before := h.stateFile(layer.AWS)

	d = h.deployer(map[string]string{"MLOPS_FAKE_AWS_DRIFT": `{"logs-cluster":{"retentionInDays":1},"network-igw":{"tags":{"Name":"renamed"}}}`})
	got, err := d.PreviewRefresh(ctx, layer.AWS)
	if err != nil {
		t.Fatalf("refresh preview: %v", err)
	}
	b, _ := json.MarshalIndent(got, "", "  ")
	t.Logf("drift:\n%s", b)
	want := map[string]deploy.PropertyDiff{
		"logs-cluster": {Path: "retentionInDays", Kind: "update", Old: "7", New: "1"},
		"network-igw":  {Path: "tags.Name", Kind: "update", Old: `"mlops-platform-dev-igw"`, New: `"renamed"`},
	}
	if len(got) != len(want) {
		t.Fatalf("drifted %d resources, want %d", len(got), len(want))
	}
	for _, g := range got {
		if w, ok := want[g.Name]; !ok || len(g.Diffs) != 1 || g.Diffs[0] != w {
			t.Errorf("%s: %+v, want %+v", g.Name, g.Diffs, w)
		}
	}
	if !bytes.Equal(before, h.stateFile(layer.AWS)) {
		t.Error("the refresh preview wrote the state")
	}
}
