package backend

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
)

// NewClients returns the S3 and KMS clients for cfg.
func NewClients(cfg aws.Config) (*s3.Client, *kms.Client) {
	return awsclient.S3(cfg), kms.NewFromConfig(cfg)
}
