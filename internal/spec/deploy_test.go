package spec

import (
	"errors"
	"testing"
)

// TestDeployKeys: backend and secretsProvider accept the URLs the
// deployer takes and reject anything else, naming the key; unset, the spec
// has neither (the plan document does not change).
func TestDeployKeys(t *testing.T) {
	tests := []struct {
		set, badKey string
	}{
		{"backend=s3://state-bucket/state?region=eu-west-1", ""},
		{"backend=file:///var/lib/mlops", ""},
		{"secretsProvider=awskms://alias/mlops-platform-state?region=eu-west-1", ""},
		{"secretsProvider=passphrase", ""},
		{"backend=https://api.pulumi.com", "backend"},
		{"backend=/tmp/state", "backend"},
		{"secretsProvider=hashivault://x", "secretsProvider"},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			_, _, err := resolveWith(t, "dev", devCidrs, tt.set)
			var errs Errors
			switch {
			case tt.badKey == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tt.badKey != "" && (!errors.As(err, &errs) || errs[0].Path != tt.badKey):
				t.Fatalf("error %v, want one naming %s", err, tt.badKey)
			}
		})
	}
	s, _, err := resolveWith(t, "prod", prodCert)
	if err != nil || s.Backend != "" || s.SecretsProvider != "" {
		t.Errorf("prod defaults: backend %q, secrets %q, %v", s.Backend, s.SecretsProvider, err)
	}
}
