package tfreplace

import (
	"reflect"
	"testing"
)

func TestChanged(t *testing.T) {
	r := Resource{Replaces: []Path{
		{Path: "roleArn"},
		{Path: "amiType", Computed: true},
		{Path: "rules[].filter.prefix"},
		{Path: "encryptionConfig", Conditional: true},
	}}
	rule := func(prefix string) map[string]any {
		return map[string]any{"filter": map[string]any{"prefix": prefix}, "id": "x"}
	}
	for _, tc := range []struct {
		name       string
		olds, news map[string]any
		want       []string
	}{
		{"unchanged", map[string]any{"roleArn": "a"}, map[string]any{"roleArn": "a"}, nil},
		{"top-level change", map[string]any{"roleArn": "a"}, map[string]any{"roleArn": "b"}, []string{"roleArn"}},
		{"set where it was unset", map[string]any{}, map[string]any{"roleArn": "b"}, []string{"roleArn"}},
		{"computed left unset keeps the prior value", map[string]any{"amiType": "AL2"}, map[string]any{}, nil},
		{"computed changed", map[string]any{"amiType": "AL2"}, map[string]any{"amiType": "BOTTLEROCKET"}, []string{"amiType"}},
		{"nested in a list", map[string]any{"rules": []any{rule("a/")}}, map[string]any{"rules": []any{rule("b/")}}, []string{"rules[0].filter.prefix"}},
		{"a list element added", map[string]any{"rules": []any{rule("a/")}}, map[string]any{"rules": []any{rule("a/"), rule("b/")}}, []string{"rules[1].filter.prefix"}},
		{"conditional never replaces", map[string]any{}, map[string]any{"encryptionConfig": map[string]any{}}, nil},
	} {
		if got := r.Changed(tc.olds, tc.news); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: Changed = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestReplaces(t *testing.T) {
	changed := []string{"rules[0].filter.prefix", "vpcConfig.subnetIds"}
	for path, want := range map[string]bool{
		"rules":                          true,
		"vpcConfig.subnetIds":            true,
		"vpcConfig.endpointPublicAccess": false,
		"rulesX":                         false,
	} {
		if got := Replaces(changed, path); got != want {
			t.Errorf("Replaces(%q) = %v, want %v", path, got, want)
		}
	}
}

// Every entry of the committed table names its source and holds paths.
func TestEmbeddedTable(t *testing.T) {
	tab, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Resources) == 0 {
		t.Fatal("replaces.json holds no resource")
	}
	for tok, r := range tab.Resources {
		if r.Terraform == "" || r.Source == "" {
			t.Errorf("%s: no terraform resource or source", tok)
		}
	}
}
