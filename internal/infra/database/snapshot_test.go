package database

import (
	"regexp"
	"testing"
)

// TestReplacementFingerprint (review #18): a replacement under the same
// data key (a new master username, say) gives its final snapshot another
// name than the replaced instance's, which RDS kept; the same inputs give
// the same name, so previews stay stable.
func TestReplacementFingerprint(t *testing.T) {
	base := []string{"mlops-platform-prod-mlflow", "postgres", "mlflow_admin", "mlflow", "storageEncrypted=true"}
	same := ReplacementFingerprint(append([]string{}, base...))
	if got := ReplacementFingerprint(base); got != same {
		t.Errorf("fingerprint not stable: %s then %s", same, got)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}$`).MatchString(same) {
		t.Errorf("fingerprint %q is not 8 hex digits", same)
	}
	for i := range base {
		changed := append([]string{}, base...)
		changed[i] += "2"
		if ReplacementFingerprint(changed) == same {
			t.Errorf("changing %q keeps the fingerprint", base[i])
		}
	}
	// Joined values must not alias: ("ab","c") vs ("a","bc").
	if ReplacementFingerprint([]string{"ab", "c"}) == ReplacementFingerprint([]string{"a", "bc"}) {
		t.Error("fingerprints of different value lists collide")
	}
}
