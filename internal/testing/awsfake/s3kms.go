package awsfake

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
)

// Bucket is the stored state of one bucket: each sub-resource is the body
// of the last put, as the client sent it.
type Bucket struct {
	Region      string
	Versioning  []byte
	Encryption  []byte
	PublicBlock []byte
	Policy      []byte
	Lifecycle   []byte

	objects map[string][]*ObjectVersion // key -> versions, newest first
}

type key struct {
	ID, ARN, Description string
	Rotation             bool
	// material is the secret the key's ciphertexts are sealed with.
	material []byte
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

// subresources maps a bucket sub-resource query key to its operation
// names for GET and PUT.
var subresources = map[string][2]string{
	"versioning":        {"GetBucketVersioning", "PutBucketVersioning"},
	"encryption":        {"GetBucketEncryption", "PutBucketEncryption"},
	"publicAccessBlock": {"GetPublicAccessBlock", "PutPublicAccessBlock"},
	"policy":            {"GetBucketPolicy", "PutBucketPolicy"},
	"lifecycle":         {"GetBucketLifecycleConfiguration", "PutBucketLifecycleConfiguration"},
}

// s3Operation names the S3 operation of a path-style request, and its
// bucket and key.
func s3Operation(r *http.Request) (op, bucket, key string) {
	bucket, key, _ = strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if key != "" {
		return s3ObjectOperation(r), bucket, key
	}
	q := r.URL.Query()
	if q.Has("versions") && r.Method == http.MethodGet {
		return "ListObjectVersions", bucket, ""
	}
	if q.Get("list-type") == "2" && r.Method == http.MethodGet {
		return "ListObjectsV2", bucket, ""
	}
	for sub, ops := range subresources {
		if q.Has(sub) {
			switch r.Method {
			case http.MethodGet:
				return ops[0], bucket, ""
			case http.MethodPut:
				return ops[1], bucket, ""
			}
		}
	}
	switch {
	case r.Method == http.MethodGet && bucket == "":
		return "ListBuckets", bucket, ""
	case r.Method == http.MethodHead:
		return "HeadBucket", bucket, ""
	case r.Method == http.MethodPut:
		return "CreateBucket", bucket, ""
	}
	return r.Method + " " + r.URL.String(), bucket, ""
}

// s3Handler names a REST-XML request's operation and returns its handler.
func s3Handler(r *Request) handler {
	op, name, key := s3Operation(r.HTTP)
	r.Op = op
	if op == "ListBuckets" {
		return listBuckets
	}
	switch {
	case s3Ops[op]:
		return func(s *Server, r *Request) (any, error) { return s.s3(r, op, name) }
	case s3ObjectOps[op]:
		return func(s *Server, r *Request) (any, error) {
			b := s.buckets[name]
			switch {
			case b == nil:
				return nil, notFound("NoSuchBucket", "The specified bucket does not exist")
			case op == "ListObjectVersions":
				return listObjectVersions(b, name, r.HTTP.URL.Query().Get("prefix"))
			case op == "ListObjectsV2":
				return listObjectsV2(b, name, r.HTTP.URL.Query())
			}
			return s.s3Object(r, b, op, key)
		}
	}
	return nil
}

// s3Ops are the bucket operations s3 answers.
var s3Ops = map[string]bool{
	"HeadBucket": true, "CreateBucket": true, "GetBucketVersioning": true, "GetBucketPolicy": true,
	"GetBucketEncryption": true, "GetPublicAccessBlock": true, "GetBucketLifecycleConfiguration": true,
	"PutBucketPolicy": true, "PutBucketVersioning": true, "PutBucketEncryption": true,
	"PutPublicAccessBlock": true, "PutBucketLifecycleConfiguration": true,
}

// s3ObjectOps are the object operations s3Object answers (s3objects.go),
// and the listings of objects (s3list.go).
var s3ObjectOps = map[string]bool{
	"ListObjectVersions": true, "ListObjectsV2": true, "GetObject": true, "HeadObject": true, "PutObject": true,
	"CopyObject": true, "DeleteObject": true,
}

func listBuckets(s *Server, r *Request) (any, error) {
	type entry struct{ Name, BucketRegion string }
	out := struct {
		XMLName xml.Name `xml:"ListAllMyBucketsResult"`
		Buckets []entry  `xml:"Buckets>Bucket"`
		Prefix  string   `xml:",omitempty"`
	}{Prefix: r.HTTP.URL.Query().Get("prefix")}
	for _, name := range sortedKeys(s.buckets) {
		if strings.HasPrefix(name, out.Prefix) {
			out.Buckets = append(out.Buckets, entry{name, s.buckets[name].Region})
		}
	}
	return xml.Marshal(out)
}

func (s *Server) s3(r *Request, op, name string) (any, error) {
	b := s.buckets[name]
	if b == nil && op != "CreateBucket" {
		if op == "HeadBucket" {
			return nil, &APIError{Status: http.StatusNotFound}
		}
		return nil, notFound("NoSuchBucket", "The specified bucket does not exist")
	}
	body := r.Body
	switch op {
	case "HeadBucket":
		r.Header.Set("X-Amz-Bucket-Region", b.Region)
	case "CreateBucket":
		if b != nil {
			return nil, &APIError{Status: http.StatusConflict, Code: "BucketAlreadyOwnedByYou", Message: "Your previous request to create the named bucket succeeded"}
		}
		var c struct{ LocationConstraint string }
		if len(body) > 0 {
			if err := xml.Unmarshal(body, &c); err != nil {
				return nil, badRequest("MalformedXML", err.Error())
			}
		}
		region := c.LocationConstraint
		if region == "" {
			region = "us-east-1"
		}
		s.buckets[name] = &Bucket{Region: region}
	case "GetBucketVersioning":
		if b.Versioning == nil {
			return []byte(`<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`), nil
		}
		return b.Versioning, nil
	case "GetBucketPolicy":
		return getSub(b.Policy, "NoSuchBucketPolicy")
	case "GetBucketEncryption":
		return getSub(b.Encryption, "ServerSideEncryptionConfigurationNotFoundError")
	case "GetPublicAccessBlock":
		return getSub(b.PublicBlock, "NoSuchPublicAccessBlockConfiguration")
	case "GetBucketLifecycleConfiguration":
		return getSub(b.Lifecycle, "NoSuchLifecycleConfiguration")
	case "PutBucketPolicy":
		if !json.Valid(body) {
			return nil, badRequest("MalformedPolicy", "Policies must be valid JSON")
		}
		b.Policy = body
	case "PutBucketVersioning":
		b.Versioning = body
	case "PutBucketEncryption":
		b.Encryption = body
	case "PutPublicAccessBlock":
		b.PublicBlock = body
	case "PutBucketLifecycleConfiguration":
		b.Lifecycle = body
	}
	return nil, nil
}

func getSub(stored []byte, missing string) (any, error) {
	if stored == nil {
		return nil, notFound(missing, "not configured")
	}
	return stored, nil
}
