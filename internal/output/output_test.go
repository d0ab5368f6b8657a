package output

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteTable(t *testing.T) {
	var b bytes.Buffer
	err := WriteTable(&b,
		Section{Title: []string{"Title", ""}, Header: []string{"A", "LONG HEADER", "C"}, Rows: [][]string{{"xxxx", "y", "z"}}},
		Section{},
		Section{Title: []string{"NOTES"}, Lines: []string{"- one"}},
	)
	if err != nil {
		t.Fatal(err)
	}
	want := "Title\n\nA     LONG HEADER  C\nxxxx  y            z\n\nNOTES\n- one\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

func TestWriteJSONAndCheck(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, JSON, map[string]int{"a": 1}, nil); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(b.String()) != "{\n  \"a\": 1\n}" {
		t.Errorf("JSON %q", b.String())
	}
	for _, f := range []string{Table, JSON} {
		if err := Check(f); err != nil {
			t.Errorf("Check(%s): %v", f, err)
		}
	}
	if err := Check("yaml"); err == nil {
		t.Error("Check(yaml) accepted")
	}
}
