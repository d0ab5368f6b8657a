package spec

import "strings"

// Secrets providers a stack may name.
const (
	// SecretsPassphrase encrypts with a passphrase (dev only).
	SecretsPassphrase = "passphrase"
	// SecretsKMSPrefix starts an AWS KMS secrets provider URL.
	SecretsKMSPrefix = "awskms://"
	// BackendS3Prefix starts an S3 state backend URL.
	BackendS3Prefix = "s3://"
	// BackendFilePrefix starts a local state backend URL.
	BackendFilePrefix = "file://"
)

// validateDeploy checks the shape of the deploy keys; whether a profile
// may use them is the deployer's decision (prod needs S3 and KMS), so
// that `mlops plan` works without them.
func validateDeploy(c *collector, s *Spec) {
	if b := s.Backend; b != "" && !strings.HasPrefix(b, BackendS3Prefix) && !strings.HasPrefix(b, BackendFilePrefix) {
		c.errf("backend", "%q is not a state backend URL: use s3://bucket/prefix?region=REGION or file://DIR", b)
	}
	if p := s.SecretsProvider; p != "" && p != SecretsPassphrase && !strings.HasPrefix(p, SecretsKMSPrefix) {
		c.errf("secretsProvider", "%q is not a secrets provider: use awskms://alias/NAME?region=REGION or passphrase", p)
	}
}
