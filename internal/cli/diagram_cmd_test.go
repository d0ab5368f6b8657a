package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiagramGolden pins the DOT text of the dev and prod diagrams.
func TestDiagramGolden(t *testing.T) {
	for _, name := range []string{"dev", "prod"} {
		t.Run(name, func(t *testing.T) {
			out, _, err := run(t, "diagram", "--dir", repoRoot(), "--stack", name)
			if err != nil {
				t.Fatalf("diagram --stack %s: %v", name, err)
			}
			golden(t, "diagram-"+name, out)
		})
	}
}

func TestDiagramFiles(t *testing.T) {
	diagramFiles(t, []diagramFileCase{
		{"prod.txt", "dot", func(t *testing.T, b []byte) {
			if !strings.HasPrefix(string(b), `digraph "mlops-platform prod"`) {
				t.Errorf("not DOT: %.40q", b)
			}
		}},
	})
}

// diagramFileCase is one --file and what it must hold.
type diagramFileCase struct {
	file, format string
	check        func(t *testing.T, b []byte)
}

// diagramFiles writes the prod diagram to each case's file and checks it.
func diagramFiles(t *testing.T, cases []diagramFileCase) {
	t.Helper()
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(dir, c.file)
			args := []string{"diagram", "--dir", repoRoot(), "--stack", "prod", "--file", path}
			if c.format != "" {
				args = append(args, "-o", c.format)
			}
			out, _, err := run(t, args...)
			if err != nil {
				t.Fatal(err)
			}
			if out != "" {
				t.Errorf("wrote %d bytes to stdout with --file", len(out))
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, b)
		})
	}
}

func TestDiagramErrors(t *testing.T) {
	missingDir := filepath.Join(t.TempDir(), "no", "such", "dir", "d.dot")
	cases := []struct {
		name string
		args []string
		code int
		// says is a part of the error message.
		says string
	}{
		{"no stack", []string{"diagram"}, ExitUsage, "--stack"},
		{"unknown extension", []string{"diagram", "--stack", "prod", "--file", "d.pdf"}, ExitUsage, `".pdf"`},
		{"no extension", []string{"diagram", "--stack", "prod", "--file", "diagram"}, ExitUsage, "extension"},
		{"unknown format", []string{"diagram", "--stack", "prod", "-o", "jpeg"}, ExitUsage, "jpeg"},
		{"-o is the format, not a file", []string{"diagram", "--stack", "prod", "-o", "json"}, ExitUsage, `"json"`},
		{"--format is gone", []string{"diagram", "--stack", "prod", "--format", "svg"}, ExitUsage, "--format"},
		{"format contradicts extension", []string{"diagram", "--stack", "prod", "-o", "svg", "--file", "d.png"}, ExitUsage, "contradicts"},
		{"stray argument", []string{"diagram", "--stack", "prod", "extra"}, ExitUsage, "extra"},
		{"invalid config", []string{"diagram", "--stack", "prod", "--set", "logRetentionDays=31"}, ExitInvalidConfig, "logRetentionDays"},
		{"unwritable file", []string{"diagram", "--stack", "dev", "--file", missingDir}, ExitError, "writing the diagram"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := run(t, append(c.args, "--dir", repoRoot())...)
			if code := ExitCode(err); code != c.code {
				t.Fatalf("exit code %d (%v), want %d", code, err, c.code)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q does not say %q", err, c.says)
			}
		})
	}
}
