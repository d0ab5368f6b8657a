package awsfake

import (
	"encoding/json"
	"time"
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

// describeCertificate answers as ACM does: an ARN that names no
// certificate is ResourceNotFoundException (one the model's Arn shape
// refuses never reaches it: see validate.go).
func describeCertificate(s *Server, r *Request) (any, error) {
	var in struct{ CertificateArn string }
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return nil, badRequest("SerializationException", err.Error())
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
