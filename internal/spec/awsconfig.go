package spec

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

var (
	accountIDRe = regexp.MustCompile(`^\d{12}$`)
	roleArnRe   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$`)
)

func validateAWS(c *collector, a AWS) {
	if a.AssumeRoleArn != "" && !roleArnRe.MatchString(a.AssumeRoleArn) {
		c.errf("aws.assumeRoleArn", "%q is not an IAM role ARN such as arn:aws:iam::111122223333:role/deployer", a.AssumeRoleArn)
	}
	if a.AssumeRoleExternalID != "" && a.AssumeRoleArn == "" {
		c.errf("aws.assumeRoleExternalId", "needs aws.assumeRoleArn")
	}
	for i, id := range a.AllowedAccountIds {
		if !accountIDRe.MatchString(id) {
			c.errf(fmt.Sprintf("aws.allowedAccountIds[%d]", i), "%q is not a 12-digit AWS account ID", id)
		}
	}
}

// AWS selects the account and credentials the program's explicit AWS
// provider deploys with. An explicit provider does not read the stack's
// aws: configuration by itself, so these keys carry it (stack settings
// aws:profile, aws:assumeRole and aws:allowedAccountIds fill them; keys of
// ours win).
type AWS struct {
	// Profile is the shared-config profile (aws:profile).
	Profile string `json:"profile"`
	// AssumeRoleArn is the role the provider assumes (aws:assumeRole.roleArn).
	AssumeRoleArn string `json:"assumeRoleArn"`
	// AssumeRoleExternalID goes with AssumeRoleArn (aws:assumeRole.externalId).
	AssumeRoleExternalID string `json:"assumeRoleExternalId"`
	// AllowedAccountIds, when set, makes the provider refuse any other
	// account before anything is created (aws:allowedAccountIds).
	AllowedAccountIds []string `json:"allowedAccountIds"`
}

// DeploySessionName is the session name of every AssumeRole the deploy
// makes (the provider, `mlops eks-token`, the tunnel, teardown), so
// CloudTrail shows one name for one stack's deploys.
func (s *Spec) DeploySessionName() string { return s.ClusterName + "-deploy" }

// awsSettings maps the stack's aws: provider settings onto the aws.* keys.
// v is a YAML value (stack file) or engine text (JSON for objects/lists).
func awsSettings(key string, v any) (map[string]any, bool) {
	if s, ok := v.(string); ok && (strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")) {
		var decoded any
		if json.Unmarshal([]byte(s), &decoded) == nil {
			v = decoded
		}
	}
	switch key {
	case "aws:profile":
		return map[string]any{"profile": v}, true
	case "aws:allowedAccountIds":
		return map[string]any{"allowedAccountIds": v}, true
	case "aws:assumeRole":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		out := map[string]any{}
		if arn, ok := m["roleArn"]; ok {
			out["assumeRoleArn"] = arn
		}
		if id, ok := m["externalId"]; ok {
			out["assumeRoleExternalId"] = id
		}
		return out, len(out) > 0
	}
	return nil, false
}

// withAWSSettings returns ours over the aws: settings found in raw.
func withAWSSettings(ours Overrides, raw map[string]any) Overrides {
	fromAWS := map[string]any{}
	for k, v := range raw {
		if m, ok := awsSettings(k, v); ok {
			for kk, vv := range m {
				fromAWS[kk] = vv
			}
		}
	}
	if len(fromAWS) == 0 {
		return ours
	}
	out := Overrides{"aws": fromAWS}
	out.Merge(ours)
	return out
}
