package pulumitest

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

const secretPassword = "hunter2-not-in-state"

// program is a small AWS program with a dependency chain (key and bucket
// before the bucket's encryption), a secret input and outputs AWS
// computes.
func program(ctx *pulumi.Context) error {
	pw := config.New(ctx, "").RequireSecret("dbPassword")
	key, err := kms.NewKey(ctx, "state", &kms.KeyArgs{EnableKeyRotation: pulumi.Bool(true)})
	if err != nil {
		return err
	}
	bucket, err := s3.NewBucketV2(ctx, "artifacts", &s3.BucketV2Args{BucketPrefix: pulumi.String("mlops-artifacts-")})
	if err != nil {
		return err
	}
	_, err = s3.NewBucketServerSideEncryptionConfigurationV2(ctx, "artifacts-sse", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("aws:kms"), KmsMasterKeyId: key.Arn,
			},
		}},
	})
	if err != nil {
		return err
	}
	db, err := rds.NewInstance(ctx, "db", &rds.InstanceArgs{
		Identifier: pulumi.String("mlflow"), Engine: pulumi.String("postgres"), InstanceClass: pulumi.String("db.t4g.micro"),
		AllocatedStorage: pulumi.Int(20), Username: pulumi.String("mlflow"), Password: pw, SkipFinalSnapshot: pulumi.Bool(true),
	})
	if err != nil {
		return err
	}
	ctx.Export("bucketArn", bucket.Arn)
	ctx.Export("dbAddress", db.Address)
	ctx.Export("password", pw)
	return nil
}

// recorder collects engine events in order.
type recorder struct {
	mu     sync.Mutex
	events []events.EngineEvent
	done   chan struct{}
}

func record() (*recorder, chan events.EngineEvent) {
	r := &recorder{done: make(chan struct{})}
	ch := make(chan events.EngineEvent)
	go func() {
		defer close(r.done)
		for e := range ch {
			r.mu.Lock()
			r.events = append(r.events, e)
			r.mu.Unlock()
		}
	}()
	return r, ch
}

// index returns the position of the first event of kind ("pre" or
// "outputs") for the resource named name, or -1.
func (r *recorder) index(kind, name string) int {
	<-r.done
	for i, e := range r.events {
		switch {
		case kind == "pre" && e.ResourcePreEvent != nil && strings.HasSuffix(e.ResourcePreEvent.Metadata.URN, "::"+name):
			return i
		case kind == "outputs" && e.ResOutputsEvent != nil && strings.HasSuffix(e.ResOutputsEvent.Metadata.URN, "::"+name):
			return i
		}
	}
	return -1
}

func newStack(ctx context.Context, t *testing.T, env map[string]string) auto.Stack {
	t.Helper()
	s := Stack(ctx, t, Require(t), "mlops-test", "dev", program, env)
	if err := s.SetConfig(ctx, "dbPassword", auto.ConfigValue{Value: secretPassword, Secret: true}); err != nil {
		t.Fatal(err)
	}
	return s
}

func exported(ctx context.Context, t *testing.T, s auto.Stack) (string, []string) {
	t.Helper()
	dep, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			URN  string `json:"urn"`
			Type string `json:"type"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(dep.Deployment, &state); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range state.Resources {
		if strings.HasPrefix(r.Type, "aws:") {
			names = append(names, r.URN[strings.LastIndex(r.URN, "::")+2:])
		}
	}
	slices.Sort(names)
	return string(dep.Deployment), names
}

// TestRealEngineLifecycle runs preview, up, refresh and destroy of a real
// program through the Pulumi CLI and the fake AWS provider.
func TestRealEngineLifecycle(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s := newStack(ctx, t, nil)

	pre, err := s.Preview(ctx)
	if err != nil {
		t.Fatalf("preview: %v\n%s", err, pre.StdErr)
	}
	if pre.ChangeSummary["create"] < 5 {
		t.Errorf("preview summary %v, want the stack and four resources created", pre.ChangeSummary)
	}

	rec, ch := record()
	up, err := s.Up(ctx, optup.EventStreams(ch))
	if err != nil {
		t.Fatalf("up: %v\n%s", err, up.StdErr)
	}
	sse := rec.index("pre", "artifacts-sse")
	for _, dep := range []string{"state", "artifacts"} {
		if done := rec.index("outputs", dep); done < 0 || sse < 0 || done > sse {
			t.Errorf("artifacts-sse started at event %d, before %s finished (event %d)", sse, dep, done)
		}
	}
	if v := up.Outputs["bucketArn"].Value; !regexp.MustCompile(`^arn:aws:s3:::mlops-artifacts-[0-9a-f]{12}$`).MatchString(v.(string)) {
		t.Errorf("bucketArn %v", v)
	}
	if v := up.Outputs["dbAddress"].Value; !strings.HasPrefix(v.(string), "mlflow.") {
		t.Errorf("dbAddress %v", v)
	}
	if !up.Outputs["password"].Secret {
		t.Error("the password output is not a secret")
	}
	_, names := exported(ctx, t, s)
	file := filepath.Join(s.Workspace().WorkDir(), "state", ".pulumi", "stacks", "mlops-test", "dev.json")
	state, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(state), secretPassword) || !strings.Contains(string(state), `"ciphertext"`) {
		t.Errorf("the state file %s holds the password in plain text, or no ciphertext", file)
	}
	if want := []string{"artifacts", "artifacts-sse", "db", "state"}; !slices.Equal(names, want) {
		t.Errorf("state holds %v, want %v", names, want)
	}

	ref, err := s.Refresh(ctx)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if c := *ref.Summary.ResourceChanges; c["update"]+c["delete"]+c["create"] != 0 {
		t.Errorf("refresh of an undrifted fake cloud changed %v", c)
	}
	again, err := s.Up(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c := *again.Summary.ResourceChanges; c["same"] < 5 || len(c) != 1 {
		t.Errorf("second up changed %v", c)
	}

	if _, err := s.Destroy(ctx); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if _, names := exported(ctx, t, s); len(names) != 0 {
		t.Errorf("destroy left %v", names)
	}
}

// TestRealEngineResumesAfterInjectedFailure fails one resource, then
// re-runs up without the failure: only that resource is created.
func TestRealEngineResumesAfterInjectedFailure(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s := newStack(ctx, t, map[string]string{"MLOPS_FAKE_AWS_FAIL": "artifacts-sse"})
	res, err := s.Up(ctx)
	if err == nil || !strings.Contains(err.Error()+res.StdOut, "injected failure: create of artifacts-sse") {
		t.Fatalf("up: err %v, want the injected failure\n%s", err, res.StdOut)
	}
	if _, names := exported(ctx, t, s); slices.Contains(names, "artifacts-sse") || !slices.Contains(names, "artifacts") {
		t.Fatalf("after the failure the state holds %v", names)
	}
	s.Workspace().UnsetEnvVar("MLOPS_FAKE_AWS_FAIL")
	up, err := s.Up(ctx)
	if err != nil {
		t.Fatalf("resumed up: %v", err)
	}
	if c := *up.Summary.ResourceChanges; c["create"] != 1 {
		t.Errorf("resumed up changed %v, want only artifacts-sse created", c)
	}
}
