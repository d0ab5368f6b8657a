package policy

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// referencePath is the repository's copy of the reference list of controls
// (provenance in third_party/reference/README.md).
var referencePath = filepath.Join("..", "..", "third_party", "reference", "security-controls.md")

// referenceRow is one numbered row of the reference list.
type referenceRow struct {
	n   int
	ids []string // the public control IDs, expanded (see expandIDs)
}

// readReference reads the numbered rows of the reference list's tables.
func readReference(t *testing.T) []referenceRow {
	t.Helper()
	f, err := os.Open(referencePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	row := regexp.MustCompile(`^\| (\d+) \| ([^|]*) \|`)
	var rows []referenceRow
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := row.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, referenceRow{n: n, ids: expandIDs(m[2])})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 50 {
		t.Fatalf("read only %d rows from %s: the table format changed", len(rows), referencePath)
	}
	return rows
}

// expandIDs spells out the reference's abbreviated ID column as the
// catalogue lists IDs: "SH IAM.1, IAM.21; CKV_AWS_62/63" is SH IAM.1,
// SH IAM.21, CKV_AWS_62 and CKV_AWS_63; "SH Autoscaling.2 / .6" is
// SH Autoscaling.2 and SH Autoscaling.6; "(NIST)" notes are dropped.
// A group that is not a list of IDs (a requirement's name) is kept as text.
func expandIDs(col string) []string {
	col = regexp.MustCompile(`\s*\([^)]*\)`).ReplaceAllString(col, "")
	var out []string
	for _, group := range strings.Split(col, ";") {
		group = strings.TrimSpace(group)
		scheme, rest, ok := strings.Cut(group, " ")
		if !ok || !slices.Contains([]string{"SH", "CIS", "TV"}, scheme) {
			scheme, rest = "", group
		}
		if scheme == "" && !strings.HasPrefix(group, "CKV") {
			out = append(out, group)
			continue
		}
		prev := ""
		for _, id := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == '/' }) {
			for _, id := range expandRange(inherit(prev, strings.TrimSpace(id))) {
				prev = id
				if scheme != "" {
					id = scheme + " " + id
				}
				out = append(out, id)
			}
		}
	}
	return out
}

// inherit completes an abbreviated ID from the one before it: ".6" after
// "Autoscaling.2" is "Autoscaling.6"; a number replaces as many trailing
// digits of the one before ("63" after "CKV_AWS_62" is "CKV_AWS_63", "87"
// after "AWS-0086" is "AWS-0087"), or all of them ("260" after
// "CKV_AWS_25" is "CKV_AWS_260"); "5.5.1" after "4.1.7" stays.
func inherit(prev, id string) string {
	if prev == "" || id == "" || !strings.ContainsAny(id[:1], ".0123456789") {
		return id
	}
	if strings.HasPrefix(id, ".") {
		stem, _, _ := strings.Cut(prev, ".")
		return stem + id
	}
	if strings.Contains(id, ".") {
		return id
	}
	digits := prev[strings.LastIndexAny(prev, "_-.")+1:]
	keep := len(prev) - len(digits)
	if len(id) < len(digits) {
		keep = len(prev) - len(id)
	}
	return prev[:keep] + id
}

// expandRange spells out "CKV_AWS_53-56" as CKV_AWS_53 to CKV_AWS_56.
func expandRange(id string) []string {
	m := regexp.MustCompile(`^(.*\D)(\d+)-(\d+)$`).FindStringSubmatch(id)
	if m == nil {
		return []string{id}
	}
	from, _ := strconv.Atoi(m[2])
	to, _ := strconv.Atoi(m[3])
	var out []string
	for n := from; n <= to; n++ {
		out = append(out, m[1]+strconv.Itoa(n))
	}
	return out
}

func TestExpandIDs(t *testing.T) {
	for col, want := range map[string][]string{
		"SH EKS.1; CIS 5.4.2; CKV_AWS_39; TV AWS-0040":        {"SH EKS.1", "CIS 5.4.2", "CKV_AWS_39", "TV AWS-0040"},
		"SH IAM.1, IAM.21; CKV_AWS_62/63; TV AWS-0057":        {"SH IAM.1", "SH IAM.21", "CKV_AWS_62", "CKV_AWS_63", "TV AWS-0057"},
		"SH Autoscaling.2 / .6":                               {"SH Autoscaling.2", "SH Autoscaling.6"},
		"SH EKS.3 (NIST); CIS 5.3.1":                          {"SH EKS.3", "CIS 5.3.1"},
		"CIS 4.1.7 / 5.5.1":                                   {"CIS 4.1.7", "CIS 5.5.1"},
		"SH EC2.170, Autoscaling.3; TV AWS-0028/0130":         {"SH EC2.170", "SH Autoscaling.3", "TV AWS-0028", "TV AWS-0130"},
		"SH EC2.18 / .19; CKV_AWS_24/25/260/277; TV AWS-0107": {"SH EC2.18", "SH EC2.19", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CKV_AWS_277", "TV AWS-0107"},
		"CKV2_AWS_35; reliability":                            {"CKV2_AWS_35", "reliability"},
		"EKS private-endpoint requirement":                    {"EKS private-endpoint requirement"},
	} {
		if got := expandIDs(col); !slices.Equal(got, want) {
			t.Errorf("expandIDs(%q) = %q, want %q", col, got, want)
		}
	}
}

// TestCatalogueCoversTheReference counts against the reference file, not
// against a number of its own: every row of
// third_party/reference/security-controls.md is in the catalogue, with the
// row's public IDs, implemented or with a reason; the catalogue numbers no
// row the reference lacks; and the report's counts are the file's.
func TestCatalogueCoversTheReference(t *testing.T) {
	rows := readReference(t)
	if ReferenceRows != len(rows) {
		t.Errorf("ReferenceRows is %d, the reference has %d rows", ReferenceRows, len(rows))
	}
	seen := map[string]bool{}
	implemented := 0
	for _, c := range Catalogue {
		if seen[c.ID] {
			t.Errorf("control %s listed twice", c.ID)
		}
		seen[c.ID] = true
		if isReferenceRow(c.ID) && c.Implemented() {
			implemented++
		}
	}
	inReference := map[string]bool{}
	for _, r := range rows {
		id := strconv.Itoa(r.n)
		inReference[id] = true
		c, ok := lookup(id)
		if !ok {
			t.Errorf("reference row %d is neither implemented nor listed with a reason", r.n)
			continue
		}
		if !slices.Equal(c.IDs, r.ids) {
			t.Errorf("control %s lists IDs %q, the reference %q", id, c.IDs, r.ids)
		}
	}
	for _, c := range Catalogue {
		if isReferenceRow(c.ID) && !inReference[c.ID] {
			t.Errorf("control %s is numbered as a reference row the reference does not have", c.ID)
		}
	}
	r := evaluate(t, baseDoc(t, "prod"), Options{})
	if r.Implemented != implemented || r.ReferenceRows != len(rows) {
		t.Errorf("report counts %d of %d, catalogue %d of %d reference rows", r.Implemented, r.ReferenceRows, implemented, len(rows))
	}
	for _, x := range r.Results {
		if _, ok := lookup(x.Control); !ok {
			t.Errorf("built-in policy emits control %q, which the catalogue lacks", x.Control)
		}
	}
}
