package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartupDoesNotProbeTheTerminal runs the built binary on a
// pseudo-terminal that never answers (util-linux script): before
// internal/termprobe, bubbletea's init made termenv write an OSC 11
// background-colour query there and wait 5 s for an answer.
func TestStartupDoesNotProbeTheTerminal(t *testing.T) {
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Skip("no script(1) to give the binary a pseudo-terminal")
	}
	bin := filepath.Join(t.TempDir(), "mlops")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(scriptBin, "-qec", bin+" version", "/dev/null")
	cmd.Env = append(cmd.Environ(), "TERM=xterm-256color")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s version on a pseudo-terminal: %v\n%q", bin, err, out.String())
	}
	if strings.Contains(out.String(), "\x1b]11;?") || strings.Contains(out.String(), "\x1b[6n") {
		t.Errorf("the binary queried the terminal at start-up: %q", out.String())
	}
	if !strings.Contains(out.String(), "pulumi sdk") {
		t.Errorf("version printed %q", out.String())
	}
}
