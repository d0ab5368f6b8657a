package acmcheck_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/acm"

	"github.com/mlops-platform/mlops-platform/internal/acmcheck"
	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

const certARN = "arn:aws:acm:eu-west-1:" + awsfake.Account + ":certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"

// TestCheck reads certificates from the fake ACM endpoint through the real
// SDK client.
func TestCheck(t *testing.T) {
	notAfter := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	srv := awsfake.New()
	defer srv.Close()
	srv.AllowRefusals() // one case sends an ARN the model refuses
	srv.PutCertificate(awsfake.Certificate{Arn: certARN, DomainName: "inference.example.com",
		SubjectAlternativeNames: []string{"inference.example.com", "*.inference.example.com"}, Status: "ISSUED", NotAfter: notAfter})
	pending := strings.Replace(certARN, "0f1e", "1f1e", 1)
	srv.PutCertificate(awsfake.Certificate{Arn: pending, DomainName: "*.inference.example.com",
		SubjectAlternativeNames: []string{"*.inference.example.com"}, Status: "PENDING_VALIDATION", NotAfter: notAfter})
	api := acm.NewFromConfig(srv.Config(awsclient.Options{}))
	cases := []struct {
		name, arn, region string
		hosts             []string
		want              string // "" when the check passes
	}{
		{"issued, wildcard covers the inference domain", certARN, "eu-west-1", []string{"*.inference.example.com"}, ""},
		{"a host one label below the wildcard", certARN, "eu-west-1", []string{"model-serving.inference.example.com"}, ""},
		{"two labels below is not covered", certARN, "eu-west-1", []string{"a.b.inference.example.com"}, "does not cover a.b.inference.example.com"},
		{"another domain", certARN, "eu-west-1", []string{"*.models.example.org"}, "does not cover *.models.example.org"},
		{"another region", strings.Replace(certARN, "eu-west-1", "us-east-1", 1), "eu-west-1", nil, "needs one from its own region"},
		{"not issued", pending, "eu-west-1", []string{"*.inference.example.com"}, "PENDING_VALIDATION"},
		{"absent", strings.Replace(certARN, "0f1e", "2f1e", 1), "eu-west-1", nil, "ResourceNotFoundException"},
		{"refused by the model's Arn pattern", "arn:aws:acm:eu-west-1:acct:certificate/x", "eu-west-1", nil, "ValidationException"},
		{"not ACM", "arn:aws:iam::" + awsfake.Account + ":role/x", "eu-west-1", nil, "not an ACM certificate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := acmcheck.Check(context.Background(), api, c.arn, c.region, c.hosts)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("want pass, got %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("want an error containing %q, got %v", c.want, err)
			}
		})
	}
	if n := srv.Calls("DescribeCertificate"); n == 0 {
		t.Error("the fake ACM endpoint received no DescribeCertificate")
	}
}
