package termprobe

import (
	"os"
	"testing"
)

// TestRestore: init left TERM=dumb; Restore puts back the value it
// replaced, or unsets a TERM that was not set, once.
func TestRestore(t *testing.T) {
	if got := os.Getenv("TERM"); got != "dumb" || !replaced {
		t.Fatalf("after init TERM=%q (replaced %v), want dumb", got, replaced)
	}
	for _, tc := range []struct {
		name  string
		had   bool
		value string
	}{{"set", true, "xterm-256color"}, {"unset", false, ""}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("TERM", "dumb")
			saved, hadTERM, replaced = tc.value, tc.had, true
			Restore()
			got, ok := os.LookupEnv("TERM")
			if ok != tc.had || got != tc.value {
				t.Errorf("TERM=%q (set %v), want %q (set %v)", got, ok, tc.value, tc.had)
			}
			_ = os.Setenv("TERM", "vt100")
			Restore()
			if os.Getenv("TERM") != "vt100" {
				t.Error("a second Restore changed TERM again")
			}
		})
	}
}
