package deployerpolicy

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// serviceAuthorization reads the vendored action names of the AWS Service
// Authorization Reference (third_party/aws-service-authorization), by
// service prefix.
func serviceAuthorization(t *testing.T) map[string]map[string]bool {
	t.Helper()
	dir := filepath.Join(stacktest.RepoRoot(), "third_party", "aws-service-authorization")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no action lists in %s: %v", dir, err)
	}
	ref := map[string]map[string]bool{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		prefix := strings.TrimSuffix(filepath.Base(f), ".txt")
		ref[prefix] = map[string]bool{}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			ref[prefix][strings.ToLower(sc.Text())] = true
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return ref
}

// inReference reports whether action names at least one action of the
// reference: IAM matches action names case-insensitively, and a wildcard
// must match something.
func inReference(ref map[string]map[string]bool, action string) bool {
	prefix, name, ok := strings.Cut(action, ":")
	actions := ref[strings.ToLower(prefix)]
	if !ok || actions == nil {
		return false
	}
	if !strings.ContainsAny(name, "*?") {
		return actions[strings.ToLower(name)]
	}
	for a := range actions {
		if glob(strings.ToLower(name), a) {
			return true
		}
	}
	return false
}

func glob(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if glob(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && glob(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && glob(pattern[1:], s[1:])
}

// TestActionsAreInTheServiceAuthorizationReference checks every action the
// generated policy grants, for every stack, and every action of the table,
// the invokes and the day-2 operations, against AWS's reference.
func TestActionsAreInTheServiceAuthorizationReference(t *testing.T) {
	ref := serviceAuthorization(t)
	seen := map[string]string{}
	for stack, g := range stackGraphs(t) {
		for _, p := range build(t, g).Policies {
			for _, s := range p.Document.Statement {
				for _, a := range s.Action {
					seen[a] = stack + " " + s.Sid
				}
			}
		}
	}
	for typ, row := range Table {
		for _, a := range row.All() {
			seen[a] = typ
		}
	}
	for typ, actions := range Invokes {
		for _, a := range actions {
			seen[a] = typ
		}
	}
	for _, op := range Day2Operations {
		for _, a := range OperationActions(op) {
			seen[a] = op
		}
	}
	for a, where := range seen {
		if !inReference(ref, a) {
			t.Errorf("%s (%s) is not an action of the Service Authorization Reference", a, where)
		}
	}
	t.Logf("%d actions checked", len(seen))
}

// TestReferenceCheckRefuses shows the check refusing names IAM does not
// know, which a pattern would accept.
func TestReferenceCheckRefuses(t *testing.T) {
	ref := serviceAuthorization(t)
	for _, c := range []struct {
		action string
		want   bool
	}{
		{"ec2:DescribeImages", true}, {"kms:ReEncrypt*", true}, {"S3:getobject", true},
		{"s3:GetBucketEncryption", false}, {"s3:ListObjectVersions", false}, {"ec2:DescribeImage", false},
		{"kms:ReEncryptAll*", false}, {"mq:CreateBroker", false}, {"iam", false},
	} {
		if got := inReference(ref, c.action); got != c.want {
			t.Errorf("%s: in reference %v, want %v", c.action, got, c.want)
		}
	}
}

// conditionKeys reads, per action ("prefix:Action", lower case), the
// condition keys the reference lists for it: its own, and those of the
// resource types it names.
func conditionKeys(t *testing.T) map[string][]string {
	t.Helper()
	dir := filepath.Join(stacktest.RepoRoot(), "third_party", "aws-service-authorization")
	files, err := filepath.Glob(filepath.Join(dir, "*.conditions.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no condition key lists in %s: %v", dir, err)
	}
	out := map[string][]string{}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		prefix := strings.TrimSuffix(filepath.Base(file), ".conditions.txt")
		uses, resource := map[string][]string{}, map[string][]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			col := strings.Fields(line)
			if len(col) != 3 {
				t.Fatalf("%s: bad line %q", filepath.Base(file), line)
			}
			action := strings.ToLower(prefix + ":" + col[1])
			switch col[0] {
			case "action":
				out[action] = append(out[action], col[2])
			case "uses":
				uses[action] = append(uses[action], col[2])
			case "resource":
				resource[col[1]] = append(resource[col[1]], col[2])
			}
		}
		for action, types := range uses {
			for _, typ := range types {
				out[action] = append(out[action], resource[typ]...)
			}
		}
	}
	return out
}

// keyAllowed reports whether key is one of listed, where a listed
// "${TagKey}" or "tag-key" stands for any tag key. Keys are
// case-insensitive.
func keyAllowed(listed []string, key string) bool {
	key = strings.ToLower(key)
	for _, l := range listed {
		l = strings.ToLower(l)
		for _, v := range []string{"${tagkey}", "tag-key"} {
			if p, ok := strings.CutSuffix(l, v); ok && strings.HasPrefix(key, p) && len(key) > len(p) {
				return true
			}
		}
		if l == key {
			return true
		}
	}
	return false
}

// TestConditionKeysApplyToTheirActions checks every condition key of every
// statement against the keys the reference lists for each of the
// statement's actions: a key AWS never sets for an action makes the
// statement deny silently (or, negated, allow).
func TestConditionKeysApplyToTheirActions(t *testing.T) {
	keys := conditionKeys(t)
	checked := 0
	for stack, g := range stackGraphs(t) {
		for _, p := range build(t, g).Policies {
			for _, s := range p.Document.Statement {
				for _, byKey := range s.Condition {
					for key := range byKey {
						for _, a := range s.Action {
							checked++
							if !keyAllowed(keys[strings.ToLower(a)], key) {
								t.Errorf("%s %s: the reference lists no condition key %s for %s", stack, s.Sid, key, a)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d (statement, action, key) triples checked", checked)
	if !keyAllowed(keys["kms:putkeypolicy"], "kms:ResourceAliases") || keyAllowed(keys["kms:putkeypolicy"], "kms:GrantIsForAWSResource") {
		t.Error("the reference's keys for kms:PutKeyPolicy are not read as expected")
	}
}
