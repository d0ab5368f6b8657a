// Package backendtest runs a local HTTP endpoint that speaks the parts of
// the S3 REST-XML and KMS JSON protocols the backend bootstrap uses, with
// injectable throttling and server errors. It is the cloud boundary of the
// backend tests: the real AWS SDK clients talk to it over HTTP.
package backendtest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Server is a fake S3 and KMS endpoint.
type Server struct {
	*httptest.Server

	mu      sync.Mutex
	buckets map[string]*Bucket
	keys    []*key
	aliases map[string]string // alias name -> key id
	faults  map[string][]Fault
	log     []string // every request's operation, in order, attempts included
}

// Bucket is the stored state of one bucket: each sub-resource is the body
// of the last put, as the client sent it.
type Bucket struct {
	Region      string
	Versioning  []byte
	Encryption  []byte
	PublicBlock []byte
	Policy      []byte
	Lifecycle   []byte
}

type key struct {
	ID, ARN, Description string
	Rotation             bool
}

// Fault is an injected error response.
type Fault struct {
	Status int
	Code   string
}

// Common faults.
var (
	S3SlowDown      = Fault{http.StatusServiceUnavailable, "SlowDown"}
	S3InternalError = Fault{http.StatusInternalServerError, "InternalError"}
	S3AccessDenied  = Fault{http.StatusForbidden, "AccessDenied"}
	KMSThrottling   = Fault{http.StatusBadRequest, "ThrottlingException"}
	KMSInternal     = Fault{http.StatusInternalServerError, "KMSInternalException"}
)

// Account and Region of the fake.
const (
	Account = "111122223333"
	Region  = "eu-west-1"
)

// New starts a server; Close stops it.
func New() *Server {
	s := &Server{buckets: map[string]*Bucket{}, aliases: map[string]string{}, faults: map[string][]Fault{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Fail makes the next n requests of op (an API operation name such as
// "PutBucketPolicy" or "CreateKey") answer f.
func (s *Server) Fail(op string, f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[op] = append(s.faults[op], f)
	}
}

// Calls returns how many requests of op arrived, failed ones included.
func (s *Server) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, o := range s.log {
		if o == op {
			n++
		}
	}
	return n
}

// Log returns the operations received, in order.
func (s *Server) Log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// Bucket returns a copy of a bucket's state, or nil.
func (s *Server) Bucket(name string) *Bucket {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.buckets[name]
	if !ok {
		return nil
	}
	c := *b
	return &c
}

// Keys returns the ARNs of the keys, and the alias map name -> key ARN.
func (s *Server) Keys() (arns []string, aliases map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	aliases = map[string]string{}
	for _, k := range s.keys {
		arns = append(arns, k.ARN)
	}
	for a, id := range s.aliases {
		aliases[a] = s.resolve(id).ARN
	}
	return arns, aliases
}

// KeyRotation reports whether rotation is on for the key with arn.
func (s *Server) KeyRotation(arn string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if k.ARN == arn {
			return k.Rotation
		}
	}
	return false
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if target := r.Header.Get("X-Amz-Target"); strings.HasPrefix(target, "TrentService.") {
		op := strings.TrimPrefix(target, "TrentService.")
		if f, ok := s.fault(op); ok {
			kmsError(w, f.Status, f.Code, "injected")
			return
		}
		s.serveKMS(w, op, body)
		return
	}
	op, bucket := s3Operation(r)
	if f, ok := s.fault(op); ok {
		s3Error(w, f.Status, f.Code, "injected")
		return
	}
	s.serveS3(w, r, op, bucket, body)
}

// fault records op and pops its next injected fault.
func (s *Server) fault(op string) (Fault, bool) {
	s.log = append(s.log, op)
	q := s.faults[op]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[op] = q[1:]
	return q[0], true
}

// subresources maps a bucket sub-resource query key to its operation
// names for GET and PUT.
var subresources = map[string][2]string{
	"versioning":        {"GetBucketVersioning", "PutBucketVersioning"},
	"encryption":        {"GetBucketEncryption", "PutBucketEncryption"},
	"publicAccessBlock": {"GetPublicAccessBlock", "PutPublicAccessBlock"},
	"policy":            {"GetBucketPolicy", "PutBucketPolicy"},
	"lifecycle":         {"GetBucketLifecycleConfiguration", "PutBucketLifecycleConfiguration"},
}

// s3Operation names the S3 operation of a path-style request.
func s3Operation(r *http.Request) (op, bucket string) {
	bucket = strings.Trim(r.URL.Path, "/")
	q := r.URL.Query()
	for sub, ops := range subresources {
		if q.Has(sub) {
			switch r.Method {
			case http.MethodGet:
				return ops[0], bucket
			case http.MethodPut:
				return ops[1], bucket
			}
		}
	}
	switch r.Method {
	case http.MethodHead:
		return "HeadBucket", bucket
	case http.MethodPut:
		return "CreateBucket", bucket
	}
	return r.Method + " " + r.URL.String(), bucket
}

func (s *Server) serveS3(w http.ResponseWriter, r *http.Request, op, name string, body []byte) {
	b := s.buckets[name]
	if b == nil && op != "CreateBucket" {
		if op == "HeadBucket" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		s3Error(w, http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
		return
	}
	switch op {
	case "HeadBucket":
		w.Header().Set("X-Amz-Bucket-Region", b.Region)
	case "CreateBucket":
		if b != nil {
			s3Error(w, http.StatusConflict, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded")
			return
		}
		var c struct{ LocationConstraint string }
		if len(body) > 0 {
			if err := xml.Unmarshal(body, &c); err != nil {
				s3Error(w, http.StatusBadRequest, "MalformedXML", err.Error())
				return
			}
		}
		region := c.LocationConstraint
		if region == "" {
			region = "us-east-1"
		}
		s.buckets[name] = &Bucket{Region: region}
	case "GetBucketVersioning":
		if b.Versioning == nil {
			fmt.Fprint(w, `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`)
			return
		}
		w.Write(b.Versioning)
	case "GetBucketPolicy":
		getSub(w, b.Policy, "NoSuchBucketPolicy")
	case "GetBucketEncryption":
		getSub(w, b.Encryption, "ServerSideEncryptionConfigurationNotFoundError")
	case "GetPublicAccessBlock":
		getSub(w, b.PublicBlock, "NoSuchPublicAccessBlockConfiguration")
	case "GetBucketLifecycleConfiguration":
		getSub(w, b.Lifecycle, "NoSuchLifecycleConfiguration")
	case "PutBucketPolicy":
		if !json.Valid(body) {
			s3Error(w, http.StatusBadRequest, "MalformedPolicy", "Policies must be valid JSON")
			return
		}
		b.Policy = body
		w.WriteHeader(http.StatusNoContent)
	case "PutBucketVersioning":
		b.Versioning = body
	case "PutBucketEncryption":
		b.Encryption = body
	case "PutPublicAccessBlock":
		b.PublicBlock = body
	case "PutBucketLifecycleConfiguration":
		b.Lifecycle = body
	default:
		s3Error(w, http.StatusNotImplemented, "NotImplemented", op+" is not implemented by the fake")
	}
}

func getSub(w http.ResponseWriter, stored []byte, missing string) {
	if stored == nil {
		s3Error(w, http.StatusNotFound, missing, "not configured")
		return
	}
	w.Write(stored)
}

func s3Error(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>fake</RequestId></Error>`, code, msg)
}

func kmsError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": msg})
}

func (s *Server) serveKMS(w http.ResponseWriter, op string, body []byte) {
	var in struct {
		KeyID       string `json:"KeyId"`
		Description string
		AliasName   string
		TargetKeyID string `json:"TargetKeyId"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		kmsError(w, http.StatusBadRequest, "SerializationException", err.Error())
		return
	}
	var out any
	switch op {
	case "CreateKey":
		id := fmt.Sprintf("%08d-0000-4000-8000-%012d", len(s.keys)+1, len(s.keys)+1)
		k := &key{ID: id, ARN: "arn:aws:kms:" + Region + ":" + Account + ":key/" + id, Description: in.Description}
		s.keys = append(s.keys, k)
		out = map[string]any{"KeyMetadata": metadata(k)}
	case "DescribeKey":
		k := s.resolve(in.KeyID)
		if k == nil {
			kmsError(w, http.StatusBadRequest, "NotFoundException", "Key '"+in.KeyID+"' does not exist")
			return
		}
		out = map[string]any{"KeyMetadata": metadata(k)}
	case "ListKeys":
		var ks []map[string]string
		for _, k := range s.keys {
			ks = append(ks, map[string]string{"KeyId": k.ID, "KeyArn": k.ARN})
		}
		out = map[string]any{"Keys": ks, "Truncated": false}
	case "GetKeyRotationStatus", "EnableKeyRotation":
		k := s.resolve(in.KeyID)
		if k == nil {
			kmsError(w, http.StatusBadRequest, "NotFoundException", "Key '"+in.KeyID+"' does not exist")
			return
		}
		if op == "EnableKeyRotation" {
			k.Rotation = true
		}
		out = map[string]any{"KeyRotationEnabled": k.Rotation}
	case "CreateAlias":
		k := s.resolve(in.TargetKeyID)
		switch {
		case k == nil:
			kmsError(w, http.StatusBadRequest, "NotFoundException", "Key '"+in.TargetKeyID+"' does not exist")
			return
		case s.aliases[in.AliasName] != "":
			kmsError(w, http.StatusBadRequest, "AlreadyExistsException", "Alias "+in.AliasName+" already exists")
			return
		}
		s.aliases[in.AliasName] = k.ID
		out = map[string]any{}
	default:
		kmsError(w, http.StatusBadRequest, "UnsupportedOperationException", op+" is not implemented by the fake")
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

// resolve finds a key by id, ARN or alias.
func (s *Server) resolve(ref string) *key {
	if id, ok := s.aliases[ref]; ok {
		ref = id
	}
	for _, k := range s.keys {
		if k.ID == ref || k.ARN == ref {
			return k
		}
	}
	return nil
}

func metadata(k *key) map[string]any {
	return map[string]any{
		"KeyId": k.ID, "Arn": k.ARN, "Description": k.Description, "Enabled": true,
		"KeyState": "Enabled", "KeyManager": "CUSTOMER", "KeyUsage": "ENCRYPT_DECRYPT",
		"AWSAccountId": Account,
	}
}
