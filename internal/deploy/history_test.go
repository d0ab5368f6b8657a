package deploy

import (
	"slices"
	"strconv"
	"testing"
)

// TestRecordRoundTrip: a record survives the update message, plain or
// quoted the way the Pulumi CLI hands it back; other messages hold none.
func TestRecordRoundTrip(t *testing.T) {
	r := Record{By: "alice", Command: "mlops up --stack dev --set logRetentionDays=14", Config: map[string]string{"logRetentionDays": "14"}}
	msg, err := r.Message()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, msg string
		ok        bool
	}{
		{"plain", msg, true},
		{"quoted by the CLI", strconv.Quote(msg), true},
		{"pulumi up -m", "fix the bucket policy", false},
		{"broken record", "x\n" + recordPrefix + "{", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseRecord(tt.msg)
			if ok != tt.ok || (ok && (got.By != r.By || got.Command != r.Command || got.Config["logRetentionDays"] != "14")) {
				t.Errorf("ParseRecord = %+v, %v; want %v", got, ok, tt.ok)
			}
		})
	}
}

func TestChanged(t *testing.T) {
	tests := []struct {
		name     string
		old, new map[string]string
		want     []string
	}{
		{"same", map[string]string{"a": "1"}, map[string]string{"a": "1"}, nil},
		{"changed, added, removed", map[string]string{"a": "1", "b": "2"}, map[string]string{"a": "3", "c": "4"},
			[]string{"a: 1 → 3", "b: 2 → (unset)", "c: (unset) → 4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Changed(tt.old, tt.new); !slices.Equal(got, tt.want) {
				t.Errorf("Changed = %q, want %q", got, tt.want)
			}
		})
	}
}
