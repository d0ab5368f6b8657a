package awsfake

import (
	"encoding/json"
	"fmt"
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

func startSession(s *Server, r *Request) (any, error) {
	var in struct {
		Target, DocumentName string
		Parameters           map[string][]string
	}
	if err := json.Unmarshal(r.Body, &in); err != nil || in.Target == "" {
		return nil, badRequest("ValidationException", fmt.Sprintf("StartSession needs a Target (%v)", err))
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
