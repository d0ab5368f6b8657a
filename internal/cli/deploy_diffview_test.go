package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
)

func TestDiffLines(t *testing.T) {
	long := `"` + strings.Repeat("x", 100) + `"`
	sum := deploy.Summary{Layer: "aws", Changes: []deploy.Change{
		{Name: "vpc", Type: "aws:ec2/vpc:Vpc", Op: deploy.OpCreate, Diffs: []deploy.PropertyDiff{{Path: "cidrBlock", Kind: deploy.KindAdd, New: `"10.0.0.0/16"`}}},
		{Name: "nodes-general", Type: "aws:eks/nodeGroup:NodeGroup", Op: deploy.OpUpdate, Diffs: []deploy.PropertyDiff{
			{Path: "scalingConfig.maxSize", Kind: deploy.KindUpdate, Old: "4", New: "6"},
			{Path: "userData", Kind: deploy.KindUpdate, Old: long, New: `"y"`},
		}},
		{Name: "nodes-gpu", Type: "aws:eks/nodeGroup:NodeGroup", Op: deploy.OpReplace, ReplaceReasons: []string{"instanceTypes"},
			Diffs: []deploy.PropertyDiff{{Path: "instanceTypes", Kind: deploy.KindUpdate, Old: `["a"]`, New: `["b"]`, Replaces: true}}},
		{Name: "old", Type: "aws:iam/role:Role", Op: deploy.OpDelete, Diffs: []deploy.PropertyDiff{{Path: "name", Kind: deploy.KindDelete, Old: `"r"`}}},
	}}
	tests := []struct {
		name string
		full bool
		want []string
	}{
		{"compact: updates and replacements, one line per input", false, []string{
			"update nodes-general (aws:eks/nodeGroup:NodeGroup)",
			"    ~ scalingConfig.maxSize: 4 → 6",
			`    ~ userData: "` + strings.Repeat("x", 58) + `… → "y"`,
			"replace nodes-gpu (aws:eks/nodeGroup:NodeGroup): replaced because instanceTypes changed",
			`    ~ instanceTypes: ["a"] → ["b"]  (forces replacement)`,
		}},
		{"--diff: every resource, values whole", true, []string{
			"create vpc (aws:ec2/vpc:Vpc)",
			`    + cidrBlock: "10.0.0.0/16"`,
			"update nodes-general (aws:eks/nodeGroup:NodeGroup)",
			"    ~ scalingConfig.maxSize: 4 → 6",
			`    ~ userData: ` + long + ` → "y"`,
			"replace nodes-gpu (aws:eks/nodeGroup:NodeGroup): replaced because instanceTypes changed",
			`    ~ instanceTypes: ["a"] → ["b"]  (forces replacement)`,
			"delete old (aws:iam/role:Role)",
			`    - name: "r"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diffLines(sum, tt.full)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestExpectNoChanges(t *testing.T) {
	empty := deploy.Summary{Layer: "aws", Counts: map[deploy.Op]int{}}
	changed := deploy.Summary{Layer: "cluster", Counts: map[deploy.Op]int{deploy.OpUpdate: 1},
		Changes: []deploy.Change{{Name: "x", Op: deploy.OpUpdate}}}
	tests := []struct {
		name string
		sums []deploy.Summary
		code int
	}{
		{"nothing changes", []deploy.Summary{empty}, ExitOK},
		{"an update", []deploy.Summary{empty, changed}, ExitDrift},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := expectNoChanges(tt.sums)
			if got := ExitCode(err); got != tt.code {
				t.Errorf("exit %d (%v), want %d", got, err, tt.code)
			}
			var p *ChangesPendingError
			if errors.As(err, &p) && !strings.Contains(err.Error(), "cluster: 0 to create, 1 to update") {
				t.Errorf("message %q", err)
			}
		})
	}
}
