package cli

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/ekstoken"
)

func TestEKSTokenFlags(t *testing.T) {
	for _, c := range []struct {
		name  string
		args  []string
		want  ekstoken.Options
		usage bool
	}{
		{"all flags", []string{"--cluster", "c1", "--region", "eu-west-1", "--role-arn", "arn:aws:iam::111122223333:role/deployer", "--profile", "ops"},
			ekstoken.Options{Cluster: "c1", Region: "eu-west-1", RoleArn: "arn:aws:iam::111122223333:role/deployer", Profile: "ops"}, false},
		{"external ID and session name", []string{"--cluster", "c1", "--region", "eu-west-1", "--role-arn", "arn:aws:iam::111122223333:role/deployer",
			"--external-id", "ext-4242", "--session-name", "c1-deploy"},
			ekstoken.Options{Cluster: "c1", Region: "eu-west-1", RoleArn: "arn:aws:iam::111122223333:role/deployer", ExternalID: "ext-4242", SessionName: "c1-deploy"}, false},
		{"no region", []string{"--cluster", "c1"}, ekstoken.Options{}, true},
		{"stray argument", []string{"--cluster", "c1", "--region", "r", "x"}, ekstoken.Options{}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got ekstoken.Options
			var out bytes.Buffer
			cmd := newEKSTokenCommand(Env{Streams: Streams{Out: &out, Err: &out}}, func(o ekstoken.Options) { got = o })
			cmd.SetArgs(c.args)
			err := cmd.Execute()
			var usage UsageError
			if c.usage != errors.As(err, &usage) {
				t.Fatalf("err = %v, want usage error %v", err, c.usage)
			}
			if !c.usage && got != c.want {
				t.Errorf("options %+v, want %+v", got, c.want)
			}
		})
	}
}
