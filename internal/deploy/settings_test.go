package deploy

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

func specOf(p spec.Profile, backend, secrets string) *spec.Spec {
	return &spec.Spec{Profile: p, Backend: backend, SecretsProvider: secrets}
}

func TestBackend(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name, flag string
		s          *spec.Spec
		want       string
		errKey     string
	}{
		{"dev default under home", "", specOf(spec.ProfileDev, "", ""), "file://" + filepath.Join(home, ".mlops/state"), ""},
		{"dev key", "", specOf(spec.ProfileDev, "s3://b/state?region=eu-west-1", ""), "s3://b/state?region=eu-west-1", ""},
		{"flag wins", "file://" + home + "/x", specOf(spec.ProfileDev, "s3://b", ""), "file://" + home + "/x", ""},
		{"prod s3", "", specOf(spec.ProfileProd, "s3://b/state?region=eu-west-1", ""), "s3://b/state?region=eu-west-1", ""},
		{"prod unset", "", specOf(spec.ProfileProd, "", ""), "", "backend"},
		{"prod file flag", "file:///tmp/x", specOf(spec.ProfileProd, "s3://b", ""), "", "backend"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Backend(tt.flag, tt.s, home)
			if tt.errKey != "" {
				var errs spec.Errors
				if !errors.As(err, &errs) || errs[0].Path != tt.errKey || !strings.Contains(err.Error(), "s3://") {
					t.Fatalf("error %v, want one naming %s and the s3:// form", err, tt.errKey)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Backend = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if st, err := os.Stat(filepath.Join(home, ".mlops/state")); err != nil || !st.IsDir() {
		t.Errorf("dev's default state directory was not created: %v", err)
	}
}

func TestSecrets(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name, flag string
		s          *spec.Spec
		env        map[string]string
		want       string
		wantEnv    map[string]string
		fails      bool
	}{
		{"prod kms", "", specOf(spec.ProfileProd, "", "awskms://alias/state?region=eu-west-1"), nil, "awskms://alias/state?region=eu-west-1", map[string]string{}, false},
		{"prod passphrase refused", "passphrase", specOf(spec.ProfileProd, "", ""), map[string]string{EnvPassphrase: "x"}, "", nil, true},
		{"prod unset refused", "", specOf(spec.ProfileProd, "", ""), nil, "", nil, true},
		{"dev mlops passphrase", "", specOf(spec.ProfileDev, "", ""), map[string]string{EnvPassphrase: "s3cret"}, "passphrase", map[string]string{EnvPulumiPassphrase: "s3cret"}, false},
		{"dev pulumi passphrase", "", specOf(spec.ProfileDev, "", ""), map[string]string{EnvPulumiPassphrase: "p"}, "passphrase", map[string]string{EnvPulumiPassphrase: "p"}, false},
		{"dev no passphrase", "", specOf(spec.ProfileDev, "", ""), nil, "", nil, true},
		{"dev kms", "awskms://alias/x", specOf(spec.ProfileDev, "", ""), nil, "awskms://alias/x", map[string]string{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, vars, err := Secrets(tt.flag, tt.s, env(tt.env))
			if tt.fails {
				var errs spec.Errors
				if !errors.As(err, &errs) || errs[0].Path != "secretsProvider" {
					t.Fatalf("error %v, want one naming secretsProvider", err)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Fatal("the error shows the passphrase")
				}
				return
			}
			if err != nil || got != tt.want || len(vars) != len(tt.wantEnv) {
				t.Fatalf("Secrets = %q, %v, %v", got, vars, err)
			}
			for k, v := range tt.wantEnv {
				if vars[k] != v {
					t.Errorf("%s = %q, want %q", k, vars[k], v)
				}
			}
		})
	}
}

func TestFindPulumi(t *testing.T) {
	dir := t.TempDir()
	inBin := filepath.Join(dir, "bin", "pulumi")
	elsewhere := filepath.Join(dir, "pulumi")
	for _, p := range []string{inBin, elsewhere} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	none := func(string) (string, error) { return "", errors.New("not found") }
	onPath := func(string) (string, error) { return inBin, nil }
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EnvPulumi {
				return v
			}
			return ""
		}
	}
	if got, err := FindPulumi(env(inBin), none); err != nil || got != inBin {
		t.Errorf("MLOPS_PULUMI: %q, %v", got, err)
	}
	if got, err := FindPulumi(env(""), onPath); err != nil || got != inBin {
		t.Errorf("PATH: %q, %v", got, err)
	}
	_, err := FindPulumi(env(""), none)
	if !errors.Is(err, ErrNoPulumi) || !strings.Contains(err.Error(), "get.pulumi.com") || !strings.Contains(err.Error(), SDKVersion) {
		t.Errorf("missing CLI: %v, want what to install", err)
	}
	if _, err := FindPulumi(env(elsewhere), none); err == nil || !strings.Contains(err.Error(), "bin") {
		t.Errorf("a CLI outside a bin directory: %v", err)
	}
	if _, err := FindPulumi(env(filepath.Join(dir, "nope", "bin", "pulumi")), none); !errors.Is(err, ErrNoPulumi) {
		t.Errorf("MLOPS_PULUMI naming nothing: %v", err)
	}
}

// TestVersionsFollowGoMod: the CLI minimum and the plugin versions are the
// SDK versions go.mod pins.
func TestVersionsFollowGoMod(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for mod, want := range map[string]string{
		"github.com/pulumi/pulumi/sdk/v3":            SDKVersion,
		"github.com/pulumi/pulumi-aws/sdk/v6":        Plugins["aws"],
		"github.com/pulumi/pulumi-kubernetes/sdk/v4": Plugins["kubernetes"],
	} {
		m := regexp.MustCompile(regexp.QuoteMeta(mod) + ` v(\S+)`).FindSubmatch(b)
		if m == nil || string(m[1]) != want {
			t.Errorf("go.mod pins %s %q, the deployer uses %s", mod, m, want)
		}
	}
}
