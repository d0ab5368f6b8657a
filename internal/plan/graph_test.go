package plan

import (
	"testing"
)

func TestInputPath(t *testing.T) {
	r := Resource{Inputs: map[string]any{"a": map[string]any{"b": []any{"x", map[string]any{"c": 1}}}}}
	cases := []struct {
		path string
		want any
		ok   bool
	}{
		{"a.b[0]", "x", true},
		{"a.b[1].c", 1, true},
		{"a.b[2]", nil, false},
		{"a.z", nil, false},
		{"a.b[x]", nil, false},
		{"a.b.c", nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			got, ok := r.Input(tc.path)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("Input(%q) = %v, %v; want %v, %v", tc.path, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestDependsOn(t *testing.T) {
	g := NewGraph("s", "p", []Resource{
		{URN: "comp", Type: "mlops:x:X"},
		{URN: "child", Parent: "comp", Dependencies: []string{"leaf"}},
		{URN: "leaf"},
		{URN: "user", Dependencies: []string{"comp"}},
		{URN: "alone"},
	})
	cases := []struct {
		from, to string
		want     bool
	}{
		{"child", "leaf", true},
		{"user", "child", true},
		{"user", "leaf", true}, // through the component's child
		{"leaf", "child", false},
		{"alone", "leaf", false},
	}
	for _, tc := range cases {
		if got := g.DependsOn(tc.from, tc.to); got != tc.want {
			t.Errorf("DependsOn(%s, %s) = %v, want %v", tc.from, tc.to, got, tc.want)
		}
	}
	if c := g.Component(g.Resources[1]); c != "mlops:x:X" {
		t.Errorf("Component(child) = %q", c)
	}
}
