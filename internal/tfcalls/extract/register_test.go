package extract

import (
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
)

// A recorded registration gives each step its function, keeps the tagging
// annotation and a no-op delete, and is refused without create, read and
// delete (or a no-op delete), with both, or with a tagging resource type
// but no tags.
func TestRegistration(t *testing.T) {
	tests := []struct {
		name    string
		entry   ResourceEntry
		want    string
		wantErr string
	}{
		{"no update", ResourceEntry{Token: "aws:x/y:Y", Create: "c", Read: "r", Delete: "d"}, "create=c delete=d read=r", ""},
		{"tagged", ResourceEntry{Token: "aws:x/y:Y", Create: "c", Read: "r", Update: "u", Delete: "d", Tags: true, TagsResourceType: "OIDCProvider"},
			"create=c delete=d read=r update=u tags=OIDCProvider", ""},
		{"no delete", ResourceEntry{Token: "aws:x/y:Y", Create: "c", Read: "r"}, "", "records no create, read and delete"},
		{"no-op delete", ResourceEntry{Token: "aws:x/y:Y", Create: "c", Read: "r", Update: "u", DeleteNoop: true}, "create=c read=r update=u noop=delete", ""},
		{"delete and no-op delete", ResourceEntry{Token: "aws:x/y:Y", Create: "c", Read: "r", Delete: "d", DeleteNoop: true}, "", "both a delete function"},
		{"type without tags", ResourceEntry{Token: "aws:x/y:Y", Create: "c", Read: "r", Delete: "d", TagsResourceType: "T"}, "", "but no tags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.entry.Registration()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Registration = %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, step := range []string{tfcalls.Create, tfcalls.Delete, tfcalls.Read, tfcalls.Update} {
				if fn, ok := r.Steps[step]; ok {
					got = append(got, step+"="+fn)
				}
			}
			for _, step := range []string{tfcalls.Create, tfcalls.Delete, tfcalls.Read, tfcalls.Update} {
				if r.Noop[step] {
					got = append(got, "noop="+step)
				}
			}
			if r.Tags {
				got = append(got, "tags="+r.ResourceType)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("Registration = %v, want %s", got, tt.want)
			}
		})
	}
}

// A no-op delete derives a delete step with no calls; an omitted update
// derives no update step.
func TestNoopDeleteDerivesNoCalls(t *testing.T) {
	fns := []Function{{Name: "c", Calls: []Step{{Client: "ec2", Method: "DescribeSecurityGroups"}}}, {Name: "r"}}
	g := newGraph(CallsFile{Package: "ec2", Functions: fns}, actions{"ec2:DescribeSecurityGroups"})
	re := ResourceEntry{Token: "aws:x/y:Y", Create: "c", Read: "r", DeleteNoop: true}
	reg, err := re.Registration()
	if err != nil {
		t.Fatal(err)
	}
	res, err := g.resource(re, reg)
	if err != nil {
		t.Fatal(err)
	}
	if calls, ok := res.Steps[tfcalls.Delete]; !ok || calls == nil || len(calls) != 0 {
		t.Errorf("delete step = %v (present %v), want present and empty", calls, ok)
	}
	if _, ok := res.Steps[tfcalls.Update]; ok {
		t.Errorf("update step present, want none")
	}
	if len(res.Steps[tfcalls.Create]) != 1 {
		t.Errorf("create = %v, want DescribeSecurityGroups", res.Steps[tfcalls.Create])
	}
}
