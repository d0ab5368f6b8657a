package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// run executes mlops with args and returns stdout, stderr and the error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Streams: Streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, Now: func() time.Time { return testNow }}
	err := Run(context.Background(), env, args)
	return out.String(), errOut.String(), err
}

func TestPlanUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"no stack", []string{"plan"}},
		{"bad output", []string{"plan", "--stack", "prod", "--output", "yaml"}},
		{"unknown flag", []string{"plan", "--stack", "prod", "--frobnicate"}},
		{"stray argument", []string{"plan", "--stack", "prod", "extra"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := run(t, tc.args...)
			if code := ExitCode(err); code != ExitUsage {
				t.Errorf("exit code %d (%v), want %d", code, err, ExitUsage)
			}
		})
	}
}

func TestPlanInvalidConfig(t *testing.T) {
	_, _, err := run(t, "plan", "--dir", repoRoot(), "--stack", "prod", "--set", "logRetentionDays=31", "--set", "nodeGroups.gpu.bogus=1")
	if code := ExitCode(err); code != ExitInvalidConfig {
		t.Fatalf("exit code %d (%v), want %d", code, err, ExitInvalidConfig)
	}
	for _, key := range []string{"logRetentionDays", "nodeGroups.gpu.bogus"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error does not name %s: %v", key, err)
		}
	}
}

func TestPlanOptionsCaptured(t *testing.T) {
	var got PlanOptions
	cmd := newPlanCommand(Env{}, func(o PlanOptions) { got = o })
	cmd.SetArgs([]string{"--stack", "dev", "--set", "a=1", "--set", "b.c=[x, y]", "-o", "json", "--dir", "/tmp"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Stack != "dev" || got.Output != "json" || got.Dir != "/tmp" || len(got.Sets) != 2 || got.Sets[1] != "b.c=[x, y]" {
		t.Errorf("parsed %+v", got)
	}
}

func TestPlanJSONDocument(t *testing.T) {
	out, _, err := run(t, "plan", "--dir", repoRoot(), "--stack", "dev", "--output", "json")
	if err != nil {
		t.Fatalf("plan --stack dev: %v", err)
	}
	var doc struct {
		Stack     string `json:"stack"`
		Project   string `json:"project"`
		Resources []struct {
			URN          string         `json:"urn"`
			Type         string         `json:"type"`
			Name         string         `json:"name"`
			Parent       string         `json:"parent"`
			Inputs       map[string]any `json:"inputs"`
			Dependencies []string       `json:"dependencies"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if doc.Stack != "dev" || doc.Project != "mlops-platform" || len(doc.Resources) < 50 {
		t.Fatalf("stack=%q project=%q resources=%d", doc.Stack, doc.Project, len(doc.Resources))
	}
	var cluster bool
	for _, r := range doc.Resources {
		if r.URN == "" || r.Type == "" || r.Name == "" || r.Inputs == nil || r.Dependencies == nil {
			t.Errorf("incomplete resource %+v", r)
		}
		if r.Type == typetoken.Cluster {
			cluster = true
			vpc, _ := r.Inputs["vpcConfig"].(map[string]any)
			if vpc["endpointPublicAccess"] != true {
				t.Errorf("wire name vpcConfig.endpointPublicAccess missing: %v", r.Inputs)
			}
		}
	}
	if !cluster {
		t.Error("no cluster in the document")
	}
}

func TestPlanTable(t *testing.T) {
	out, _, err := run(t, "plan", "--dir", repoRoot(), "--stack", "prod", "--set", "ingress.certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")
	if err != nil {
		t.Fatalf("plan --stack prod: %v", err)
	}
	for _, want := range []string{"network:Network", typetoken.NatGateway, "EKS Endpoint", "Private only", "One per AZ (3)", "3 (min)", "m5.xlarge/m5a.xlarge/m6i.xlarge"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

// TestPlanWithoutStackFileUsesDefaults: the bare prod profile has no
// certificate, so its plan passes with controls 52 and 53 pending on
// ingress.certificateArn; a failing mandatory control denies the plan.
func TestPlanWithoutStackFileUsesDefaults(t *testing.T) {
	dir := t.TempDir()
	_, _, err := run(t, "plan", "--dir", dir, "--stack", "prod")
	if code := ExitCode(err); code != ExitInvalidConfig || !strings.Contains(err.Error(), "Pulumi.prod.yaml: not found in "+dir) {
		t.Fatalf("without the stack file or --defaults: exit code %d (%v), want %d naming the file and %s", code, err, ExitInvalidConfig, dir)
	}
	out, stderr, err := run(t, "plan", "--dir", t.TempDir(), "--stack", "prod", "--output", "json", "--defaults")
	if code := ExitCode(err); code != ExitOK {
		t.Fatalf("exit code %d (%v), want %d: pending controls do not deny the offline plan", code, err, ExitOK)
	}
	if !strings.Contains(stderr, "no stack configuration file") {
		t.Errorf("the fallback to profile defaults is not logged: %q", stderr)
	}
	if !strings.Contains(out, `"resources"`) || !strings.Contains(out, `"needs": "ingress.certificateArn"`) {
		t.Errorf("want the plan printed with results pending on ingress.certificateArn")
	}
	_, _, err = run(t, "plan", "--dir", t.TempDir(), "--stack", "prod", "--output", "json", "--defaults", "--set", "natGatewayPerAz=false")
	if code := ExitCode(err); code != ExitPolicyDenied || !strings.Contains(err.Error(), "29") {
		t.Fatalf("single NAT gateway in prod: exit code %d (%v), want %d naming control 29", code, err, ExitPolicyDenied)
	}
}

// TestStackFileKeysNotRead: through the real command, a key of the stack
// file the program does not read is invalid configuration (exit 3) naming
// the key meant.
func TestStackFileKeysNotRead(t *testing.T) {
	dir := t.TempDir()
	file := "config:\n  mlops-platform:clusterEndpointPublicAccessCidrs: [198.51.100.0/24]\n  aws:region: us-east-1\n" +
		"  kserveIngressDomain: typo.example.com\n  mlops-platform:logRetentionDay: 30\n"
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.dev.yaml"), []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := run(t, "plan", "--stack", "dev", "--dir", dir)
	if code := ExitCode(err); code != ExitInvalidConfig {
		t.Fatalf("exit code %d (%v), want %d", code, err, ExitInvalidConfig)
	}
	for _, want := range []string{`aws:region: not read`, `(did you mean "mlops-platform:region"?)`,
		`kserveIngressDomain: a key without a namespace is not read (did you mean "mlops-platform:kserveIngressDomain"?)`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.dev.yaml"), []byte("config:\n  mlops-platform:clusterEndpointPublicAccessCidrs: [198.51.100.0/24]\n"+
		"  mlops-platform:logRetentionDay: 30\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err = run(t, "plan", "--stack", "dev", "--dir", dir)
	if code := ExitCode(err); code != ExitInvalidConfig || !strings.Contains(err.Error(), `logRetentionDay: unknown key (did you mean "logRetentionDays"?)`) {
		t.Errorf("misspelt key: exit code %d (%v), want %d with did you mean", code, err, ExitInvalidConfig)
	}
}
