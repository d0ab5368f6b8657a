package extract

import (
	"strings"
	"testing"
)

// A "recorded" source (a schema read by hand, sources.json's replaces)
// needs no upstream file: its Terraform paths go through the same Pulumi
// name mapping as an extracted schema, nested paths included, and a name
// the pinned schema lacks, or a malformed record, fails.
func TestRecordedSource(t *testing.T) {
	pt := &PulumiType{Type: "object", Properties: map[string]*PulumiType{
		"name": str(), "ami": str(), "userData": str(),
		"ebsBlockDevices": {Type: "array", Items: &PulumiType{Type: "object", Properties: map[string]*PulumiType{
			"deviceName": str(), "volumeSize": {Type: "integer"},
		}}},
	}}
	rec := func(paths ...string) Source {
		s := Source{Token: "aws:test/thing:Thing", Resource: "aws_test_thing", Kind: "recorded", Path: "internal/service/test/thing.go"}
		for _, p := range paths {
			p, cond, _ := strings.Cut(p, "?")
			computed := strings.HasSuffix(p, "+computed")
			s.Replaces = append(s.Replaces, RecordedAttr{Attribute: strings.TrimSuffix(p, "+computed"), Computed: computed, Conditional: cond})
		}
		return s
	}
	for _, tc := range []struct {
		name    string
		src     Source
		want    string
		wantErr string
	}{
		{"flat and nested", rec("name", "ami+computed", "ebs_block_device.device_name"), "ami(computed) ebsBlockDevices[].deviceName name", ""},
		{"nothing replaces", rec(), "", ""},
		{"conditional", rec("user_data?CustomizeDiff customdiff.ForceNewIf", "ami"), "ami userData(conditional: CustomizeDiff customdiff.ForceNewIf)", ""},
		{"not in the pinned schema, listed", func() Source {
			s := rec("ami", "placement_group_id+computed")
			s.NotInPinned = []string{"placement_group_id"}
			return s
		}(), "ami", ""},
		{"a name the pinned schema lacks", rec("brand_new"), "", `"brand_new" maps to no Pulumi property`},
		{"a nested name the pinned schema lacks", rec("ebs_block_device.throughput"), "", `"throughput" maps to no Pulumi property`},
		{"listed twice", rec("ami", "ami"), "", "listed twice"},
		{"below a replacing block", rec("ebs_block_device", "ebs_block_device.device_name"), "", "replaces already"},
		{"not a path", rec("ebs_block_device..device_name"), "", "not a dotted attribute path"},
		{"replaces on an extracted kind", func() Source { s := rec("ami"); s.Kind = "sdkv2"; return s }(), "", "kind recorded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// No file under the directory: a recorded source reads none.
			r, err := Resource(t.TempDir(), tc.src, map[string]*PulumiType{tc.src.Token: pt})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range r.Replaces {
				s := p.Path
				if p.Computed {
					s += "(computed)"
				}
				if p.Conditional {
					s += "(conditional: " + p.Reason + ")"
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("replaces %v, want %q", got, tc.want)
			}
			if r.Replaces == nil {
				t.Error("replaces is null, want an empty list")
			}
		})
	}
}
