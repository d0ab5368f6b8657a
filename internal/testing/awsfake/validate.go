package awsfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"

	awsapimodels "github.com/mlops-platform/mlops-platform/third_party/aws-api-models"

	"github.com/mlops-platform/mlops-platform/internal/smithy"
)

// models are AWS's API models of the services the fake serves, by signing
// name (third_party/aws-api-models/operations).
var models = sync.OnceValues(func() (map[string]*smithy.Model, error) {
	out := map[string]*smithy.Model{}
	for name := range services {
		if name == "ec2" {
			continue // no model vendored, and no operation served
		}
		m, err := smithy.Load(awsapimodels.Operations, "operations/"+name+".json")
		if err != nil {
			return nil, err
		}
		out[name] = m
	}
	return out, nil
})

// validate checks a routed request against its operation's input shape
// in AWS's model, and answers a violation as the service does. An
// operation the model does not hold is refused: the fake serves nothing
// it cannot validate.
func (svc *service) validate(name string, r *Request) (map[string]any, string, error) {
	ms, err := models()
	if err != nil {
		return nil, "", err
	}
	m := ms[name]
	if m == nil || m.Operation(r.Op) == nil {
		return nil, "", &APIError{Status: http.StatusInternalServerError, Code: "InternalFailure", Message: "the fake has no model of " + name + " " + r.Op}
	}
	in, err := svc.input(m, r)
	if err != nil {
		return nil, "", err
	}
	vs, err := m.Input(r.Op, in)
	if err != nil || len(vs) == 0 {
		return in, "", err
	}
	return in, smithy.Message(vs), refusal(name, m, r.Op, vs)
}

// input decodes a request into the value tree the validator reads, by
// the service's protocol.
func (svc *service) input(m *smithy.Model, r *Request) (map[string]any, error) {
	switch svc.protocol {
	case awsJSON:
		return jsonObject(r.Body)
	case query:
		return queryInput(m, r.Op, r.Form), nil
	case restJSON, restXML:
		return restInput(m, r, svc.protocol)
	}
	return nil, fmt.Errorf("awsfake: no input decoding for protocol %d", svc.protocol)
}

func jsonObject(body []byte) (map[string]any, error) {
	out := map[string]any{}
	if len(bytes.TrimSpace(body)) == 0 {
		return out, nil
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&out); err != nil {
		return nil, badRequest("SerializationException", "the request body is not a JSON object: "+err.Error())
	}
	return out, nil
}

// refusal is the error a service answers for violations of its model:
// the JSON services' ValidationException, the query services' codes
// (ValidationError; RDS's MissingParameter and InvalidParameterValue, as
// the RDS API Reference's Common Errors list them), and S3's own codes
// (InvalidBucketName, MalformedXML, InvalidArgument, from the S3 API
// Reference's error code list). All are HTTP 400.
func refusal(name string, m *smithy.Model, op string, vs []smithy.Violation) error {
	msg := smithy.Message(vs)
	code := "ValidationException"
	switch name {
	case "sts", "autoscaling":
		code = "ValidationError"
	case "rds":
		code = "InvalidParameterValue"
		if vs[0].Kind == smithy.Required {
			code, msg = "MissingParameter", "The request must contain the parameter "+vs[0].Member
		}
	case "s3":
		code = "InvalidArgument"
		switch {
		case vs[0].Member == "Bucket":
			code, msg = "InvalidBucketName", "The specified bucket is not valid."
		case isPayload(m, op, vs[0].Member):
			code, msg = "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema"
		}
	}
	return badRequest(code, msg)
}

func isPayload(m *smithy.Model, op, member string) bool {
	in := m.Shapes[m.Operation(op).Input.Target]
	mem := in.Members[member]
	return mem != nil && mem.Traits.Has("smithy.api#httpPayload")
}

// xmlName is the name a member has in awsQuery keys and XML documents.
func xmlName(name string, mem *smithy.Member) string {
	if n := mem.Traits.String("smithy.api#xmlName"); n != "" {
		return n
	}
	return name
}

func splitList(s string) []any {
	var out []any
	for _, p := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}

// check validates a request and records its decoded input, and any
// refusal, on its call (the caller's index into s.calls).
func (s *Server) check(name string, svc *service, r *Request, call int) error {
	in, refused, err := svc.validate(name, r)
	s.mu.Lock()
	s.calls[call].Input, s.calls[call].Refused = in, refused
	s.mu.Unlock()
	return err
}

// Violations returns the model violations of every refused request, as
// "Service Op: message".
func (s *Server) Violations() []string {
	var out []string
	for _, c := range s.Requests() {
		if c.Refused != "" {
			out = append(out, c.Service+" "+c.Op+": "+c.Refused)
		}
	}
	return out
}

// AllowRefusals lets the server's requests be refused for violating the
// model without Close failing: for tests that send what AWS refuses on
// purpose.
func (s *Server) AllowRefusals() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusals = true
}

// Close stops the server. It panics, failing the test that deferred it,
// when a request was refused for violating AWS's model and the test did
// not call AllowRefusals: every request the code under test makes must be
// one AWS accepts.
func (s *Server) Close() {
	s.Server.Close()
	s.mu.Lock()
	allowed := s.refusals
	s.mu.Unlock()
	if vs := s.Violations(); len(vs) > 0 && !allowed {
		panic("awsfake: requests AWS refuses:\n" + strings.Join(vs, "\n"))
	}
}
