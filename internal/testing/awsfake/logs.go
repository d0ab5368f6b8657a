package awsfake

import (
	"encoding/json"
	"strings"
)

// LogGroup is a CloudWatch Logs group's state.
type LogGroup struct {
	Name string
	// RetentionDays is 0 for never expire.
	RetentionDays int
	KMSKeyID      string
}

// PutLogGroup stores g (replacing a group of its name).
func (s *Server) PutLogGroup(g LogGroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logGroups[g.Name] = &g
}

// logsOps are the CloudWatch Logs operations the fake answers.
var logsOps = map[string]handler{
	"DescribeLogGroups": describeLogGroups,
}

func describeLogGroups(s *Server, r *Request) (any, error) {
	var in struct {
		LogGroupNamePrefix string `json:"logGroupNamePrefix"`
	}
	if err := json.Unmarshal(r.Body, &in); err != nil {
		return nil, badRequest("InvalidParameterException", err.Error())
	}
	groups := []map[string]any{}
	for _, name := range sortedKeys(s.logGroups) {
		if !strings.HasPrefix(name, in.LogGroupNamePrefix) {
			continue
		}
		g := s.logGroups[name]
		out := map[string]any{
			"logGroupName": g.Name, "arn": "arn:aws:logs:" + Region + ":" + Account + ":log-group:" + g.Name + ":*",
			"creationTime": 1767225600000, "logGroupClass": "STANDARD",
		}
		if g.RetentionDays > 0 {
			out["retentionInDays"] = g.RetentionDays
		}
		if g.KMSKeyID != "" {
			out["kmsKeyId"] = g.KMSKeyID
		}
		groups = append(groups, out)
	}
	return map[string]any{"logGroups": groups}, nil
}
