package spec

import "testing"

func TestInstanceArch(t *testing.T) {
	cases := map[string]Arch{
		"m5.xlarge": ArchX86, "m7g.xlarge": ArchARM, "c6gn.4xlarge": ArchARM, "t4g.medium": ArchARM,
		"g4dn.xlarge": ArchX86, "g5g.xlarge": ArchARM, "im4gn.large": ArchARM, "m7i-flex.large": ArchX86,
		"c5a.4xlarge": ArchX86, "p5.48xlarge": ArchX86, "inf2.xlarge": ArchX86,
	}
	for typ, want := range cases {
		if got := InstanceArch(typ); got != want {
			t.Errorf("InstanceArch(%s) = %s, want %s", typ, got, want)
		}
	}
	if _, ok := GroupArch([]string{"m7g.xlarge", "m5.xlarge"}); ok {
		t.Error("a mixed group was accepted")
	}
}

func TestGroupAccelerator(t *testing.T) {
	cases := []struct {
		types []string
		want  string
	}{
		{[]string{"m5.xlarge"}, ""},
		{[]string{"g4dn.xlarge"}, "nvidia-tesla-t4"},
		{[]string{"g4dn.xlarge", "g5.xlarge"}, "nvidia"},
	}
	for _, tc := range cases {
		if got := GroupAccelerator(tc.types); got != tc.want {
			t.Errorf("GroupAccelerator(%v) = %q, want %q", tc.types, got, tc.want)
		}
	}
}
