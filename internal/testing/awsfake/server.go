// Package awsfake runs a local HTTP endpoint that speaks the AWS protocols
// the platform's clients use — S3 REST-XML, KMS, CloudWatch Logs and
// SSM JSON 1.1, EKS REST-JSON, RDS, Auto Scaling and STS query (and
// EC2 query) — with injectable throttling, server errors and slow answers. It
// is the cloud boundary of the tests: the real AWS SDK clients talk to it
// over HTTP, so their serializers and deserializers judge every answer.
//
// Every request is validated against its operation's input shape in AWS's
// own API model (third_party/aws-api-models/operations, validate.go):
// required members, lengths, patterns, ranges and enums. A violation is
// answered as the service answers it, and fails the test at Close unless
// the test calls AllowRefusals.
//
// A service is a protocol and a table of operations (services.go); adding
// an operation is one handler, one table line and its name in the models'
// refresh.sh.
package awsfake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
)

// Account and Region of the fake.
const (
	Account = "111122223333"
	Region  = "eu-west-1"
)

// Server is the fake endpoint and the account state behind it.
type Server struct {
	*httptest.Server

	mu     sync.Mutex
	faults map[string][]Fault
	calls  []Call

	buckets  map[string]*Bucket
	keys     []*key
	aliases  map[string]string // alias name -> key id
	clusters map[string]*Cluster
	// addonVersions are the builds DescribeAddonVersions lists, by add-on.
	addonVersions map[string][]AddonVersion
	dbs           map[string]*DBInstance
	logGroups     map[string]*LogGroup
	asgs          map[string]*AutoScalingGroup
	certs         map[string]*Certificate
	roles         map[string]string // role ARN -> required external ID
	sessions      []*Session
	// documents are the account's custom Session documents, by name.
	documents  map[string]sessionDocument
	updateSeq  int
	restore    Restore
	versionSeq int
	// refusals says a test sends values AWS refuses on purpose.
	refusals bool
}

// Call is one request the server received, failed attempts included.
type Call struct {
	Service, Op string
	// Params are the request's parameters as sent: the query string and
	// body (form, JSON or XML).
	Params string
	// Input is the request as the validator read it from the protocol:
	// the input shape's members by name (see internal/smithy).
	Input map[string]any
	// Refused holds the model violations the request was refused for
	// (see Violations), or "".
	Refused string
	// Injected is the code of the injected fault (Fail) the request was
	// answered with before the fake read it, or why an injected delay
	// ended it unread; "" for a request the fake read.
	Injected string
}

// New starts a server with an empty account; Close stops it.
func New() *Server {
	s := &Server{
		faults: map[string][]Fault{}, buckets: map[string]*Bucket{}, aliases: map[string]string{},
		clusters: map[string]*Cluster{}, dbs: map[string]*DBInstance{}, logGroups: map[string]*LogGroup{},
		asgs: map[string]*AutoScalingGroup{},
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Fail makes the next n requests of op (an API operation name such as
// "PutBucketPolicy" or "DescribeCluster") answer f.
func (s *Server) Fail(op string, f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[op] = append(s.faults[op], f)
	}
}

// Calls returns how many requests of op arrived, failed ones included.
func (s *Server) Calls(op string) int {
	n := 0
	for _, c := range s.Requests() {
		if c.Op == op {
			n++
		}
	}
	return n
}

// Log returns the operations received, in order.
func (s *Server) Log() []string {
	var ops []string
	for _, c := range s.Requests() {
		ops = append(ops, c.Op)
	}
	return ops
}

// Requests returns every request received, in order.
func (s *Server) Requests() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Request is one decoded request as a handler sees it.
type Request struct {
	HTTP *http.Request
	Op   string
	Body []byte
	// Path holds the path parameters of a REST operation.
	Path map[string]string
	// Form holds the parameters of a query-protocol operation.
	Form url.Values
	// Header receives response headers.
	Header http.Header
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	name, svc := identify(r)
	req := &Request{HTTP: r, Body: body, Header: w.Header()}
	h, err := svc.route(req)
	if !signed(r) {
		h, err = nil, unsigned(name)
	}
	params := r.URL.RawQuery
	if len(body) > 0 {
		params += " " + string(body)
	}
	s.mu.Lock()
	s.calls = append(s.calls, Call{Service: name, Op: req.Op, Params: params})
	call := len(s.calls) - 1
	f, faulted := s.fault(req.Op)
	s.mu.Unlock()
	if faulted && f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			s.mu.Lock()
			s.calls[call].Injected = "canceled during an injected delay"
			s.mu.Unlock()
			return
		}
	}
	if faulted && f.Status != 0 {
		s.mu.Lock()
		s.calls[call].Injected = f.Code
		s.mu.Unlock()
		svc.writeError(w, req.Op, &APIError{Status: f.Status, Code: f.Code, Message: "injected"})
		return
	}
	if err == nil {
		err = s.check(name, svc, req, call)
	} else if !signed(r) {
		s.mu.Lock()
		s.calls[call].Refused = "the request is not signed with SigV4"
		s.mu.Unlock()
	}
	if err != nil {
		svc.writeError(w, req.Op, err)
		return
	}
	s.mu.Lock()
	out, err := h(s, req)
	s.mu.Unlock()
	if err != nil {
		svc.writeError(w, req.Op, err)
		return
	}
	svc.write(w, req.Op, out)
}

// fault pops op's next injected fault; the caller holds s.mu.
func (s *Server) fault(op string) (Fault, bool) {
	q := s.faults[op]
	if len(q) == 0 {
		return Fault{}, false
	}
	s.faults[op] = q[1:]
	return q[0], true
}

// signed says the request carries a SigV4 signature: an Authorization
// header with an AWS4-HMAC-SHA256 credential, or a presigned URL's
// X-Amz-Signature. The signature itself is not verified.
func signed(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	return strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") && strings.Contains(auth, "Credential=") && strings.Contains(auth, "Signature=") ||
		r.URL.Query().Get("X-Amz-Algorithm") == "AWS4-HMAC-SHA256" && r.URL.Query().Get("X-Amz-Signature") != ""
}

// unsigned is the answer to an unsigned request: S3's AccessDenied, and
// the other services' MissingAuthenticationToken (HTTP 403, the Common
// Errors of the AWS API References).
func unsigned(service string) error {
	if service == "s3" {
		return &APIError{Status: http.StatusForbidden, Code: "AccessDenied", Message: "Access Denied"}
	}
	return &APIError{Status: http.StatusForbidden, Code: "MissingAuthenticationToken", Message: "Missing Authentication Token"}
}

// identify names the service of a request from its SigV4 credential scope
// (…/<date>/<region>/<service>/aws4_request), or its X-Amz-Target.
func identify(r *http.Request) (string, *service) {
	auth := r.Header.Get("Authorization")
	if _, scope, ok := strings.Cut(auth, "Credential="); ok {
		scope, _, _ = strings.Cut(scope, ",")
		if parts := strings.Split(scope, "/"); len(parts) == 5 {
			if svc, ok := services[parts[3]]; ok {
				return parts[3], svc
			}
		}
	}
	target, _, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	for name, svc := range services {
		if svc.target != "" && svc.target == target {
			return name, svc
		}
	}
	return "s3", services["s3"]
}

// Config is a client configuration for the server: static credentials,
// the server's URL as endpoint, and the platform's retryer (awsclient)
// with o's backoff and attempt timeout.
func (s *Server) Config(o awsclient.Options) aws.Config {
	return awsclient.Apply(aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDFAKE", "fake-secret", ""),
		BaseEndpoint: aws.String(s.URL),
	}, o)
}
