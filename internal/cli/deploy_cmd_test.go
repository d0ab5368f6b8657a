package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/ekstoken"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/testing/pulumitest"
)

// offlineCert is the offline and fake accounts' certificate.
const offlineCert = "ingress.certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

// engineCLI runs deploy commands against the real Pulumi engine and the
// fake AWS provider, over one file:// backend with passphrase secrets
// (prod included: the test replaces S3 and KMS, not the gate or approval).
type engineCLI struct {
	t     *testing.T
	tools pulumitest.Tools
	dir   string
	// fail is MLOPS_FAKE_AWS_FAIL for the next runs.
	fail string
	// stackDir holds the Pulumi.<stack>.yaml files: by default a copy of
	// the repository's with dev's public-access placeholder set
	// (stackDirCopy; up writes its --set into them).
	stackDir string
	// tty makes the streams a terminal whose input is in.
	tty bool
	in  string
	// stackAWS answers the deploy preflight's AWS calls (a fake ACM
	// holding offlineCert).
	stackAWS func(context.Context, ekstoken.Options) (aws.Config, error)
	// vars are added to the engine's environment (MLOPS_FAKE_AWS_DRIFT).
	vars map[string]string
}

func newEngineCLI(t *testing.T) *engineCLI {
	tools := pulumitest.Require(t)
	_, load := fakeACM(t, "ISSUED", "*.inference.example.com", "*.inference.dev.example.com")
	return &engineCLI{t: t, tools: tools, dir: t.TempDir(), stackAWS: load, stackDir: stackDirCopy(t)}
}

func (e *engineCLI) run(args ...string) (string, string, error) {
	e.t.Helper()
	var out, errOut bytes.Buffer
	env := Env{
		Streams:  Streams{In: strings.NewReader(e.in), Out: &out, Err: &errOut},
		Now:      func() time.Time { return testNow },
		Terminal: func() (bool, int) { return e.tty, 100 },
		StackAWS: e.stackAWS,
		Deployment: func(r *stack.Resolved, o DeployOptions) (deploy.Options, error) {
			vars := e.tools.Env(e.dir)
			if e.fail != "" {
				vars["MLOPS_FAKE_AWS_FAIL"] = e.fail
			}
			for k, v := range e.vars {
				vars[k] = v
			}
			return deploy.Options{Env: r.Stack, Program: r.LayerProgram, Backend: "file://" + filepath.Join(e.dir, "state"), SecretsProvider: "passphrase",
				Pulumi: e.tools.Pulumi, WorkDir: filepath.Join(e.dir, "work"), Vars: vars}, nil
		},
	}
	if e.stackDir == "" {
		e.stackDir = stackDirCopy(e.t)
	}
	dir := e.stackDir
	err := Run(context.Background(), env, append(args, "--dir", dir))
	return out.String(), errOut.String(), err
}

func wantCode(t *testing.T, what string, err error, code int, stderr string) {
	t.Helper()
	if got := ExitCode(err); got != code {
		t.Fatalf("%s: exit code %d (%v), want %d\n%s", what, got, err, code, stderr)
	}
}

// TestUpProdApprovalAndGate: prod through the real engine. Off a terminal
// without --yes the deploy is declined after the preview; with --yes it
// deploys; then a change that replaces the general node group is refused
// until --allow-replace names it.
func TestUpProdApprovalAndGate(t *testing.T) {
	e := newEngineCLI(t)
	_, stderr, err := e.run("up", "--stack", "prod", "--layer", "aws", "--set", offlineCert)
	wantCode(t, "up without --yes", err, ExitDeclined, stderr)
	t.Logf("up --stack prod without --yes:\n%s", stderr)
	if !strings.Contains(stderr, "guardrails: passed") || !strings.Contains(stderr, "prod-aws (layer aws): ") ||
		strings.Contains(stderr, "created ") || !strings.Contains(err.Error(), "--yes") {
		t.Errorf("declined up printed:\n%s", stderr)
	}

	out, stderr, err := e.run("up", "--stack", "prod", "--layer", "aws", "--set", offlineCert, "--yes")
	wantCode(t, "up --yes", err, ExitOK, stderr)
	if !strings.Contains(out, "clusterName") || !strings.Contains(out, "mlops-platform-prod") {
		t.Errorf("up's outputs:\n%s", out)
	}

	types := "nodeGroups.general.instanceTypes=[m6i.xlarge, m5.xlarge, m5a.xlarge]"
	_, stderr, err = e.run("up", "--stack", "prod", "--layer", "aws", "--set", offlineCert, "--set", types, "--yes")
	wantCode(t, "a replacement of nodes-general", err, ExitRefused, stderr)
	if !strings.Contains(stderr, "!! STATEFUL") || !strings.Contains(err.Error(), "--allow-replace nodes-general") {
		t.Errorf("the refusal does not highlight nodes-general:\n%s\n%v", stderr, err)
	}
}

// TestUpDevFailureResumeDestroy: a dev deploy fails on an injected error
// (deploy-failure exit code, what is left, the resume command), resumes,
// reports its outputs, and is destroyed.
func TestUpDevFailureResumeDestroy(t *testing.T) {
	e := newEngineCLI(t)
	e.fail = "create:database"
	_, stderr, err := e.run("up", "--stack", "dev", "--layer", "aws")
	wantCode(t, "failed up", err, ExitDeployFailed, stderr)
	for _, want := range []string{
		"FAILED    aws:rds/instance:Instance database: injected failure",
		"cluster (aws:eks/cluster:Cluster)",
		"resume with:\n  mlops up --stack dev --layer aws --dir " + e.stackDir,
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	e.fail = ""
	_, stderr, err = e.run("up", "--stack", "dev", "--layer", "aws")
	wantCode(t, "resumed up", err, ExitOK, stderr)

	out, stderr, err := e.run("outputs", "--stack", "dev", "-o", "json")
	wantCode(t, "outputs", err, ExitOK, stderr)
	var v outputsView
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("outputs JSON: %v\n%s", err, out)
	}
	if v.Summary["clusterName"] != "mlops-platform-dev" || !strings.HasPrefix(v.Summary["clusterEndpoint"], "https://") ||
		v.Summary["kubeconfigCommand"] != "mlops kubeconfig --stack dev --file ~/.kube/config-dev" || v.Layers["cluster"] != nil {
		t.Errorf("outputs %+v", v)
	}
	// The kubeconfig it suggests: the AWS layer's endpoint, and a user
	// that runs mlops eks-token.
	kc := filepath.Join(e.dir, "kubeconfig")
	_, stderr, err = e.run("kubeconfig", "--stack", "dev", "--file", kc)
	wantCode(t, "kubeconfig", err, ExitOK, stderr)
	if cfg, err := clientcmd.LoadFromFile(kc); err != nil {
		t.Errorf("the written kubeconfig: %v", err)
	} else if c := cfg.Clusters["mlops-platform-dev"]; c == nil || c.Server != v.Summary["clusterEndpoint"] ||
		cfg.AuthInfos["mlops-platform-dev"] == nil || cfg.AuthInfos["mlops-platform-dev"].Exec.Command != "mlops" {
		t.Errorf("the written kubeconfig: %+v", cfg)
	}

	// Dev has no bastion: --tunnel says so before dialing anything.
	_, stderr, err = e.run("preview", "--stack", "dev", "--layer", "cluster", "--tunnel")
	if err == nil || !strings.Contains(err.Error(), "exports no bastionInstanceId") || !strings.Contains(err.Error(), "bastion.enabled=true") {
		t.Errorf("--tunnel without a bastion: %v\n%s", err, stderr)
	}

	// A destroy asks on a terminal, after listing what it deletes, the
	// stateful resources first; off a terminal it needs --yes.
	_, stderr, err = e.run("destroy", "--stack", "dev")
	wantCode(t, "destroy off a terminal without --yes", err, ExitUsage, stderr)
	if !strings.Contains(err.Error(), "pass --yes") {
		t.Errorf("destroy without --yes: %v", err)
	}
	e.tty, e.in = true, "n\n"
	_, stderr, err = e.run("destroy", "--stack", "dev")
	wantCode(t, "destroy answered no", err, ExitDeclined, stderr)
	lines := strings.Split(stderr, "\n")
	db, prompt := lineIndex(lines, "delete  database"), lineIndex(lines, "Destroy dev-aws: ")
	if db < 0 || prompt < db || !strings.Contains(lines[db], "STATEFUL") {
		t.Errorf("the destroy's prompt (line %d) does not follow the database's deletion (line %d):\n%s", prompt, db, stderr)
	}
	for _, name := range []string{"artifacts", "keys-data"} {
		if i := lineIndex(lines, "delete  "+name+" "); i < 0 || i > db+10 || !strings.Contains(lines[i], "STATEFUL") {
			t.Errorf("%s is not among the stateful deletions listed first (line %d):\n%s", name, i, stderr)
		}
	}
	if _, _, err := e.run("outputs", "--stack", "dev"); err != nil {
		t.Errorf("outputs after the declined destroy: %v", err)
	}
	e.tty, e.in = false, ""
	// refresh and destroy honour -o json: a summary on stdout.
	out, stderr, err = e.run("refresh", "--stack", "dev", "-o", "json")
	wantCode(t, "refresh -o json", err, ExitOK, stderr)
	wantResults(t, out, "refresh", []layerResult{{Layer: "aws", Stack: "dev-aws", Result: resultRefreshed},
		{Layer: "cluster", Stack: "dev-cluster", Result: resultNotDeployed}})
	out, stderr, err = e.run("destroy", "--stack", "dev", "--yes", "-o", "json")
	wantCode(t, "destroy", err, ExitOK, stderr)
	if !strings.Contains(stderr, "dev-cluster: nothing to destroy") || !strings.Contains(stderr, "dev-aws: destroyed") {
		t.Errorf("destroy printed:\n%s", stderr)
	}
	wantResults(t, out, "destroy", []layerResult{{Layer: "cluster", Stack: "dev-cluster", Result: resultNothingToDestroy},
		{Layer: "aws", Stack: "dev-aws", Result: resultDestroyed}})
}

// wantResults checks destroy's or refresh's -o json summary, layer by
// layer; a destroyed or refreshed layer counts its resources.
func wantResults(t *testing.T, out, command string, want []layerResult) {
	t.Helper()
	var got commandResult
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%s -o json: %v\n%s", command, err, out)
	}
	if got.Command != command || got.Stack != "dev" || len(got.Layers) != len(want) {
		t.Fatalf("%s -o json: %+v, want layers %+v", command, got, want)
	}
	for i, w := range want {
		g := got.Layers[i]
		acted := w.Result == resultDestroyed || w.Result == resultRefreshed
		if g.Layer != w.Layer || g.Stack != w.Stack || g.Result != w.Result || (g.Resources > 0) != acted {
			t.Errorf("%s -o json layer %d: %+v, want %+v (resources only when it acted)", command, i, g, w)
		}
	}
}

// lineIndex is the index of the first line holding text, or -1.
func lineIndex(lines []string, text string) int {
	return slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, text) })
}

// TestDeployCommandsRefuseEarly: what is decided before any engine runs.
func TestDeployCommandsRefuseEarly(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"guardrails block", []string{"up", "--stack", "prod"}, ExitPolicyDenied, "52, 53"},
		{"prod destroy", []string{"destroy", "--stack", "prod"}, ExitRefused, "prod is not destroyed by default"},
		{"prod destroy with the wrong name", []string{"destroy", "--stack", "prod", "--confirm-prod-destroy", "mlops-platform-prd"}, ExitRefused,
			`"mlops-platform-prd" does not match the prod cluster's name "mlops-platform-prod"`},
		{"dev destroy off a terminal without --yes", []string{"destroy", "--stack", "dev"}, ExitUsage, "off one, pass --yes"},
		{"prod without S3", []string{"preview", "--stack", "prod", "--set", offlineCert}, ExitInvalidConfig, "backend"},
		{"prod passphrase", []string{"preview", "--stack", "prod", "--set", offlineCert, "--backend", "s3://b/state?region=eu-west-1",
			"--secrets-provider", "passphrase"}, ExitInvalidConfig, "secretsProvider"},
		{"unknown layer", []string{"up", "--stack", "dev", "--layer", "k8s"}, ExitUsage, "layer"},
		{"dev's placeholder CIDR", []string{"preview", "--stack", "dev"}, ExitInvalidConfig,
			"clusterEndpointPublicAccessCidrs[0]: 203.0.113.0/24 is a documentation range"},
		{"no stack", []string{"outputs"}, ExitUsage, "--stack"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := run(t, append(tt.args, "--dir", repoRoot())...)
			wantCode(t, tt.name, err, tt.code, stderr)
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v lacks %q", err, tt.want)
			}
		})
	}
	_, stderr, _ := run(t, "destroy", "--stack", "prod", "--dir", repoRoot())
	golden(t, "destroy-prod-refusal", stderr)
	for _, want := range []string{"Pulumi protect", "RDS deletion protection", "S3 versioning", "--confirm-prod-destroy mlops-platform-prod"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("the prod destroy refusal lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "certificateArn") {
		t.Errorf("the prod destroy refusal warns about the certificate, which a destroy does not need:\n%s", stderr)
	}
}

// TestDeployExitCodes: each outcome has its own exit code, wrapped or not.
func TestDeployExitCodes(t *testing.T) {
	tests := []struct {
		err  error
		code int
	}{
		{&deploy.DeclinedError{Reason: "x"}, ExitDeclined},
		{&deploy.Error{Op: "up"}, ExitDeployFailed},
		{&deploy.RefusedError{Reason: "x"}, ExitRefused},
		{&deploy.UnreachableError{Endpoint: "https://x", Err: errors.New("timeout")}, ExitUnreachable},
		{fmt.Errorf("layer aws: %w", &deploy.Error{Op: "destroy"}), ExitDeployFailed},
		{PolicyDeniedError{Controls: []string{"52"}}, ExitPolicyDenied},
		{fmt.Errorf("up of dev-aws interrupted: %w", context.Canceled), ExitCancelled},
		{fmt.Errorf("layer aws: %w", &deploy.InterruptedError{Op: "up", Stack: "dev-aws"}), ExitCancelled},
		{&deploy.LockedError{Op: "up", Stack: "dev-aws", Message: "error: the stack is currently locked by 1 lock(s)"}, ExitError},
	}
	seen := map[int]bool{}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.code {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.code)
		}
		seen[tt.code] = true
	}
	if len(seen) != 7 {
		t.Errorf("exit codes are not distinct: %v", seen)
	}
}

// TestFirstRunPreview: on a fresh backend, preview of every layer shows
// the AWS layer's preview and says the cluster layer is previewed once
// the cluster exists; refresh and outputs say what is not deployed.
func TestFirstRunPreview(t *testing.T) {
	e := newEngineCLI(t)
	out, stderr, err := e.run("preview", "--stack", "dev")
	wantCode(t, "preview of a fresh stack", err, ExitOK, stderr)
	if !strings.Contains(out, "dev-aws (layer aws): ") || !strings.Contains(out, " to create") {
		t.Errorf("preview printed no AWS layer preview:\n%s", out)
	}
	if !strings.Contains(stderr, "dev-cluster (layer cluster): not previewed: the AWS layer is not deployed yet") ||
		!strings.Contains(stderr, "mlops up --stack dev --layer aws") || strings.Contains(stderr, "is not a URL") {
		t.Errorf("preview does not say why the cluster layer waits:\n%s", stderr)
	}

	_, stderr, err = e.run("refresh", "--stack", "dev")
	wantCode(t, "refresh of a stack never deployed", err, ExitOK, stderr)
	for _, want := range []string{"dev-aws: not deployed", "dev-cluster: not deployed"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("refresh lacks %q:\n%s", want, stderr)
		}
	}
	_, stderr, err = e.run("outputs", "--stack", "dev")
	if err == nil || !strings.Contains(err.Error(), "stack dev is not deployed") {
		t.Errorf("outputs of a stack never deployed: %v\n%s", err, stderr)
	}
}

// TestUpSetIsSaved: up --set writes the override into the stack file,
// comments kept, so the next preview has nothing to revert; --no-save
// leaves the file alone and says the next up reverts it.
func TestUpSetIsSaved(t *testing.T) {
	t.Setenv("USER", "alice") // who the state's history records
	e := newEngineCLI(t)      // a copy of the repository's stack files, dev's public-access placeholder set
	file := filepath.Join(e.stackDir, "Pulumi.dev.yaml")
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, err := e.run("up", "--stack", "dev", "--layer", "aws", "--set", "nodeGroups.general.maxSize=6")
	wantCode(t, "up --set", err, ExitOK, stderr)
	saved, _ := os.ReadFile(file)
	firstComment := strings.SplitN(string(orig), "\n", 2)[0]
	if !strings.Contains(string(saved), "maxSize: 6\n") || !strings.HasPrefix(firstComment, "#") || !strings.HasPrefix(string(saved), firstComment) ||
		!strings.Contains(stderr, "--set saved to "+file+": nodeGroups.general.maxSize") {
		t.Errorf("up --set did not save the override with the comments kept:\n%s\nstderr:\n%s", saved, stderr)
	}
	out, stderr, err := e.run("preview", "--stack", "dev", "--layer", "aws")
	wantCode(t, "preview after up --set", err, ExitOK, stderr)
	if strings.Contains(out, "nodes-general") {
		t.Errorf("a plain preview after up --set reverts it:\n%s", out)
	}

	_, stderr, err = e.run("up", "--stack", "dev", "--layer", "aws", "--set", "logRetentionDays=14", "--no-save")
	wantCode(t, "up --set --no-save", err, ExitOK, stderr)
	if after, _ := os.ReadFile(file); string(after) != string(saved) || !strings.Contains(stderr, "--set not saved (--no-save): the next up without it reverts logRetentionDays") {
		t.Errorf("--no-save changed the file or did not say so:\n%s", stderr)
	}
	wantHistory(t, e)
}

// wantHistory: after TestUpSetIsSaved's two ups with different --set, the
// state's history shows both, who ran them, and the key the second
// changed; the never-deployed cluster layer says so.
func wantHistory(t *testing.T, e *engineCLI) {
	out, stderr, err := e.run("history", "--stack", "dev", "-o", "json")
	wantCode(t, "history -o json", err, ExitOK, stderr)
	var layers []historyLayer
	if err := json.Unmarshal([]byte(out), &layers); err != nil {
		t.Fatalf("history JSON: %v\n%s", err, out)
	}
	if len(layers) != 2 || layers[0].Stack != "dev-aws" || len(layers[0].Updates) != 2 || len(layers[1].Updates) != 0 {
		t.Fatalf("history: %+v, want dev-aws's two updates and none of dev-cluster", layers)
	}
	first, second := layers[0].Updates[0], layers[0].Updates[1]
	if first.Kind != "update" || first.Result != "succeeded" || first.By != "alice" || first.Start == "" ||
		first.Command != "mlops up --stack dev --layer aws --set nodeGroups.general.maxSize=6" || len(first.Changed) != 0 || !first.First {
		t.Errorf("the first deploy's record: %+v", first)
	}
	if second.By != "alice" || second.Command != "mlops up --stack dev --layer aws --set logRetentionDays=14" ||
		len(second.Changed) != 1 || !strings.HasPrefix(second.Changed[0], "logRetentionDays: ") || !strings.HasSuffix(second.Changed[0], " → 14") {
		t.Errorf("the second deploy's record: %+v, want logRetentionDays changed to 14 and nothing else", second)
	}
	out, stderr, err = e.run("history", "--stack", "dev")
	wantCode(t, "history", err, ExitOK, stderr)
	for _, want := range []string{"WHO", "alice", second.Changed[0], "(first recorded deploy: mlops up --stack dev --layer aws --set nodeGroups.general.maxSize=6)", "dev-cluster (layer cluster)", "no updates: never deployed"} {
		if !strings.Contains(out, want) {
			t.Errorf("history lacks %q:\n%s", want, out)
		}
	}
}

// TestProdListsEveryUnmetPrecondition: one run of prod names each unmet
// precondition with its key (review m11), and exits with the first one's
// code, as when it stopped there.
func TestProdListsEveryUnmetPrecondition(t *testing.T) {
	t.Setenv("MLOPS_PULUMI", filepath.Join(t.TempDir(), "bin", "pulumi"))
	_, stderr, err := run(t, "preview", "--stack", "prod", "--dir", repoRoot(), "--backend", "file:///tmp/state")
	wantCode(t, "prod with nothing set", err, ExitPolicyDenied, stderr)
	msg := err.Error()
	for _, want := range []string{"4 preconditions unmet", "52, 53", "ingress.certificateArn",
		"backend: prod keeps its state in S3, and --backend is \"file:///tmp/state\"",
		"secretsProvider: prod encrypts its secrets with AWS KMS", "MLOPS_PULUMI"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "or pass --backend") {
		t.Errorf("the error asks for --backend, which was passed:\n%s", msg)
	}
}
