package ekstoken

import (
	"context"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

// TestLoadConfigSendsTheExternalID: a role whose trust requires an
// external ID (the fake's STS refuses AssumeRole without it, as AWS does)
// is assumed only when Options carries it, with the session name given.
func TestLoadConfigSendsTheExternalID(t *testing.T) {
	srv := awsfake.New()
	defer srv.Close()
	const role = "arn:aws:iam::" + awsfake.Account + ":role/platform-deployer"
	srv.PutRole(role, "ext-4242")
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	cases := []struct {
		name     string
		opts     Options
		wantFail bool
	}{
		{"without the external ID", Options{Region: awsfake.Region, RoleArn: role}, true},
		{"with the external ID", Options{Region: awsfake.Region, RoleArn: role, ExternalID: "ext-4242", SessionName: "mlops-platform-prod-deploy"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := LoadConfig(context.Background(), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			creds, err := cfg.Credentials.Retrieve(context.Background())
			if c.wantFail {
				if err == nil || !strings.Contains(err.Error(), "AccessDenied") {
					t.Fatalf("want AccessDenied, got %v (%+v)", err, creds)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if creds.AccessKeyID != "ASIAFAKE" {
				t.Errorf("credentials %+v are not the assumed role's", creds)
			}
		})
	}
	var sessions []string
	for _, r := range srv.Requests() {
		if r.Op == "AssumeRole" && strings.Contains(r.Params, "ExternalId=ext-4242") {
			sessions = append(sessions, r.Params)
		}
	}
	if len(sessions) == 0 || !strings.Contains(sessions[0], "RoleSessionName=mlops-platform-prod-deploy") {
		t.Errorf("no AssumeRole with the external ID and session name: %v", srv.Requests())
	}
}
