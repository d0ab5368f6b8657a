// Package backend bootstraps the Pulumi state backend on AWS: an S3 bucket
// for stack state and a KMS key for stack secrets, created idempotently
// with the AWS SDK for Go v2.
package backend

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// Defaults for the optional settings.
const (
	DefaultPrefix         = "state"
	DefaultKMSAlias       = "alias/mlops-platform-state"
	DefaultNoncurrentDays = 90
)

// Config is what the backend is made of.
type Config struct {
	// Bucket is the S3 bucket holding stack state.
	Bucket string
	// Region is where the bucket and key live.
	Region string
	// Prefix is the key prefix of the state inside the bucket.
	Prefix string
	// KMSAlias names the key for stack secrets and state encryption.
	KMSAlias string
	// NoncurrentDays is how long old state versions are kept.
	NoncurrentDays int
}

// WithDefaults fills the optional settings left empty.
func (c Config) WithDefaults() Config {
	if c.Prefix == "" {
		c.Prefix = DefaultPrefix
	}
	if c.KMSAlias == "" {
		c.KMSAlias = DefaultKMSAlias
	}
	if c.NoncurrentDays == 0 {
		c.NoncurrentDays = DefaultNoncurrentDays
	}
	return c
}

var (
	bucketName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	aliasName  = regexp.MustCompile(`^alias/[a-zA-Z0-9/_-]{1,250}$`)
	prefixName = regexp.MustCompile(`^[a-zA-Z0-9!_.*'()/-]+$`)
)

// Validate checks c against the naming rules of S3 and KMS, naming the
// setting at fault.
func (c Config) Validate() error {
	switch {
	case !bucketName.MatchString(c.Bucket) || strings.Contains(c.Bucket, "..") || net.ParseIP(c.Bucket) != nil:
		return fmt.Errorf("bucket: %q is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and hyphens; not an IP address)", c.Bucket)
	case !regionName.MatchString(c.Region):
		return fmt.Errorf("region: %q is not an AWS region name such as eu-west-1", c.Region)
	case !prefixName.MatchString(c.Prefix) || strings.HasPrefix(c.Prefix, "/") || strings.HasSuffix(c.Prefix, "/"):
		return fmt.Errorf("prefix: %q must be a relative S3 key prefix without leading or trailing slash", c.Prefix)
	case !aliasName.MatchString(c.KMSAlias) || strings.HasPrefix(c.KMSAlias, "alias/aws/"):
		return fmt.Errorf("kms-alias: %q must look like alias/NAME and not use the reserved alias/aws/ prefix", c.KMSAlias)
	case c.NoncurrentDays < 1:
		return fmt.Errorf("noncurrent-days: %d must be at least 1", c.NoncurrentDays)
	}
	return nil
}

// BackendURL is the value for `pulumi login` and the backend setting.
func (c Config) BackendURL() string {
	return "s3://" + c.Bucket + "/" + c.Prefix + "?region=" + url.QueryEscape(c.Region)
}

// SecretsProvider is the value for --secrets-provider.
func (c Config) SecretsProvider() string {
	return "awskms://" + c.KMSAlias + "?region=" + url.QueryEscape(c.Region)
}
