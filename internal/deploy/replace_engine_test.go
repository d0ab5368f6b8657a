package deploy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/testing/pulumitest"
)

// bucketProgram declares an artifact bucket named by prefix (the provider
// adds a random suffix: an old and a new bucket never share a name) and its
// versioning, which reads the bucket's ID: a new prefix replaces both.
func bucketProgram(prefix string) func(layer.Layer) pulumi.RunFunc {
	return func(layer.Layer) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			var b provider.Resource
			if err := provider.AWS(ctx, "aws:s3/bucketV2:BucketV2", "artifacts", pulumi.Map{
				"bucketPrefix": pulumi.String(prefix), "forceDestroy": pulumi.Bool(true),
			}, &b); err != nil {
				return err
			}
			ctx.Export("bucket", b.ID())
			return provider.AWS(ctx, "aws:s3/bucketVersioningV2:BucketVersioningV2", "artifacts-versioning", pulumi.Map{
				"bucket":                  b.ID(),
				"versioningConfiguration": pulumi.Map{"status": pulumi.String("Enabled")},
			}, &provider.Resource{})
		}
	}
}

// buckets are the names of the buckets the fake account holds.
func (h *harness) buckets() []string {
	h.t.Helper()
	held, err := pulumitest.Holdings(filepath.Join(h.dir, "aws-account"), "aws:s3/bucketV2:BucketV2")
	if err != nil {
		h.t.Fatal(err)
	}
	var names []string
	for _, b := range held {
		names = append(names, b.Name)
	}
	return names
}

// stateResource is a resource of a layer's checkpoint.
type stateResource struct {
	URN    string `json:"urn"`
	ID     string `json:"id"`
	Delete bool   `json:"delete"`
}

// named returns the checkpoint's resources whose name is name.
func (h *harness) named(l layer.Layer, name string) []stateResource {
	h.t.Helper()
	var state struct {
		Checkpoint struct {
			Latest struct {
				Resources []stateResource `json:"resources"`
			} `json:"latest"`
		} `json:"checkpoint"`
	}
	if err := json.Unmarshal(h.stateFile(l), &state); err != nil {
		h.t.Fatal(err)
	}
	var out []stateResource
	for _, r := range state.Checkpoint.Latest.Resources {
		if strings.HasSuffix(r.URN, "::"+name) {
			out = append(out, r)
		}
	}
	return out
}

// TestRealEngineReplaceResumesAfterDeleteFailure replaces a bucket
// create-before-delete through the real engine, with the old bucket's
// delete failing (MLOPS_FAKE_AWS_FAIL=delete:<its ID>): the new bucket is
// created and the versioning moved to it before the delete fails, the up
// fails naming the provider's error, and the state keeps the old bucket
// marked for deletion, and the fake account both buckets. The rerun
// deletes the old bucket and changes nothing else: one bucket is left, in
// the state and in the account.
func TestRealEngineReplaceResumesAfterDeleteFailure(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	h := newHarness(t, "dev")
	h.program = bucketProgram("mlops-artifacts-")
	outs, err := h.deployer(nil).Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	old, _ := outs["bucket"].(string)

	h.program = bucketProgram("mlops-models-")
	d := h.deployer(map[string]string{"MLOPS_FAKE_AWS_FAIL": "delete:" + old})
	sum, err := d.Preview(ctx, layer.AWS)
	if err != nil {
		t.Fatal(err)
	}
	// The preview lists the bucket's replacement. (The versioning, whose
	// bucket input is the new bucket's ID, unknown in a preview, is not
	// listed: the fake's Diff reports no change for an unknown input.)
	if !slices.ContainsFunc(sum.Risky(), func(c deploy.Change) bool { return c.Name == "artifacts" && c.Op == deploy.OpReplace }) {
		t.Fatalf("preview: %s, %+v; want the bucket replaced", sum.Line(), sum.Risky())
	}
	var out bytes.Buffer
	_, err = d.Up(ctx, layer.AWS, deploy.NewProgress(&out, false, 0, sum.Steps, nil))
	t.Logf("the replacement's progress, the old bucket's delete failing:\n%s", out.String())
	var failed *deploy.Error
	if !errors.As(err, &failed) || len(failed.Failures) != 1 || failed.Failures[0].Name != "artifacts" ||
		!strings.Contains(failed.Failures[0].Message, "injected failure: delete of artifacts") {
		t.Fatalf("up: %v, want the old bucket's delete failure", err)
	}
	lines := strings.Split(out.String(), "\n")
	created := lineIndex(lines, "created replacement aws:s3/bucketV2:BucketV2 artifacts")
	moved := lineIndex(lines, "created replacement aws:s3/bucketVersioningV2:BucketVersioningV2 artifacts-versioning")
	gone := lineIndex(lines, "deleted replaced aws:s3/bucketVersioningV2:BucketVersioningV2 artifacts-versioning")
	fails := lineIndex(lines, "FAILED    aws:s3/bucketV2:BucketV2 artifacts: ")
	if created < 0 || moved < created || gone < moved || fails < gone {
		t.Errorf("progress lines: new bucket %d, new versioning %d, old versioning deleted %d, failure %d; want them in that order", created, moved, gone, fails)
	}
	buckets := h.named(layer.AWS, "artifacts")
	if len(buckets) != 2 || buckets[0].Delete == buckets[1].Delete {
		t.Fatalf("after the failure the state holds %+v, want the new bucket and the old one pending deletion", buckets)
	}
	for _, b := range buckets {
		if b.Delete != (b.ID == old) {
			t.Errorf("bucket %s pending deletion: %v; the old bucket is %s", b.ID, b.Delete, old)
		}
	}
	if held := h.buckets(); len(held) != 2 || !slices.Contains(held, old) {
		t.Errorf("after the failure the account holds the buckets %v, want the old %s and a new one", held, old)
	}

	d = h.deployer(nil)
	out.Reset()
	outs, err = d.Up(ctx, layer.AWS, deploy.NewProgress(&out, false, 0, 0, nil))
	t.Logf("the rerun's progress:\n%s", out.String())
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if got := strings.Count(out.String(), "\n"); got != 2 || !strings.Contains(out.String(), "] deleted replaced aws:s3/bucketV2:BucketV2 artifacts") {
		t.Errorf("the rerun did more (or less) than delete the old bucket:\n%s", out.String())
	}
	if buckets := h.named(layer.AWS, "artifacts"); len(buckets) != 1 || buckets[0].ID == old || buckets[0].ID != outs["bucket"] || buckets[0].Delete {
		t.Errorf("after the rerun the state holds %+v, want only the new bucket %v", buckets, outs["bucket"])
	}
	if held := h.buckets(); len(held) != 1 || held[0] != outs["bucket"] {
		t.Errorf("after the rerun the account holds the buckets %v, want only the new %v", held, outs["bucket"])
	}
}

// roleProgram declares a role of a fixed name on the given path, a change
// of which forces a new role (ForceNew in the Terraform provider's
// aws_iam_role schema, internal/tfreplace); dbr, when set, is the
// DeleteBeforeReplace resource option, which overrides the provider's
// choice.
func roleProgram(path string, dbr *bool) func(layer.Layer) pulumi.RunFunc {
	return func(layer.Layer) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			var opts []pulumi.ResourceOption
			if dbr != nil {
				opts = append(opts, pulumi.DeleteBeforeReplace(*dbr))
			}
			return provider.AWS(ctx, "aws:iam/role:Role", "role", pulumi.Map{
				"name": pulumi.String("mlops-dev-fixed"), "path": pulumi.String(path),
				"assumeRolePolicy": pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
			}, &provider.Resource{}, opts...)
		}
	}
}

// TestRealEngineFixedNameReplacement replaces a role whose name stays the
// same. Left to the provider, the replacement deletes first, as
// pulumi-terraform-bridge decides for a name the inputs set, and succeeds.
// Forced to create before delete, the new role meets the old one's name:
// IAM refuses it (EntityAlreadyExists) and the old role stays. Forced to
// delete first, it succeeds.
func TestRealEngineFixedNameReplacement(t *testing.T) {
	tests := []struct {
		name string
		dbr  *bool
		want string // the failure, or "" for success
	}{
		{"provider decides", nil, ""},
		{"create before delete", ptr(false), "api error EntityAlreadyExists: Role with name mlops-dev-fixed already exists."},
		{"delete before replace", ptr(true), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			h := newHarness(t, "dev")
			h.program = roleProgram("/platform/", tt.dbr)
			if _, err := h.deployer(nil).Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil)); err != nil {
				t.Fatalf("up: %v", err)
			}
			old := h.named(layer.AWS, "role")
			h.program = roleProgram("/ml/", tt.dbr)
			var out bytes.Buffer
			_, err := h.deployer(nil).Up(ctx, layer.AWS, deploy.NewProgress(&out, false, 0, 0, nil))
			t.Logf("progress:\n%s", out.String())
			now := h.named(layer.AWS, "role")
			lines := strings.Split(out.String(), "\n")
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("up: %v, want %q", err, tt.want)
				}
				if len(now) != 1 || now[0].ID != old[0].ID {
					t.Errorf("after the refusal the state holds %+v, want the old role %+v only", now, old)
				}
				return
			}
			if err != nil {
				t.Fatalf("up: %v", err)
			}
			deleted := lineIndex(lines, "deleted replaced aws:iam/role:Role role")
			created := lineIndex(lines, "created replacement aws:iam/role:Role role")
			if deleted < 0 || created < deleted || len(now) != 1 {
				t.Errorf("old deleted at line %d, new created at line %d, state %+v; want the old deleted first, then one new role", deleted, created, now)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
