package cli

import (
	"net/url"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

// prodRole is the role the tests' prod stack assumes, with its external ID.
const (
	prodRole       = "arn:aws:iam::" + awsfake.Account + ":role/mlops-deployer"
	prodExternalID = "ext-7f3a"
)

// TestDay2CommandsAssumeTheStacksRole: the day-2 commands build their AWS
// configuration from the stack's aws.assumeRoleArn and
// aws.assumeRoleExternalId (review N17): the fake STS sees AssumeRole with
// the role, external ID and deploy session name, and refuses a wrong
// external ID, which then fails the command.
func TestDay2CommandsAssumeTheStacksRole(t *testing.T) {
	cases := []struct {
		name       string
		args       []string
		externalID string
		wantErr    string // "" when the command succeeds
	}{
		{"verify", []string{"verify"}, prodExternalID, ""},
		{"upgrade", []string{"upgrade", "--to", "1.35", "--plan-only"}, prodExternalID, ""},
		{"verify with a wrong external ID", []string{"verify"}, "wrong", "AccessDenied"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := fakeProd(t)
			srv.PutRole(prodRole, prodExternalID)
			if c.name == "upgrade" {
				atVersion(srv, "mlops-platform-prod", "1.34")
			}
			setup := len(srv.Requests())
			args := append(c.args, "--stack", "prod", "--set", "aws.assumeRoleArn="+prodRole, "--set", "aws.assumeRoleExternalId="+c.externalID)
			_, stderr, err := runAWS(t, args...)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("want an error containing %q, got %v", c.wantErr, err)
				}
			} else if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			calls := srv.Requests()[setup:]
			if len(calls) == 0 || calls[0].Op != "AssumeRole" {
				t.Fatalf("first call is not AssumeRole: %v", calls)
			}
			p, err := url.ParseQuery(calls[0].Params)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"RoleArn": prodRole, "ExternalId": c.externalID, "RoleSessionName": "mlops-platform-prod-deploy"}
			for k, v := range want {
				if got := p.Get(k); got != v {
					t.Errorf("AssumeRole %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// TestStackAWSRefusesAnAccountNotAllowed: with aws.allowedAccountIds not
// listing the caller's account, every day-2 command stops after
// GetCallerIdentity with an error naming the key and both accounts; with
// the account listed, the check passes.
func TestStackAWSRefusesAnAccountNotAllowed(t *testing.T) {
	const other = "444455556666"
	cases := [][]string{
		{"verify"},
		{"upgrade", "--to", "1.35", "--plan-only"},
		{"nodes", "rotate", "training", "--kubeconfig", "/nonexistent"},
		{"dr", "drill"},
	}
	for _, args := range cases {
		t.Run(args[0], func(t *testing.T) {
			srv := fakeProd(t)
			setup := len(srv.Requests())
			_, _, err := runAWS(t, append(args, "--stack", "prod", "--set", `aws.allowedAccountIds=["`+other+`"]`)...)
			if err == nil {
				t.Fatal("want a refusal, got success")
			}
			for _, s := range []string{"aws.allowedAccountIds", awsfake.Account, other} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("the refusal does not name %s: %v", s, err)
				}
			}
			var ops []string
			for _, c := range srv.Requests()[setup:] {
				ops = append(ops, c.Op)
			}
			if strings.Join(ops, ",") != "GetCallerIdentity" {
				t.Errorf("calls %v, want only GetCallerIdentity", ops)
			}
		})
	}
	t.Run("allowed", func(t *testing.T) {
		fakeProd(t)
		if _, stderr, err := runAWS(t, "verify", "--stack", "prod", "--set", `aws.allowedAccountIds=["`+other+`","`+awsfake.Account+`"]`); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
	})
}
