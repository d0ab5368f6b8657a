package fluentbitconf

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	text := "@INCLUDE other.conf\n# comment\n[INPUT]\n    Name    systemd\n    Systemd_Filter\t_SYSTEMD_UNIT=kubelet.service\n" +
		"    systemd_filter  _SYSTEMD_UNIT=containerd.service\n\n[output]\n  Name cloudwatch_logs\n  Match dataplane.*\n"
	got, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	inputs := Of(got, "INPUT")
	if len(got) != 2 || len(inputs) != 1 || len(Of(got, "OUTPUT")) != 1 {
		t.Fatalf("sections: %+v", got)
	}
	if n := inputs[0].Get("name"); n != "systemd" {
		t.Errorf("Name = %q, want systemd", n)
	}
	want := []string{"_SYSTEMD_UNIT=kubelet.service", "_SYSTEMD_UNIT=containerd.service"}
	if f := inputs[0].All("Systemd_Filter"); !reflect.DeepEqual(f, want) {
		t.Errorf("Systemd_Filter = %q, want %q (keys are case-insensitive, tabs separate)", f, want)
	}
	if p := inputs[0].Get("Path"); p != "" {
		t.Errorf("unset Path = %q, want empty", p)
	}
}

func TestParseRefusesEntriesOutsideSections(t *testing.T) {
	if _, err := Parse("Name tail\n[INPUT]\n"); err == nil {
		t.Fatal("a key before any section was accepted")
	}
}
