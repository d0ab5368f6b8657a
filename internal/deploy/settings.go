// Package deploy drives a real deploy through the Pulumi Automation API:
// the program is the stack runner's (stack.Resolved.LayerProgram, passed
// in), run inline, one Pulumi stack per layer (<env>-aws, then
// <env>-cluster). It
// resolves the state backend, the secrets provider and the Pulumi CLI,
// summarises previews, gates risky changes in prod, asks for approval, and
// renders the engine's events as progress.
package deploy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Environment variables the deployer reads.
const (
	// EnvPulumi is the Pulumi CLI to run instead of the one on PATH.
	EnvPulumi = "MLOPS_PULUMI"
	// EnvPassphrase is the passphrase of dev stacks' secrets.
	EnvPassphrase = "MLOPS_PASSPHRASE"
	// EnvPulumiPassphrase is Pulumi's own passphrase variable, also read.
	EnvPulumiPassphrase = "PULUMI_CONFIG_PASSPHRASE"
	// EnvPulumiPassphraseFile names a file holding the passphrase.
	EnvPulumiPassphraseFile = "PULUMI_CONFIG_PASSPHRASE_FILE"
)

// DefaultDevBackend is dev's state backend when none is configured.
const DefaultDevBackend = "file://~/.mlops/state"

// Backend returns the state backend URL: the --backend flag, else the
// stack's backend key; dev defaults to a local directory under home
// (created), prod must name an s3:// URL.
func Backend(flag string, s *spec.Spec, home string) (string, error) {
	url, from := s.Backend, "mlops-platform:backend"
	if flag != "" {
		url, from = flag, "--backend"
	}
	if s.IsProd() {
		if !strings.HasPrefix(url, spec.BackendS3Prefix) {
			got := "it is unset"
			if url != "" {
				got = fmt.Sprintf("%s is %q", from, url)
			}
			hint := "set mlops-platform:backend to s3://<bucket>/<prefix>?region=<region> (mlops backend bootstrap creates one and prints it), or pass --backend"
			if flag != "" {
				hint = "pass --backend s3://<bucket>/<prefix>?region=<region> (mlops backend bootstrap creates one and prints it)"
			}
			return "", spec.Errors{{Path: "backend", Msg: fmt.Sprintf("prod keeps its state in S3, and %s: %s", got, hint)}}
		}
		return url, nil
	}
	if url == "" {
		url = DefaultDevBackend
	}
	if dir, ok := strings.CutPrefix(url, spec.BackendFilePrefix); ok {
		if rest, ok := strings.CutPrefix(dir, "~"); ok {
			dir = filepath.Join(home, rest)
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("creating the state directory %s: %w", dir, err)
		}
		url = spec.BackendFilePrefix + dir
	}
	return url, nil
}

// Secrets returns the secrets provider and the environment the Pulumi CLI
// needs for it: the --secrets-provider flag, else the stack's
// secretsProvider key. Prod must use AWS KMS (awskms://alias/...); dev
// defaults to a passphrase, read from MLOPS_PASSPHRASE or Pulumi's own
// variables, and never logged.
func Secrets(flag string, s *spec.Spec, getenv func(string) string) (string, map[string]string, error) {
	p := s.SecretsProvider
	if flag != "" {
		p = flag
	}
	if s.IsProd() {
		if !strings.HasPrefix(p, spec.SecretsKMSPrefix) {
			return "", nil, spec.Errors{{Path: "secretsProvider", Msg: fmt.Sprintf("prod encrypts its secrets with AWS KMS: set "+
				"mlops-platform:secretsProvider to awskms://alias/<name>?region=<region> (mlops backend bootstrap prints it), "+
				"or pass --secrets-provider; got %q", p)}}
		}
		return p, map[string]string{}, nil
	}
	if p == "" {
		p = spec.SecretsPassphrase
	}
	if p != spec.SecretsPassphrase {
		return p, map[string]string{}, nil
	}
	if v := getenv(EnvPassphrase); v != "" {
		return p, map[string]string{EnvPulumiPassphrase: v}, nil
	}
	if v := getenv(EnvPulumiPassphrase); v != "" {
		return p, map[string]string{EnvPulumiPassphrase: v}, nil
	}
	if v := getenv(EnvPulumiPassphraseFile); v != "" {
		return p, map[string]string{EnvPulumiPassphraseFile: v}, nil
	}
	return "", nil, spec.Errors{{Path: "secretsProvider", Msg: fmt.Sprintf("dev stacks encrypt secrets with a passphrase: export %s (or %s) first, "+
		"or set mlops-platform:secretsProvider to awskms://alias/<name>", EnvPassphrase, EnvPulumiPassphrase)}}
}

// ErrNoPulumi means no Pulumi CLI was found.
var ErrNoPulumi = errors.New("the Pulumi CLI was not found")

// FindPulumi returns the Pulumi CLI to run: MLOPS_PULUMI, else pulumi on
// PATH. The Automation API runs <root>/bin/pulumi, so the binary must sit
// in a directory named bin.
func FindPulumi(getenv func(string) string, lookPath func(string) (string, error)) (string, error) {
	path := getenv(EnvPulumi)
	if path == "" {
		p, err := lookPath("pulumi")
		if err != nil {
			return "", fmt.Errorf("%w on PATH: install Pulumi %s (curl -fsSL https://get.pulumi.com | sh -s -- --version %s, "+
				"then add ~/.pulumi/bin to PATH), or set %s to a .../bin/pulumi", ErrNoPulumi, SDKVersion, SDKVersion, EnvPulumi)
		}
		path = p
	} else if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%w: %s=%s: %v", ErrNoPulumi, EnvPulumi, path, err)
	}
	if filepath.Base(filepath.Dir(path)) != "bin" {
		return "", fmt.Errorf("pulumi CLI %s: it must sit in a directory named bin (the Automation API runs <root>/bin/pulumi); "+
			"link it as <dir>/bin/pulumi and set %s to that path", path, EnvPulumi)
	}
	return path, nil
}
