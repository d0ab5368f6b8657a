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

// prefixedRoleProgram declares a role named by prefix (the provider adds
// a unique suffix: an old and a new role never share a name) on the given
// path, and its inline policy, which names the role: a new path replaces
// both (ForceNew on aws_iam_role's path and aws_iam_role_policy's role,
// internal/tfreplace).
func prefixedRoleProgram(path string) func(layer.Layer) pulumi.RunFunc {
	return func(layer.Layer) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			var r provider.Resource
			if err := provider.AWS(ctx, "aws:iam/role:Role", "ci", pulumi.Map{
				"namePrefix": pulumi.String("mlops-dev-ci-"), "path": pulumi.String(path),
				"assumeRolePolicy": pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
			}, &r); err != nil {
				return err
			}
			ctx.Export("role", r.ID())
			return provider.AWS(ctx, "aws:iam/rolePolicy:RolePolicy", "ci-inline", pulumi.Map{
				"role": r.ID(), "name": pulumi.String("read-artifacts"),
				"policy": pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`),
			}, &provider.Resource{})
		}
	}
}

// roles are the names of the roles the fake account holds.
func (h *harness) roles() []string {
	h.t.Helper()
	held, err := pulumitest.Holdings(filepath.Join(h.dir, "aws-account"), "aws:iam/role:Role")
	if err != nil {
		h.t.Fatal(err)
	}
	var names []string
	for _, r := range held {
		names = append(names, r.Name)
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

// TestRealEngineReplaceResumesAfterDeleteFailure replaces a role
// create-before-delete through the real engine, with the old role's
// delete failing (MLOPS_FAKE_AWS_FAIL=delete:<its ID>): the new role is
// created and the inline policy moved to it before the delete fails, the
// up fails naming the provider's error, and the state keeps the old role
// marked for deletion, and the fake account both roles. The rerun deletes
// the old role and changes nothing else: one role is left, in the state
// and in the account.
func TestRealEngineReplaceResumesAfterDeleteFailure(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	h := newHarness(t, "dev")
	h.program = prefixedRoleProgram("/platform/")
	outs, err := h.deployer(nil).Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	old, _ := outs["role"].(string)

	h.program = prefixedRoleProgram("/ml/")
	d := h.deployer(map[string]string{"MLOPS_FAKE_AWS_FAIL": "delete:" + old})
	sum, err := d.Preview(ctx, layer.AWS)
	if err != nil {
		t.Fatal(err)
	}
	// The preview lists the role's replacement.
	if !slices.ContainsFunc(sum.Changes, func(c deploy.Change) bool { return c.Name == "ci" && c.Op == deploy.OpReplace }) {
		t.Fatalf("preview: %s, %+v; want the role replaced", sum.Line(), sum.Changes)
	}
	var out bytes.Buffer
	_, err = d.Up(ctx, layer.AWS, deploy.NewProgress(&out, false, 0, sum.Steps, nil))
	t.Logf("the replacement's progress, the old role's delete failing:\n%s", out.String())
	var failed *deploy.Error
	if !errors.As(err, &failed) || len(failed.Failures) != 1 || failed.Failures[0].Name != "ci" ||
		!strings.Contains(failed.Failures[0].Message, "injected failure: delete of ci") {
		t.Fatalf("up: %v, want the old role's delete failure", err)
	}
	lines := strings.Split(out.String(), "\n")
	created := lineIndex(lines, "created replacement aws:iam/role:Role ci")
	moved := lineIndex(lines, "created replacement aws:iam/rolePolicy:RolePolicy ci-inline")
	gone := lineIndex(lines, "deleted replaced aws:iam/rolePolicy:RolePolicy ci-inline")
	fails := lineIndex(lines, "FAILED    aws:iam/role:Role ci: ")
	// The role is created before the old one goes; the inline policy,
	// whose name the program sets, is deleted before it is re-created
	// (the bridge's delete-before-replace for an explicit name).
	if created < 0 || gone < created || moved < gone || fails < moved {
		t.Errorf("progress lines: new role %d, old policy deleted %d, new policy %d, failure %d; want them in that order", created, gone, moved, fails)
	}
	roles := h.named(layer.AWS, "ci")
	if len(roles) != 2 || roles[0].Delete == roles[1].Delete {
		t.Fatalf("after the failure the state holds %+v, want the new role and the old one pending deletion", roles)
	}
	for _, b := range roles {
		if b.Delete != (b.ID == old) {
			t.Errorf("role %s pending deletion: %v; the old role is %s", b.ID, b.Delete, old)
		}
	}
	if held := h.roles(); len(held) != 2 || !slices.Contains(held, old) {
		t.Errorf("after the failure the account holds the roles %v, want the old %s and a new one", held, old)
	}

	d = h.deployer(nil)
	out.Reset()
	outs, err = d.Up(ctx, layer.AWS, deploy.NewProgress(&out, false, 0, 0, nil))
	t.Logf("the rerun's progress:\n%s", out.String())
	if err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if got := strings.Count(out.String(), "\n"); got != 2 || !strings.Contains(out.String(), "] deleted replaced aws:iam/role:Role ci") {
		t.Errorf("the rerun did more (or less) than delete the old role:\n%s", out.String())
	}
	if roles := h.named(layer.AWS, "ci"); len(roles) != 1 || roles[0].ID == old || roles[0].ID != outs["role"] || roles[0].Delete {
		t.Errorf("after the rerun the state holds %+v, want only the new role %v", roles, outs["role"])
	}
	if held := h.roles(); len(held) != 1 || held[0] != outs["role"] {
		t.Errorf("after the rerun the account holds the roles %v, want only the new %v", held, outs["role"])
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
