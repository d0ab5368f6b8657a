package awsaccount

import (
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestAnswer: what the account holds is found, what it lacks is not, and
// Cloud Control refuses to read an ACM certificate, even one that exists.
func TestAnswer(t *testing.T) {
	tests := []struct {
		tok      string
		args     map[string]any
		o        Options
		key, val string // "" key: want an error containing val
	}{
		{typetoken.GetSessionContext, map[string]any{"arn": "arn:aws:sts::" + AccountID + ":assumed-role/platform-deployer/ci"}, Options{}, "issuerArn", DeployerRole},
		{typetoken.GetParameter, map[string]any{"name": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"}, Options{}, "value", AmiID},
		{typetoken.GetParameter, map[string]any{"name": "/private/x"}, Options{}, "", "SSM parameter /private/x not found"},
		{typetoken.GetResource, map[string]any{"typeName": "AWS::CertificateManager::Certificate", "identifier": CertificateArn}, Options{}, "", "UnsupportedActionException"},
		{typetoken.GetRole, map[string]any{"name": "platform-admin"}, Options{}, "arn", "arn:aws:iam::" + AccountID + ":role/platform-admin"},
		{typetoken.GetRole, map[string]any{"name": "nobody"}, Options{}, "", "role nobody not found"},
		{typetoken.GetUser, map[string]any{"userName": "alice"}, Options{}, "arn", "arn:aws:iam::" + AccountID + ":user/alice"},
		{typetoken.GetSecurityGroup, map[string]any{"id": SecurityGroupID}, Options{}, "name", "vpn-endpoint"},
		{typetoken.GetCallerIdentity, nil, Options{}, "accountId", AccountID},
	}
	for _, tt := range tests {
		out, ok, err := Answer(tt.tok, tt.args, tt.o)
		switch {
		case !ok:
			t.Errorf("%s: not handled", tt.tok)
		case tt.key == "" && (err == nil || !strings.Contains(err.Error(), tt.val)):
			t.Errorf("%s %v: err %v, want %q", tt.tok, tt.args, err, tt.val)
		case tt.key != "" && (err != nil || out[tt.key] != tt.val):
			t.Errorf("%s %v: %s = %v (%v), want %s", tt.tok, tt.args, tt.key, out[tt.key], err, tt.val)
		}
	}
	if _, ok, _ := Answer("aws:ec2/getAmi:getAmi", nil, Options{}); ok {
		t.Error("an invoke the account does not know was handled")
	}
	used, _, _ := Answer(typetoken.GetRoles, map[string]any{"pathPrefix": "/aws-service-role/"}, Options{})
	fresh, _, _ := Answer(typetoken.GetRoles, map[string]any{"pathPrefix": "/aws-service-role/"}, Options{Fresh: true})
	if len(used["names"].([]any)) != 3 || len(fresh["names"].([]any)) != 0 {
		t.Errorf("service-linked roles: used account %v, fresh account %v", used["names"], fresh["names"])
	}
}
