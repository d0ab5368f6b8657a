package deploy

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// stateSecrets is the part of a stack's exported deployment that names
// its secrets provider: for a cloud provider (awskms://…) the provider URL
// and the data key that provider's key encrypted.
type stateSecrets struct {
	SecretsProviders *struct {
		Type  string `json:"type"`
		State struct {
			URL          string `json:"url"`
			EncryptedKey string `json:"encryptedkey"`
		} `json:"state"`
	} `json:"secrets_providers"`
}

// adoptSecrets gives a workspace that has not yet seen an existing stack
// the stack's cloud secrets provider. Pulumi keeps the provider and its
// encrypted data key in the stack's settings file
// (Pulumi.<stack>.yaml), which only the workspace that created the stack
// has; any other runner's CLI, finding no provider there, falls back to
// a passphrase and refuses ("passphrase must be set"). The state holds
// both, so they are copied from it into the settings.
func adoptSecrets(ctx context.Context, s auto.Stack, provider string) error {
	if provider == "" || provider == "passphrase" {
		return nil
	}
	ws := s.Workspace()
	settings, err := ws.StackSettings(ctx, s.Name())
	if err != nil || settings == nil {
		settings = &workspace.ProjectStack{}
	}
	if settings.SecretsProvider != "" && settings.EncryptedKey != "" {
		return nil
	}
	exported, err := s.Export(ctx)
	if err != nil {
		return fmt.Errorf("reading the secrets provider of stack %s from its state: %w", s.Name(), engineErr(err))
	}
	var state stateSecrets
	if err := json.Unmarshal(exported.Deployment, &state); err != nil {
		return fmt.Errorf("reading the secrets provider of stack %s from its state: %w", s.Name(), err)
	}
	sp := state.SecretsProviders
	if sp == nil || sp.Type != "cloud" || sp.State.EncryptedKey == "" {
		return nil
	}
	if sp.State.URL != provider {
		return fmt.Errorf("stack %s encrypts its secrets with %s, not the configured %s: set secretsProvider to it, "+
			"or change the stack's provider with pulumi stack change-secrets-provider", s.Name(), sp.State.URL, provider)
	}
	settings.SecretsProvider, settings.EncryptedKey = sp.State.URL, sp.State.EncryptedKey
	if err := ws.SaveStackSettings(ctx, s.Name(), settings); err != nil {
		return fmt.Errorf("saving the secrets provider of stack %s: %w", s.Name(), err)
	}
	return nil
}
