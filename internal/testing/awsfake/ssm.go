package awsfake

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
)

// Session is a Session Manager session the fake started.
type Session struct {
	ID, Target, Document string
	Parameters           map[string][]string
	Terminated           bool
}

// Sessions returns the sessions started, in order.
func (s *Server) Sessions() []Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Session, len(s.sessions))
	for i, x := range s.sessions {
		out[i] = *x
	}
	return out
}

// ssmOps are the Systems Manager operations the fake answers.
var ssmOps = map[string]handler{
	"StartSession":     startSession,
	"TerminateSession": terminateSession,
}

// sessionDocument is what StartSession reads of a Session document: its
// parameters and their allowedPattern ("" for none).
type sessionDocument map[string]string

// awsDocuments are the Session documents AWS owns in every account that
// the platform's code has named: the default shell (no parameters) and
// port forwarding to any host (the AWS-StartPortForwardingSessionToRemoteHost
// document's parameters, as AWS publishes it).
var awsDocuments = map[string]sessionDocument{
	"SSM-SessionManagerRunShell":                 {},
	"AWS-StartPortForwardingSessionToRemoteHost": {"host": "", "portNumber": "", "localPortNumber": ""},
}

// AddSessionDocument creates a custom Session document from its JSON
// content (the parameters section is what the fake reads), as
// ssm:CreateDocument would.
func (s *Server) AddSessionDocument(name, content string) error {
	var doc struct {
		SessionType string
		Parameters  map[string]struct{ AllowedPattern string }
	}
	if err := json.Unmarshal([]byte(content), &doc); err != nil {
		return fmt.Errorf("session document %s: %w", name, err)
	}
	d := sessionDocument{}
	for k, p := range doc.Parameters {
		if _, err := regexp.Compile(p.AllowedPattern); err != nil {
			return fmt.Errorf("session document %s: parameter %s: %w", name, k, err)
		}
		d[k] = p.AllowedPattern
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.documents == nil {
		s.documents = map[string]sessionDocument{}
	}
	s.documents[name] = d
	return nil
}

// checkSessionParameters refuses a document the account does not hold
// (InvalidDocument, the code StartSession's model gives) and parameters
// the document does not declare or whose allowedPattern they fail (the
// model names no code for these; the fake answers ValidationException).
func (s *Server) checkSessionParameters(name string, params map[string][]string) error {
	if name == "" {
		name = "SSM-SessionManagerRunShell"
	}
	doc, ok := s.documents[name]
	if !ok {
		doc, ok = awsDocuments[name]
	}
	if !ok {
		return notFound("InvalidDocument", "The specified document "+name+" does not exist.")
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		pattern, declared := doc[k]
		if !declared {
			return badRequest("ValidationException", fmt.Sprintf("document %s has no parameter %s", name, k))
		}
		for _, v := range params[k] {
			if pattern != "" && !regexp.MustCompile(pattern).MatchString(v) {
				return badRequest("ValidationException", fmt.Sprintf("parameter %s=%q of document %s does not match %s", k, v, name, pattern))
			}
		}
	}
	return nil
}

func startSession(s *Server, r *Request) (any, error) {
	var in struct {
		Target, DocumentName string
		Parameters           map[string][]string
	}
	if err := json.Unmarshal(r.Body, &in); err != nil || in.Target == "" {
		return nil, badRequest("ValidationException", fmt.Sprintf("StartSession needs a Target (%v)", err))
	}
	if err := s.checkSessionParameters(in.DocumentName, in.Parameters); err != nil {
		return nil, err
	}
	id := fmt.Sprintf("deployer-%04x", len(s.sessions)+1)
	s.sessions = append(s.sessions, &Session{ID: id, Target: in.Target, Document: in.DocumentName, Parameters: in.Parameters})
	return map[string]any{
		"SessionId":  id,
		"StreamUrl":  "wss://ssmmessages." + Region + ".amazonaws.com/v1/data-channel/" + id + "?role=publish_subscribe",
		"TokenValue": "fake-token-" + id,
	}, nil
}

func terminateSession(s *Server, r *Request) (any, error) {
	var in struct{ SessionId string }
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return nil, badRequest("ValidationException", err.Error())
	}
	for _, x := range s.sessions {
		if x.ID == in.SessionId {
			x.Terminated = true
		}
	}
	return map[string]any{"SessionId": in.SessionId}, nil
}
