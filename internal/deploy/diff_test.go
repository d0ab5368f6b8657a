package deploy

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

const nodeGroup = "aws:eks/nodeGroup:NodeGroup"

// step is a ResourcePreEvent with old and new inputs and the engine's
// diff fields, as the Automation API's event stream carries them.
func step(op apitype.OpType, typ, name string, olds, news map[string]any, keys, diffs []string, detailed map[string]apitype.PropertyDiff) events.EngineEvent {
	urn := urnPrefix + typ + "::" + name
	m := apitype.StepEventMetadata{Op: op, URN: urn, Type: typ, Keys: keys, Diffs: diffs, DetailedDiff: detailed}
	if olds != nil {
		m.Old = &apitype.StepEventStateMetadata{URN: urn, Type: typ, Inputs: olds}
	}
	if news != nil {
		m.New = &apitype.StepEventStateMetadata{URN: urn, Type: typ, Inputs: news}
	}
	return events.EngineEvent{EngineEvent: apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: m}}}
}

func scaling(max float64) map[string]any {
	return map[string]any{"minSize": 2.0, "maxSize": max, "desiredSize": 2.0}
}

func TestSummarizeDiffs(t *testing.T) {
	secretSig := map[string]any{sigKey: sigSecret, "value": "hunter2"}
	tests := []struct {
		name    string
		evs     []events.EngineEvent
		diffs   []PropertyDiff
		reasons []string
	}{
		{"update from the detailed diff, nested path", []events.EngineEvent{
			step(apitype.OpUpdate, nodeGroup, "nodes-general",
				map[string]any{"scalingConfig": scaling(4), "tags": map[string]any{"team": "ml"}},
				map[string]any{"scalingConfig": scaling(6), "tags": map[string]any{"team": "ml", "cost": "x"}},
				nil, []string{"scalingConfig", "tags"}, map[string]apitype.PropertyDiff{
					"scalingConfig.maxSize": {Kind: apitype.DiffUpdate, InputDiff: true},
					`tags["cost"]`:          {Kind: apitype.DiffAdd, InputDiff: true},
				}),
		}, []PropertyDiff{
			{Path: "scalingConfig.maxSize", Kind: KindUpdate, Old: "4", New: "6"},
			{Path: `tags["cost"]`, Kind: KindAdd, New: `"x"`},
		}, nil},
		{"replacement from update-replace kinds", []events.EngineEvent{
			step(apitype.OpCreateReplacement, nodeGroup, "nodes-gpu",
				map[string]any{"instanceTypes": []any{"g5.xlarge"}}, map[string]any{"instanceTypes": []any{"g5.2xlarge"}},
				nil, []string{"instanceTypes"}, map[string]apitype.PropertyDiff{"instanceTypes[0]": {Kind: apitype.DiffUpdateReplace, InputDiff: true}}),
			step(apitype.OpReplace, nodeGroup, "nodes-gpu", nil, nil, nil, nil, nil),
			step(apitype.OpDeleteReplaced, nodeGroup, "nodes-gpu", nil, nil, nil, nil, nil),
		}, []PropertyDiff{{Path: "instanceTypes[0]", Kind: KindUpdate, Old: `"g5.xlarge"`, New: `"g5.2xlarge"`, Replaces: true}},
			[]string{"instanceTypes[0]"}},
		{"replacement from Keys and Diffs, no detailed diff (the fake provider)", []events.EngineEvent{
			step(apitype.OpReplace, nodeGroup, "nodes-general",
				map[string]any{"instanceTypes": []any{"m6i.large"}, "scalingConfig": scaling(4)},
				map[string]any{"instanceTypes": []any{"m6i.xlarge"}, "scalingConfig": scaling(6)},
				[]string{"instanceTypes"}, []string{"instanceTypes", "scalingConfig"}, nil),
		}, []PropertyDiff{
			{Path: "instanceTypes", Kind: KindUpdate, Old: `["m6i.large"]`, New: `["m6i.xlarge"]`, Replaces: true},
			{Path: "scalingConfig", Kind: KindUpdate, Old: `{"desiredSize":2,"maxSize":4,"minSize":2}`, New: `{"desiredSize":2,"maxSize":6,"minSize":2}`},
		}, []string{"instanceTypes"}},
		{"secrets masked: engine-marked, signature-marked, secret keys", []events.EngineEvent{
			step(apitype.OpUpdate, "aws:rds/instance:Instance", "database",
				map[string]any{"password": "old-pw", "parameters": map[string]any{"masterPassword": "a"}, "token": "[secret]", "sig": secretSig},
				map[string]any{"password": "new-pw", "parameters": map[string]any{"masterPassword": "b"}, "token": "[secret]", "sig": "plain"},
				nil, []string{"password", "parameters", "token", "sig"}, nil),
		}, []PropertyDiff{
			{Path: "parameters", Kind: KindUpdate, Old: `{"masterPassword":"[secret]"}`, New: `{"masterPassword":"[secret]"}`},
			{Path: "password", Kind: KindUpdate, Old: Masked, New: Masked},
			{Path: "sig", Kind: KindUpdate, Old: Masked, New: `"plain"`},
			{Path: "token", Kind: KindUpdate, Old: Masked, New: Masked},
		}, nil},
		{"a value known only after the deploy", []events.EngineEvent{
			step(apitype.OpUpdate, "aws:ec2/launchTemplate:LaunchTemplate", "lt", map[string]any{"imageId": "ami-1"}, map[string]any{"imageId": unknown},
				nil, []string{"imageId"}, nil),
		}, []PropertyDiff{{Path: "imageId", Kind: KindUpdate, Old: `"ami-1"`, New: "(known after deploy)"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := summarize("aws", tt.evs)
			if len(s.Changes) != 1 {
				t.Fatalf("changes %+v", s.Changes)
			}
			c := s.Changes[0]
			if !reflect.DeepEqual(c.Diffs, tt.diffs) {
				t.Errorf("diffs\n%+v\nwant\n%+v", c.Diffs, tt.diffs)
			}
			if !reflect.DeepEqual(c.ReplaceReasons, tt.reasons) {
				t.Errorf("replace reasons %v, want %v", c.ReplaceReasons, tt.reasons)
			}
			for _, d := range c.Diffs {
				for _, v := range []string{d.Old, d.New} {
					if strings.Contains(v, "pw") || strings.Contains(v, "hunter2") {
						t.Errorf("secret leaked in %+v", d)
					}
				}
			}
		})
	}
}

func TestSummarizeCreateAndDeleteInputs(t *testing.T) {
	s := summarize("aws", []events.EngineEvent{
		step(apitype.OpCreate, "aws:s3/bucketV2:BucketV2", "artifacts", nil, map[string]any{"bucketPrefix": "a-", "__defaults": []any{}}, nil, nil, nil),
		step(apitype.OpDelete, "aws:iam/role:Role", "old-role", map[string]any{"name": "r", "password": "x"}, nil, nil, nil, nil),
	})
	want := [][]PropertyDiff{
		{{Path: "bucketPrefix", Kind: KindAdd, New: `"a-"`}},
		{{Path: "name", Kind: KindDelete, Old: `"r"`}, {Path: "password", Kind: KindDelete, Old: Masked}},
	}
	for i, c := range s.Changes {
		if !reflect.DeepEqual(c.Diffs, want[i]) {
			t.Errorf("%s: diffs %+v, want %+v", c.Name, c.Diffs, want[i])
		}
	}
}

func TestRefusalNamesReplaceReasons(t *testing.T) {
	s := summarize("aws", []events.EngineEvent{
		step(apitype.OpReplace, nodeGroup, "nodes-general", map[string]any{"instanceTypes": []any{"a"}}, map[string]any{"instanceTypes": []any{"b"}},
			[]string{"instanceTypes"}, []string{"instanceTypes"}, nil),
	})
	err := Gate(true, s, nil)
	if err == nil || !strings.Contains(err.Error(), "replace nodes-general (aws:eks/nodeGroup:NodeGroup, forced by a change to instanceTypes)") {
		t.Errorf("refusal %v", err)
	}
}

// TestProgressCountsSteps: a replacement is two steps (create-replacement
// and delete-replaced; the replace marker is neither printed nor counted),
// as the preview's Steps count them, and a dependent the preview did not
// foresee raises the total instead of overrunning it.
func TestProgressCountsSteps(t *testing.T) {
	preview := summarize("aws", []events.EngineEvent{
		pre(apitype.OpCreateReplacement, nodeGroup, "nodes-general", false),
		pre(apitype.OpReplace, nodeGroup, "nodes-general", false),
		pre(apitype.OpDeleteReplaced, nodeGroup, "nodes-general", false),
	})
	if preview.Steps != 2 || len(preview.Changes) != 1 {
		t.Fatalf("preview: %d steps, %d changes; want 2 and 1", preview.Steps, len(preview.Changes))
	}
	var b bytes.Buffer
	p := NewProgress(&b, false, 0, preview.Steps, fakeClock())
	tag := "aws:autoscaling/tag:Tag"
	for _, e := range []events.EngineEvent{
		pre(apitype.OpCreateReplacement, nodeGroup, "nodes-general", false),
		outputs(apitype.OpCreateReplacement, nodeGroup, "nodes-general"),
		pre(apitype.OpReplace, nodeGroup, "nodes-general", false),
		outputs(apitype.OpReplace, nodeGroup, "nodes-general"),
		pre(apitype.OpUpdate, tag, "nodes-general-tag", false),
		outputs(apitype.OpUpdate, tag, "nodes-general-tag"),
		pre(apitype.OpDeleteReplaced, nodeGroup, "nodes-general", false),
		outputs(apitype.OpDeleteReplaced, nodeGroup, "nodes-general"),
	} {
		p.Handle(e)
	}
	want := strings.Join([]string{
		"[0/2 00:01] creating replacement aws:eks/nodeGroup:NodeGroup nodes-general",
		"[1/2 00:02] created replacement aws:eks/nodeGroup:NodeGroup nodes-general",
		"[1/2 00:03] updating  aws:autoscaling/tag:Tag nodes-general-tag",
		"[2/2 00:04] updated   aws:autoscaling/tag:Tag nodes-general-tag",
		"[2/3 00:05] deleting replaced aws:eks/nodeGroup:NodeGroup nodes-general",
		"[3/3 00:06] deleted replaced aws:eks/nodeGroup:NodeGroup nodes-general",
		"",
	}, "\n")
	if b.String() != want {
		t.Errorf("progress\n%s\nwant\n%s", b.String(), want)
	}
	if p.Done() != 3 || p.Total() != 3 {
		t.Errorf("done %d of %d, want 3 of 3", p.Done(), p.Total())
	}
}

// TestChangeJSON: -o json carries each change's diffs and replace reasons.
func TestChangeJSON(t *testing.T) {
	s := summarize("aws", []events.EngineEvent{
		step(apitype.OpReplace, nodeGroup, "nodes-general", map[string]any{"instanceTypes": []any{"a"}}, map[string]any{"instanceTypes": []any{"b"}},
			[]string{"instanceTypes"}, []string{"instanceTypes"}, nil),
		pre(apitype.OpCreateReplacement, nodeGroup, "nodes-general", false),
		pre(apitype.OpDeleteReplaced, nodeGroup, "nodes-general", false),
	})
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	want := `"diffs":[{"path":"instanceTypes","kind":"update","old":"[\"a\"]","new":"[\"b\"]","replaces":true}],"replaceReasons":["instanceTypes"]`
	if !strings.Contains(string(b), want) || !strings.Contains(string(b), `"steps":2`) {
		t.Errorf("JSON %s\nlacks %s", b, want)
	}
}
