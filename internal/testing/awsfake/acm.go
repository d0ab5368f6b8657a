package awsfake

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/awsrules"
)

// Certificate is an ACM certificate of the fake account.
type Certificate struct {
	Arn        string
	DomainName string
	// SubjectAlternativeNames include DomainName, as ACM lists them.
	SubjectAlternativeNames []string
	// Status is ISSUED, PENDING_VALIDATION, EXPIRED, ...
	Status   string
	NotAfter time.Time
}

// PutCertificate adds or replaces a certificate.
func (s *Server) PutCertificate(c Certificate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.certs == nil {
		s.certs = map[string]*Certificate{}
	}
	s.certs[c.Arn] = &c
}

var acmOps = map[string]handler{
	"DescribeCertificate": describeCertificate,
}

// describeCertificate answers as ACM does: a request whose ARN the model's
// Arn shape refuses is a ValidationException; an ARN of this account that
// names no certificate is ResourceNotFoundException.
func describeCertificate(s *Server, r *Request) (any, error) {
	var in struct{ CertificateArn string }
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return nil, badRequest("SerializationException", err.Error())
	}
	rules, err := awsrules.Rules()
	if err != nil {
		return nil, err
	}
	if err := rules["acm.certificate.arn"].Check(in.CertificateArn); err != nil {
		return nil, badRequest("ValidationException", fmt.Sprintf("1 validation error detected: Value '%s' at 'certificateArn' failed to satisfy constraint: %v", in.CertificateArn, err))
	}
	c, ok := s.certs[in.CertificateArn]
	if !ok {
		return nil, badRequest("ResourceNotFoundException", "Could not find certificate "+in.CertificateArn+".")
	}
	return map[string]any{"Certificate": map[string]any{
		"CertificateArn": c.Arn, "DomainName": c.DomainName, "SubjectAlternativeNames": c.SubjectAlternativeNames,
		"Status": c.Status, "Type": "AMAZON_ISSUED", "NotAfter": float64(c.NotAfter.Unix()),
	}}, nil
}
