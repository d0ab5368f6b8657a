package deployer

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
		{"kms:ReEncryptAll*", false}, {"sqs:SendMessage", false}, {"iam", false},
	} {
		if got := inReference(ref, c.action); got != c.want {
			t.Errorf("%s: in reference %v, want %v", c.action, got, c.want)
		}
	}
}
