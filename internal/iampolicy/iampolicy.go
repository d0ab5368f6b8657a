// Package iampolicy builds IAM and KMS policy documents as typed values and
// renders them to JSON once the ARNs they mention are known.
package iampolicy

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Version is the only policy language version worth writing.
const Version = "2012-10-17"

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a policy document.
type Statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]any            `json:"Principal,omitempty"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// Allow returns an Allow statement for actions on resources.
func Allow(sid string, actions, resources []string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

// New returns a document holding statements.
func New(statements ...Statement) Document {
	return Document{Version: Version, Statement: statements}
}

// JSON renders the document.
func (d Document) JSON() (string, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("rendering policy document: %w", err)
	}
	return string(b), nil
}

// Render waits for the inputs, calls build with their values in order, and
// renders the document it returns.
func Render(build func(v []string) Document, inputs ...pulumi.StringInput) pulumi.StringOutput {
	args := make([]any, len(inputs))
	for i, in := range inputs {
		args[i] = in
	}
	return pulumi.All(args...).ApplyT(func(vals []any) (string, error) {
		strs := make([]string, len(vals))
		for i, v := range vals {
			s, ok := v.(string)
			if !ok {
				return "", fmt.Errorf("policy input %d is %T, not a string", i, v)
			}
			strs[i] = s
		}
		return build(strs).JSON()
	}).(pulumi.StringOutput)
}

// ServiceTrust is the assume-role policy of a role that an AWS service assumes.
func ServiceTrust(services ...string) string {
	doc := New(Statement{
		Effect:    "Allow",
		Principal: map[string]any{"Service": services},
		Action:    []string{"sts:AssumeRole"},
	})
	out, _ := doc.JSON() // a document of plain strings always marshals
	return out
}

// SourceTrust lets service assume the role only on behalf of a resource of
// accountID whose ARN matches sourceArn (ArnLike, so * is allowed): the
// cross-service confused-deputy conditions AWS documents per service.
func SourceTrust(service, accountID, sourceArn string) string {
	doc := New(Statement{
		Effect:    "Allow",
		Principal: map[string]any{"Service": service},
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string]any{
			"StringEquals": {"aws:SourceAccount": accountID},
			"ArnLike":      {"aws:SourceArn": sourceArn},
		},
	})
	out, _ := doc.JSON() // a document of plain strings always marshals
	return out
}
