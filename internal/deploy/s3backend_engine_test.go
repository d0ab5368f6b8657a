package deploy_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/backend"
	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/testing/pulumitest"
)

// probeSecret is a secret output the held program adds to prod's AWS
// layer, to find in the state.
const probeSecret = "probe-secret-3f9c2a"

// stateBucket is the state bucket the bootstrap makes.
const stateBucket = "acme-mlops-state"

// s3Harness deploys prod as `mlops up` does, on what `mlops backend
// bootstrap` made in the fake account: the state in its S3 bucket, the
// secrets under its KMS key. The Pulumi CLI reaches the fake through the
// AWS SDK's AWS_ENDPOINT_URL, with static credentials; the backend and
// secrets provider URLs are prod's own, unchanged.
type s3Harness struct {
	t     *testing.T
	tools pulumitest.Tools
	srv   *awsfake.Server
	s3    *s3.Client
	kms   *kms.Client
	rep   *backend.Report
	r     *stack.Resolved
	// backend and secrets are what deploy.Backend and deploy.Secrets
	// resolve from prod's keys.
	backend, secrets string
}

func newS3Harness(t *testing.T) *s3Harness {
	t.Helper()
	tools := pulumitest.Require(t)
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	s3c, kmsc := backend.NewClients(srv.Config(awsclient.Options{}))
	rep, err := backend.Bootstrap(context.Background(), s3c, kmsc, backend.Config{Bucket: stateBucket, Region: awsfake.Region})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	r, err := stacktest.Source("prod", certificate, "backend="+rep.BackendURL, "secretsProvider="+rep.SecretsProvider).Resolve()
	if err != nil {
		t.Fatal(err)
	}
	h := &s3Harness{t: t, tools: tools, srv: srv, s3: s3c, kms: kmsc, rep: rep, r: r}
	if h.backend, err = deploy.Backend("", r.Spec, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	var vars map[string]string
	if h.secrets, vars, err = deploy.Secrets("", r.Spec, func(string) string { return "" }); err != nil || len(vars) != 0 {
		t.Fatalf("prod's secrets provider: %v, %v", vars, err)
	}
	return h
}

// deployer is a runner with its own workspace and Pulumi home, and no
// passphrase; program wraps prod's AWS layer.
func (h *s3Harness) deployer(program func(layer.Layer) pulumi.RunFunc) *deploy.Deployer {
	h.t.Helper()
	return h.deployerWith(program, h.secrets)
}

// deployerWith is deployer with another secrets provider.
func (h *s3Harness) deployerWith(program func(layer.Layer) pulumi.RunFunc, secrets string) *deploy.Deployer {
	h.t.Helper()
	home := h.t.TempDir()
	vars := h.tools.Env(home)
	delete(vars, "PULUMI_CONFIG_PASSPHRASE")
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": h.srv.URL, "AWS_ACCESS_KEY_ID": "AKIDFAKE", "AWS_SECRET_ACCESS_KEY": "fake-secret",
		"AWS_CONFIG_FILE": filepath.Join(home, "aws-config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, "aws-credentials"),
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "",
	} {
		vars[k] = v
	}
	d, err := deploy.New(deploy.Options{Env: h.r.Stack, Program: program, Backend: h.backend, SecretsProvider: secrets,
		Pulumi: h.tools.Pulumi, WorkDir: filepath.Join(home, "work"), Vars: vars})
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// keys lists the live objects of the state bucket under prefix.
func (h *s3Harness) keys(prefix string) []string {
	h.t.Helper()
	var keys []string
	p := s3.NewListObjectsV2Paginator(h.s3, &s3.ListObjectsV2Input{Bucket: aws.String(stateBucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			h.t.Fatal(err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

// TestRealEngineS3Backend deploys prod's AWS layer through the
// Automation API onto an S3 state bucket and KMS secrets in the fake
// account. While the first up is held inside its program, its lock is an
// object in the bucket and a second up from another runner is refused
// with Pulumi's lock message (not a passphrase prompt: its workspace has
// never seen the stack, and takes the KMS provider from the state);
// released, the first finishes and its lock is gone. The state object
// then holds the probe secret only as ciphertext, under a data key that
// the bootstrap's KMS key alone decrypts; the second runner's next up
// succeeds and keeps it so.
func TestRealEngineS3Backend(t *testing.T) {
	h := newS3Harness(t)
	inside, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	program := func(l layer.Layer) pulumi.RunFunc {
		run := h.r.LayerProgram(l)
		return func(ctx *pulumi.Context) error {
			once.Do(func() { close(inside); <-release })
			ctx.Export("probe", pulumi.ToSecret(pulumi.String(probeSecret)))
			return run(ctx)
		}
	}
	first := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		_, err := h.deployer(program).Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
		first <- err
	}()
	<-inside
	locks := h.keys("state/.pulumi/locks/")
	if len(locks) != 1 || !strings.HasPrefix(locks[0], "state/.pulumi/locks/organization/mlops-platform/prod-aws/") {
		close(release)
		t.Fatalf("while the first up runs, the locks in the bucket are %v, want one of prod-aws", locks)
	}
	second := h.deployer(program)
	_, err := within(t, "a second up", engineLimit, func(ctx context.Context) (map[string]any, error) {
		return second.Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	})
	close(release)
	locked := wantLocked(t, "a second up", err)
	if !strings.Contains(locked.Message, "s3://acme-mlops-state/state/.pulumi/locks/organization/mlops-platform/prod-aws/") {
		t.Errorf("the refusal does not name the lock object: %q", locked.Message)
	}
	t.Logf("a second up: %v", err)
	if err := <-first; err != nil {
		t.Fatalf("the first up: %v", err)
	}
	if left := h.keys("state/.pulumi/locks/"); len(left) != 0 {
		t.Errorf("after the up its lock is still in the bucket: %v", left)
	}
	var served []string
	for _, op := range []string{"ListObjectsV2", "HeadObject", "GetObject", "PutObject", "DeleteObject", "Encrypt", "Decrypt"} {
		served = append(served, fmt.Sprintf("%s %d", op, h.srv.Calls(op)))
		if h.srv.Calls(op) == 0 {
			t.Errorf("the Pulumi CLI never called %s on the fake", op)
		}
	}
	t.Logf("the fake served the Pulumi CLI: %s", strings.Join(served, ", "))
	h.checkState(t)
	if _, err := within(t, "the second runner's up", engineLimit, func(ctx context.Context) (map[string]any, error) {
		return second.Up(ctx, layer.AWS, deploy.NewProgress(&bytes.Buffer{}, false, 0, 0, nil))
	}); err != nil {
		t.Fatalf("the second runner's up, once the lock is gone: %v", err)
	}
	h.checkState(t)
	other := "awskms://alias/other?region=" + awsfake.Region
	_, err = within(t, "a runner with another key", engineLimit, func(ctx context.Context) (deploy.Summary, error) {
		return h.deployerWith(program, other).Preview(ctx, layer.AWS)
	})
	if err == nil || !strings.Contains(err.Error(), "encrypts its secrets with "+h.secrets+", not the configured "+other) {
		t.Errorf("a runner configured with another KMS key: %v, want the stack's provider named", err)
	}
}

// checkState reads prod-aws's checkpoint from the bucket: its secrets
// provider is the bootstrap's KMS key, whose encrypted data key decrypts
// under that key only, and the probe secret is in it only as ciphertext
// of that data key.
func (h *s3Harness) checkState(t *testing.T) {
	ctx := context.Background()
	obj, err := h.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(stateBucket), Key: aws.String("state/.pulumi/stacks/mlops-platform/prod-aws.json")})
	if err != nil {
		t.Fatalf("the state object: %v", err)
	}
	defer obj.Body.Close()
	var raw bytes.Buffer
	if _, err := raw.ReadFrom(obj.Body); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw.Bytes(), []byte(probeSecret)) {
		t.Fatal("the state object holds the secret in plain text")
	}
	var state struct {
		Checkpoint struct {
			Latest struct {
				SecretsProviders struct {
					Type  string `json:"type"`
					State struct {
						URL          string `json:"url"`
						EncryptedKey []byte `json:"encryptedkey"`
					} `json:"state"`
				} `json:"secrets_providers"`
				Resources []struct {
					Type    string         `json:"type"`
					Outputs map[string]any `json:"outputs"`
				} `json:"resources"`
			} `json:"latest"`
		} `json:"checkpoint"`
	}
	if err := json.Unmarshal(raw.Bytes(), &state); err != nil {
		t.Fatal(err)
	}
	sp := state.Checkpoint.Latest.SecretsProviders
	if sp.Type != "cloud" || sp.State.URL != h.rep.SecretsProvider {
		t.Errorf("secrets provider %q %q, want cloud %q", sp.Type, sp.State.URL, h.rep.SecretsProvider)
	}
	other, err := h.kms.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.kms.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: sp.State.EncryptedKey, KeyId: other.KeyMetadata.KeyId})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "IncorrectKeyException" {
		t.Errorf("the data key decrypted under another key: %v, want IncorrectKeyException", err)
	}
	dk, err := h.kms.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: sp.State.EncryptedKey, KeyId: aws.String(h.rep.KeyARN)})
	if err != nil {
		t.Fatalf("decrypting the data key under the bootstrap's key: %v", err)
	}
	var ciphertext string
	for _, r := range state.Checkpoint.Latest.Resources {
		if r.Type == "pulumi:pulumi:Stack" {
			probe, _ := r.Outputs["probe"].(map[string]any)
			ciphertext, _ = probe["ciphertext"].(string)
		}
	}
	plain, err := openSecret(dk.Plaintext, ciphertext)
	if err != nil || plain != `"`+probeSecret+`"` {
		t.Errorf("the probe's ciphertext %q opens to %q, %v under the data key", ciphertext, plain, err)
	}
}

// openSecret opens a value of Pulumi's symmetric crypter,
// "v1:<nonce>:<AES-256-GCM ciphertext>" in base64 (sdk/v3
// go/common/resource/config/crypt.go).
func openSecret(key []byte, value string) (string, error) {
	parts := strings.Split(value, ":")
	if len(parts) != 3 || parts[0] != "v1" {
		return "", errors.New("not a v1 ciphertext")
	}
	nonce, err := base64.StdEncoding.DecodeString(parts[1])
	if err != nil {
		return "", err
	}
	sealed, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil {
		return "", err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	plain, err := g.Open(nil, nonce, sealed, nil)
	return string(plain), err
}
