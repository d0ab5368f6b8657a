package deploy

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestApproval(t *testing.T) {
	tests := []struct {
		name         string
		a            Approval
		input        string
		ok, prompted bool
	}{
		{"dev needs none", Approval{}, "", true, false},
		{"prod --yes", Approval{Required: true, Yes: true}, "", true, false},
		{"prod off a terminal", Approval{Required: true}, "y\n", false, false},
		{"prod yes", Approval{Required: true, TTY: true}, "y\n", true, true},
		{"prod YES", Approval{Required: true, TTY: true}, "YES\n", true, true},
		{"prod no", Approval{Required: true, TTY: true}, "n\n", false, true},
		{"prod empty", Approval{Required: true, TTY: true}, "\n", false, true},
		{"prod EOF", Approval{Required: true, TTY: true}, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			tt.a.In, tt.a.Out = strings.NewReader(tt.input), &out
			err := tt.a.Ask(context.Background(), "Deploy?")
			var declined *DeclinedError
			if tt.ok != (err == nil) || (!tt.ok && !errors.As(err, &declined)) {
				t.Fatalf("Ask: %v", err)
			}
			if prompted := strings.Contains(out.String(), "Deploy? [y/N]"); prompted != tt.prompted {
				t.Errorf("prompted %v (%q), want %v", prompted, out.String(), tt.prompted)
			}
		})
	}
}
