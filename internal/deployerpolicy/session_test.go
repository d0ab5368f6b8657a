package deployerpolicy

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/bastion"
)

// TestSessionsOnlyWithThePlatformsDocuments evaluates StartSession under
// prod's policy (review N11): Session Manager authorizes it on the
// instance and on the document, and with ssm:SessionDocumentAccessCheck
// on the document even when the request names none (the default shell,
// SSM-SessionManagerRunShell). Only the platform's Port documents pass;
// the shell is denied outright, AWS's any-host forwarding implicitly.
func TestSessionsOnlyWithThePlatformsDocuments(t *testing.T) {
	allow := authorizer(t, build(t, stackGraphs(t)["prod"]))
	const cluster = "mlops-platform-prod"
	instance := "arn:aws:ec2:eu-west-1:" + testAccount + ":instance/i-0123456789abcdef0"
	doc := func(account, name string) string { return "arn:aws:ssm:eu-west-1:" + account + ":document/" + name }
	for _, c := range []struct {
		name string
		req  iampolicy.Request
		want iampolicy.Decision
	}{
		{"the bastion, with the document check", iampolicy.Request{Action: "ssm:StartSession", Resource: instance,
			Context: ctx("ssm:resourceTag/Name", cluster+"-bastion", "ssm:SessionDocumentAccessCheck", "true")}, iampolicy.Allowed},
		// A policy-only key: a request that does not carry it is judged by
		// its document, which the statements below check.
		{"the bastion, the key absent from the request", iampolicy.Request{Action: "ssm:StartSession", Resource: instance,
			Context: ctx("ssm:resourceTag/Name", cluster+"-bastion")}, iampolicy.Allowed},
		{"the bastion, the document check off", iampolicy.Request{Action: "ssm:StartSession", Resource: instance,
			Context: ctx("ssm:resourceTag/Name", cluster+"-bastion", "ssm:SessionDocumentAccessCheck", "false")}, iampolicy.ImplicitDeny},
		{"the tunnel's document", iampolicy.Request{Action: "ssm:StartSession", Resource: doc(testAccount, bastion.TunnelDocumentName(cluster))}, iampolicy.Allowed},
		{"the drill's document", iampolicy.Request{Action: "ssm:StartSession", Resource: doc(testAccount, bastion.DrillDocumentName(cluster))}, iampolicy.Allowed},
		{"another stack's tunnel document", iampolicy.Request{Action: "ssm:StartSession", Resource: doc(testAccount, bastion.TunnelDocumentName("other"))}, iampolicy.ImplicitDeny},
		{"the default shell", iampolicy.Request{Action: "ssm:StartSession", Resource: doc(testAccount, "SSM-SessionManagerRunShell")}, iampolicy.ExplicitDeny},
		{"the default shell, AWS-owned form", iampolicy.Request{Action: "ssm:StartSession", Resource: doc("", "SSM-SessionManagerRunShell")}, iampolicy.ExplicitDeny},
		{"AWS's forwarding to any host", iampolicy.Request{Action: "ssm:StartSession", Resource: doc("", "AWS-StartPortForwardingSessionToRemoteHost")}, iampolicy.ImplicitDeny},
		{"AWS's SSH document", iampolicy.Request{Action: "ssm:StartSession", Resource: doc("", "AWS-StartSSHSession")}, iampolicy.ImplicitDeny},
		{"AWS's interactive command document", iampolicy.Request{Action: "ssm:StartSession", Resource: doc("", "AWS-StartInteractiveCommand")}, iampolicy.ImplicitDeny},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := allow(c.req); got != c.want {
				t.Errorf("%s: %s, want %s", c.req, got, c.want)
			}
		})
	}
}
