package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a TB that keeps what Check reports.
type recorder struct {
	errors, fatals []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(format, args...))
}

func lines(n int, change map[int]string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if s, ok := change[i]; ok {
			b.WriteString(s)
			continue
		}
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.String()
}

// TestCheckPrintsEveryChangedLine: two changes far apart both show, as a
// unified diff with their hunks, not only the first differing line.
func TestCheckPrintsEveryChangedLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.golden")
	if err := os.WriteFile(path, []byte(lines(40, nil)), 0o644); err != nil {
		t.Fatal(err)
	}
	got := lines(40, map[int]string{5: "line five\n", 30: "", 35: "line 35\nadded\n"})
	var r recorder
	Check(&r, path, []byte(got), false, "go test -update")
	if len(r.errors) != 1 || len(r.fatals) != 0 {
		t.Fatalf("reported %q, fatal %q; want one error", r.errors, r.fatals)
	}
	for _, want := range []string{
		"--- " + path, "+++ output", "@@ -2,7 +2,7 @@", "-line 5\n", "+line five\n",
		"-line 30\n", "+added\n", " line 34\n", "go test -update",
	} {
		if !strings.Contains(r.errors[0], want) {
			t.Errorf("the report lacks %q:\n%s", want, r.errors[0])
		}
	}
	if strings.Contains(r.errors[0], " line 20\n") {
		t.Errorf("the report shows unchanged line 20, far from any change:\n%s", r.errors[0])
	}
}

func TestCheckAgreesAndUpdates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	var r recorder
	Check(&r, path, []byte("a\n"), false, "rerun")
	if len(r.fatals) != 1 || !strings.Contains(r.fatals[0], "rerun") {
		t.Errorf("a missing file: %q, want a fatal naming the rerun command", r.fatals)
	}
	r = recorder{}
	Check(&r, path, []byte("a\n"), true, "rerun")
	Check(&r, path, []byte("a\n"), false, "rerun")
	if len(r.errors)+len(r.fatals) != 0 {
		t.Errorf("after -update the same output differs: %q %q", r.errors, r.fatals)
	}
}

func TestDiffIsCut(t *testing.T) {
	d := Diff("x", []byte(lines(1000, nil)), []byte(strings.ReplaceAll(lines(1000, nil), "line", "LINE")))
	if n := strings.Count(d, "\n"); n != MaxDiffLines+1 || !strings.Contains(d, "more diff lines") {
		t.Errorf("diff of 2000 changed lines printed %d lines:\n%s", n, d[len(d)-80:])
	}
}
