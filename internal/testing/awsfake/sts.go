package awsfake

import (
	"net/http"
	"strings"
	"time"
)

// stsOps are the STS operations the fake answers.
var stsOps = map[string]handler{
	"GetCallerIdentity": func(*Server, *Request) (any, error) {
		return struct{ Account, Arn, UserId string }{Account, "arn:aws:iam::" + Account + ":user/tester", "AIDAFAKE"}, nil
	},
	"AssumeRole": assumeRole,
}

// PutRole adds a role the fake's STS lets callers assume; a non-empty
// externalID is required in AssumeRole, as a trust policy's sts:ExternalId
// condition requires it.
func (s *Server) PutRole(arn, externalID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.roles == nil {
		s.roles = map[string]string{}
	}
	s.roles[arn] = externalID
}

// assumeRoleResult is AssumeRole's answer.
type assumeRoleResult struct {
	Credentials struct {
		AccessKeyId, SecretAccessKey, SessionToken string
		Expiration                                 string
	}
	AssumedRoleUser struct{ Arn, AssumedRoleId string }
}

// assumeRole answers as STS does when the trust policy refuses: 403
// AccessDenied, for an unknown role or a missing or wrong external ID.
func assumeRole(s *Server, r *Request) (any, error) {
	arn, session := r.Form.Get("RoleArn"), r.Form.Get("RoleSessionName")
	want, ok := s.roles[arn]
	if !ok || r.Form.Get("ExternalId") != want {
		return nil, &APIError{Status: http.StatusForbidden, Code: "AccessDenied",
			Message: "User: arn:aws:iam::" + Account + ":user/tester is not authorized to perform: sts:AssumeRole on resource: " + arn}
	}
	var out assumeRoleResult
	out.Credentials.AccessKeyId = "ASIAFAKE"
	out.Credentials.SecretAccessKey = "fake-session-secret"
	out.Credentials.SessionToken = "fake-session-token"
	// Far ahead so no client refreshes during a test; no wall clock.
	out.Credentials.Expiration = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	name := arn[strings.LastIndex(arn, "/")+1:]
	out.AssumedRoleUser.Arn = "arn:aws:sts::" + Account + ":assumed-role/" + name + "/" + session
	out.AssumedRoleUser.AssumedRoleId = "AROAFAKE:" + session
	return out, nil
}
