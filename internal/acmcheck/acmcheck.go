// Package acmcheck checks, before a deploy, that the stack's ACM
// certificate can serve the platform's ALBs: it is in the stack's region,
// ACM has issued it, and its names cover the hosts the ALBs answer for.
// It reads the certificate with ACM's DescribeCertificate (IAM action
// acm:DescribeCertificate); Cloud Control cannot read ACM certificates
// (AWS::CertificateManager::Certificate has no read handler).
package acmcheck

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"
)

// API is the part of the ACM client the check calls.
type API interface {
	DescribeCertificate(ctx context.Context, in *acm.DescribeCertificateInput, opts ...func(*acm.Options)) (*acm.DescribeCertificateOutput, error)
}

// Check returns why the certificate certARN cannot serve hosts from an ALB
// in region, or nil. A host may be a wildcard (*.example.com), which only
// the same wildcard name covers.
func Check(ctx context.Context, api API, certARN, region string, hosts []string) error {
	a, err := arn.Parse(certARN)
	if err != nil {
		return fmt.Errorf("ingress.certificateArn: %q is not an ARN: %w", certARN, err)
	}
	if a.Service != "acm" {
		return fmt.Errorf("ingress.certificateArn: %q is not an ACM certificate", certARN)
	}
	if a.Region != region {
		return fmt.Errorf("ingress.certificateArn: the certificate is in %s; an ALB in %s needs one from its own region", a.Region, region)
	}
	out, err := api.DescribeCertificate(ctx, &acm.DescribeCertificateInput{CertificateArn: aws.String(certARN)})
	if err != nil {
		return fmt.Errorf("ingress.certificateArn: reading %s from ACM: %w", certARN, err)
	}
	c := out.Certificate
	if c == nil {
		return fmt.Errorf("ingress.certificateArn: ACM returned no certificate for %s", certARN)
	}
	if c.Status != types.CertificateStatusIssued {
		return fmt.Errorf("ingress.certificateArn: %s is %s; an ALB listener needs an ISSUED certificate", certARN, c.Status)
	}
	names := c.SubjectAlternativeNames
	if len(names) == 0 && c.DomainName != nil {
		names = []string{*c.DomainName}
	}
	var missing []string
	for _, h := range hosts {
		if !covered(names, h) {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("ingress.certificateArn: %s does not cover %s (its names: %s)", certARN,
			strings.Join(missing, ", "), strings.Join(names, ", "))
	}
	return nil
}

// covered reports whether a certificate name covers host: the same name,
// or a wildcard *.parent for a host one label below parent (RFC 6125
// 6.4.3: the wildcard matches exactly one label).
func covered(names []string, host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, n := range names {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		if n == host {
			return true
		}
		parent, ok := strings.CutPrefix(n, "*.")
		if !ok || strings.HasPrefix(host, "*.") {
			continue
		}
		if label, rest, ok := strings.Cut(host, "."); ok && label != "" && rest == parent {
			return true
		}
	}
	return false
}
