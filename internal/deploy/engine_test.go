package deploy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/pulumitest"
)

// certificate is the fake account's ACM certificate, so that prod passes
// its certificate lookup.
const certificate = "ingress.certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

// harness is a deployer of a repository stack over a file:// backend in a
// temporary directory, with passphrase secrets, the Pulumi CLI and the
// fake AWS provider.
type harness struct {
	t     *testing.T
	tools pulumitest.Tools
	dir   string
	r     *stack.Resolved
	// program, when set, replaces the resolved stack's layer programs in
	// the deployers made next.
	program func(layer.Layer) pulumi.RunFunc
}

func newHarness(t *testing.T, env string, sets ...string) *harness {
	tools := pulumitest.Require(t)
	r, err := stacktest.Source(env, sets...).Resolve()
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, tools: tools, dir: t.TempDir(), r: r}
}

// resolve re-resolves the harness's stack with sets, for a later deployer.
func (h *harness) resolve(sets ...string) {
	h.t.Helper()
	r, err := stacktest.Source(h.r.Stack, sets...).Resolve()
	if err != nil {
		h.t.Fatal(err)
	}
	h.r = r
}

// deployer returns a Deployer on the harness's backend; extra is added to
// the CLI's environment (MLOPS_FAKE_AWS_FAIL).
func (h *harness) deployer(extra map[string]string) *deploy.Deployer {
	h.t.Helper()
	return h.runner(h.dir, extra)
}

// runner is a Deployer on the harness's backend whose workspace and
// Pulumi home lie under home: another machine (a runner inside the VPC)
// that shares only the backend and the passphrase.
func (h *harness) runner(home string, extra map[string]string) *deploy.Deployer {
	h.t.Helper()
	state := filepath.Join(h.dir, "state")
	if err := os.MkdirAll(state, 0o700); err != nil {
		h.t.Fatal(err)
	}
	vars := h.tools.Env(home)
	// Every runner deploys into one AWS account.
	vars[pulumitest.EnvFakeAWSAccount] = filepath.Join(h.dir, "aws-account")
	for k, v := range extra {
		vars[k] = v
	}
	program := h.r.LayerProgram
	if h.program != nil {
		program = h.program
	}
	d, err := deploy.New(deploy.Options{
		Env: h.r.Stack, Program: program, Backend: "file://" + state, SecretsProvider: "passphrase",
		Pulumi: h.tools.Pulumi, WorkDir: filepath.Join(home, "work"), Vars: vars,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// stateFile is the file backend's checkpoint of a layer's stack.
func (h *harness) stateFile(l layer.Layer) []byte {
	h.t.Helper()
	b, err := os.ReadFile(filepath.Join(h.dir, "state", ".pulumi", "stacks", "mlops-platform", l.StackName(h.r.Stack)+".json"))
	if err != nil {
		h.t.Fatal(err)
	}
	return b
}

// lineIndex is the index of the first progress line holding text, or -1.
func lineIndex(lines []string, text string) int {
	return slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, text) })
}

// TestRealEngineDevAWSLayer deploys dev's AWS layer of the real program
// through the Pulumi CLI against the fake cloud, with a failure injected
// into the database: the engine orders the cluster after its IAM role and
// KMS key, progress is rendered from its events, the failure names the
// resource and leaves a state to resume from; a second up without the
// failure creates only what was left, and the state holds no password.
func TestRealEngineDevAWSLayer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	h := newHarness(t, "dev")
	d := h.deployer(map[string]string{"MLOPS_FAKE_AWS_FAIL": "create:database"})

	sum, err := d.Preview(ctx, layer.AWS)
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	if sum.Counts[deploy.OpCreate] < 100 || sum.Counts[deploy.OpDelete]+sum.Counts[deploy.OpReplace]+sum.Counts[deploy.OpUpdate] != 0 {
		t.Fatalf("preview of a new stack: %s", sum.Line())
	}

	var out bytes.Buffer
	p := deploy.NewProgress(&out, false, 0, len(sum.Changes), nil)
	_, err = d.Up(ctx, layer.AWS, p)
	var failed *deploy.Error
	if !errors.As(err, &failed) {
		t.Fatalf("up: %v, want a deploy.Error", err)
	}
	if len(failed.Failures) != 1 || failed.Failures[0].Name != "database" || !strings.Contains(failed.Failures[0].Message, "injected failure") {
		t.Errorf("failures %+v, want the database's injected failure", failed.Failures)
	}
	if !slices.Contains(failed.Remaining, "cluster (aws:eks/cluster:Cluster)") || slices.Contains(failed.Remaining, "database (aws:rds/instance:Instance)") {
		t.Errorf("after the failure the state holds %v", failed.Remaining)
	}
	lines := strings.Split(out.String(), "\n")
	clusterStarts := lineIndex(lines, "creating  aws:eks/cluster:Cluster cluster")
	for _, dep := range []string{"created   aws:iam/role:Role cluster-role", "created   aws:kms/key:Key keys-data"} {
		if i := lineIndex(lines, dep); i < 0 || clusterStarts < 0 || i > clusterStarts {
			t.Errorf("%q at line %d, the cluster started at line %d", dep, i, clusterStarts)
		}
	}
	if lineIndex(lines, "FAILED    aws:rds/instance:Instance database: injected failure") < 0 {
		t.Errorf("progress does not show the failure:\n%s", out.String())
	}
	if lineIndex(lines, "] created   aws:eks/cluster:Cluster cluster") < 0 || !strings.HasPrefix(lines[0], "[  0/") {
		t.Errorf("progress lines lack counters or the cluster:\n%s", strings.Join(lines[:5], "\n"))
	}

	// Resume: the same stack without the failure creates only what is left.
	d = h.deployer(nil)
	again, err := d.Preview(ctx, layer.AWS)
	if err != nil {
		t.Fatalf("preview after the failure: %v", err)
	}
	if n := again.Counts[deploy.OpCreate]; n == 0 || n >= sum.Counts[deploy.OpCreate]/2 || len(again.Risky()) != 0 && again.Counts[deploy.OpDelete] != 0 {
		t.Errorf("resume would %s, want only the resources left", again.Line())
	}
	out.Reset()
	p = deploy.NewProgress(&out, false, 0, len(again.Changes), nil)
	outs, err := d.Up(ctx, layer.AWS, p)
	if err != nil {
		t.Fatalf("resumed up: %v\n%s", err, out.String())
	}
	if p.Done() != again.Steps || !strings.Contains(out.String(), "created   aws:rds/instance:Instance database") {
		t.Errorf("resumed up did %d of %d steps:\n%s", p.Done(), again.Steps, out.String())
	}
	if outs["clusterName"] != "mlops-platform-dev" {
		t.Errorf("outputs %v", outs)
	}
	if _, ok := outs["clusterLayer"].(map[string]any)["clusterEndpoint"]; !ok {
		t.Errorf("the AWS layer does not export what the cluster layer reads: %v", outs["clusterLayer"])
	}

	// A fresh runner (no workspace, no Pulumi home: a machine inside the
	// VPC) opens the stack from the backend alone: same outputs, nothing
	// to change.
	fresh := h.runner(t.TempDir(), nil)
	freshOuts, err := fresh.Outputs(ctx, layer.AWS)
	if err != nil || freshOuts["clusterName"] != outs["clusterName"] {
		t.Fatalf("a fresh runner's outputs: %v, %v", freshOuts["clusterName"], err)
	}
	if again, err := fresh.Preview(ctx, layer.AWS); err != nil || !again.Empty() {
		t.Errorf("a fresh runner's preview: %v, %v; want no changes", again.Line(), err)
	}

	// Secrets: encrypted with the passphrase; the master password is RDS's
	// own, and only the Secrets Manager ARN is in the state.
	var state struct {
		Checkpoint struct {
			Latest struct {
				SecretsProviders struct {
					Type string `json:"type"`
				} `json:"secrets_providers"`
				Resources []struct {
					URN     string         `json:"urn"`
					Inputs  map[string]any `json:"inputs"`
					Outputs map[string]any `json:"outputs"`
				} `json:"resources"`
			} `json:"latest"`
		} `json:"checkpoint"`
	}
	raw := h.stateFile(layer.AWS)
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	if got := state.Checkpoint.Latest.SecretsProviders.Type; got != "passphrase" {
		t.Errorf("secrets provider %q", got)
	}
	found := false
	for _, r := range state.Checkpoint.Latest.Resources {
		if strings.HasSuffix(r.URN, "aws:rds/instance:Instance::database") {
			found = true
			if r.Inputs["manageMasterUserPassword"] != true || r.Inputs["password"] != nil || r.Outputs["masterUserSecrets"] == nil {
				t.Errorf("database: manageMasterUserPassword %v, password %v, masterUserSecrets %v",
					r.Inputs["manageMasterUserPassword"], r.Inputs["password"], r.Outputs["masterUserSecrets"])
			}
		}
	}
	if !found || strings.Contains(strings.ToLower(string(raw)), `"password":`) {
		t.Errorf("database in state: %v; a password property in the state file: %v", found, strings.Contains(string(raw), `"password":`))
	}
}

// TestRealEngineProdProtect deploys prod's AWS layer, then changes the
// general node group's first instance type, which replaces the group: the
// preview says so and the prod gate holds it until --allow-replace names
// it. Destroying the layer, the engine itself refuses to delete the
// protected database, buckets and keys, in the preview and in the destroy.
func TestRealEngineProdProtect(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	h := newHarness(t, "prod", certificate)
	d := h.deployer(nil)
	if _, err := d.Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil)); err != nil {
		t.Fatalf("up: %v", err)
	}

	h.resolve(certificate, "nodeGroups.general.instanceTypes=[m6i.xlarge, m5.xlarge, m5a.xlarge]")
	sum, err := h.deployer(nil).Preview(ctx, layer.AWS)
	if err != nil {
		t.Fatal(err)
	}
	risky := sum.Risky()
	if len(risky) != 1 || risky[0].Name != "nodes-general" || risky[0].Op != deploy.OpReplace {
		t.Fatalf("risky changes %+v (%s), want the replacement of nodes-general", risky, sum.Line())
	}
	var refused *deploy.RefusedError
	if err := deploy.Gate(true, sum, []string{"database"}); !errors.As(err, &refused) || !strings.Contains(err.Error(), "--allow-replace nodes-general") {
		t.Errorf("gate: %v, want nodes-general held", err)
	}
	if err := deploy.Gate(true, sum, []string{"nodes-general"}); err != nil {
		t.Errorf("gate with nodes-general named: %v", err)
	}
	if err := deploy.Gate(false, sum, nil); err != nil {
		t.Errorf("dev's gate: %v", err)
	}

	_, err = d.PreviewDestroy(ctx, layer.AWS)
	if !errors.As(err, &refused) || !strings.Contains(err.Error(), "database (aws:rds/instance:Instance)") || !strings.Contains(err.Error(), "artifacts (aws:s3/bucketV2:BucketV2)") {
		t.Errorf("destroy preview of protected prod: %v, want the engine's protect refusal naming the database and the artifact bucket", err)
	}
	err = d.Destroy(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	var failed *deploy.Error
	if !errors.As(err, &failed) || !strings.Contains(err.Error(), "protected") {
		t.Fatalf("destroy of protected prod: %v, want the engine's refusal", err)
	}
	for _, name := range []string{"database (aws:rds/instance:Instance)", "artifacts (aws:s3/bucketV2:BucketV2)", "keys-data (aws:kms/key:Key)"} {
		if !slices.Contains(failed.Remaining, name) {
			t.Errorf("after the refusal the state lacks %s: %v", name, failed.Remaining)
		}
	}
}
