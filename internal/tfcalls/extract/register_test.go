package extract

import (
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
)

// A recorded registration gives each step its function, keeps the tagging
// annotation, and is refused without create, read and delete, or with a
// tagging resource type but no tags.
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
			if r.Tags {
				got = append(got, "tags="+r.ResourceType)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("Registration = %v, want %s", got, tt.want)
			}
		})
	}
}
