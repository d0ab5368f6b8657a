package spec

import (
	"errors"
	"strings"
	"testing"
)

func TestOverridesApply(t *testing.T) {
	s, _, err := resolveWith(t, "prod",
		"kubernetesVersion=1.34",
		"nodeGroups.gpu.maxSize=8",
		"nodeGroups.gpu.instanceTypes=[g5.xlarge]",
		"database.multiAz=false",
		"tags.Team=ml",
	)
	if err != nil {
		t.Fatal(err)
	}
	if s.KubernetesVersion != "1.34" {
		t.Errorf("kubernetesVersion = %q (a version must stay text)", s.KubernetesVersion)
	}
	if s.NodeGroups.GPU.MaxSize != 8 || s.NodeGroups.GPU.InstanceTypes[0] != "g5.xlarge" {
		t.Errorf("gpu group = %+v", s.NodeGroups.GPU)
	}
	if s.Database.MultiAz {
		t.Error("database.multiAz override ignored")
	}
	if s.Tags["Team"] != "ml" || s.Tags["Environment"] != "prod" {
		t.Errorf("tags must merge into the profile's: %v", s.Tags)
	}
}

func TestStackConfigFile(t *testing.T) {
	content := `
config:
  aws:profile: deployer
  pulumi:tags:
    team: ml
  mlops-platform:kubernetesVersion: 1.34
  mlops-platform:nodeGroups:
    gpu:
      maxSize: 6
  mlops-platform:clusterEndpointPublicAccessCidrs:
    - 198.51.100.0/24
`
	o, err := ParseStackConfig([]byte(content))
	if err != nil {
		t.Fatal(err)
	}
	if _, other := o["pulumi:tags"]; other {
		t.Error("pulumi: keys must be left to Pulumi")
	}
	s, _, err := Resolve(Input{Stack: "dev", Overrides: o, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if s.KubernetesVersion != "1.34" || s.NodeGroups.GPU.MaxSize != 6 || s.ClusterEndpointPublicAccessCidrs[0] != "198.51.100.0/24" {
		t.Errorf("file overrides not applied: %+v", s)
	}
}

func TestStackConfigErrors(t *testing.T) {
	cases := []struct{ name, content, want string }{
		{"secret value", "config:\n  mlops-platform:region:\n    secure: AAAB\n", "secret values are not accepted"},
		{"not a mapping", "- a\n- b\n", "must be a mapping"},
		{"broken yaml", "config: [\n", "parsing stack configuration"},
		{"alias", "x: &a 1\nconfig:\n  mlops-platform:region: *a\n", "aliases"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseStackConfig([]byte(tc.content))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestStackConfigKeysNotRead: a key of the stack file the program does
// not read is an error naming the key meant, never silence (aws:region
// would deploy to mlops-platform:region's region).
func TestStackConfigKeysNotRead(t *testing.T) {
	cases := []struct{ name, key, want string }{
		{"aws region", "aws:region: us-east-1", `aws:region: not read: the program's AWS provider takes its region from mlops-platform:region (did you mean "mlops-platform:region"?)`},
		{"other aws key", "aws:skipCredentialsValidation: true", "aws:skipCredentialsValidation: not read: of the aws: keys the program reads only aws:profile"},
		{"no namespace", "kserveIngressDomain: typo.example.com", `kserveIngressDomain: a key without a namespace is not read (did you mean "mlops-platform:kserveIngressDomain"?)`},
		{"no namespace, misspelt", "logRetentionDay: 30", `(did you mean "mlops-platform:logRetentionDays"?)`},
		{"misspelt namespace", "mlops-platfrom:region: eu-west-1", `namespace mlops-platfrom is not mlops-platform (did you mean "mlops-platform:region"?)`},
		{"another tool's", "kubernetes:context: kind", "kubernetes:context: not read: the program reads keys of mlops-platform"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseStackConfig([]byte("config:\n  mlops-platform:region: eu-west-1\n  " + tc.key + "\n"))
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want) {
				t.Errorf("got %v, want one problem containing %q", err, tc.want)
			}
		})
	}
}

// TestSuggest: a misspelling within 2 edits names the key; a key far
// from all lists them.
func TestSuggest(t *testing.T) {
	known := []string{"minSize", "desiredSize", "maxSize", "logRetentionDays"}
	for _, tc := range []struct{ key, want string }{
		{"desiredsize", `(did you mean "desiredSize"?)`},
		{"desiredSise", `(did you mean "desiredSize"?)`},
		{"logRetentionDay", `(did you mean "logRetentionDays"?)`},
		{"maxSiz", `(did you mean "maxSize"?)`},
		{"replicas", "(known keys: desiredSize, logRetentionDays, maxSize, minSize)"},
	} {
		if got := strings.TrimSpace(suggest(tc.key, known)); got != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}

func TestEngineConfig(t *testing.T) {
	o, err := ParseEngineConfig(map[string]string{
		"mlops-platform:nodeGroups":       `{"general":{"minSize":4,"desiredSize":4}}`,
		"mlops-platform:logRetentionDays": "60",
		"aws:region":                      "eu-west-1",
	})
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := Resolve(Input{Stack: "prod", Overrides: o, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if s.NodeGroups.General.MinSize != 4 || s.LogRetentionDays != 60 {
		t.Errorf("engine config not applied: general=%+v retention=%d", s.NodeGroups.General, s.LogRetentionDays)
	}
}

func TestParseSetErrors(t *testing.T) {
	for _, flag := range []string{"novalue", "=x", "a..b=1", "a=[unclosed"} {
		t.Run(flag, func(t *testing.T) {
			if err := (Overrides{}).ParseSet(flag); err == nil {
				t.Errorf("ParseSet(%q) accepted a malformed flag", flag)
			}
		})
	}
}

func TestProfileKeySelectsProfile(t *testing.T) {
	s, _, err := resolveWith(t, "staging", "profile=prod")
	if err != nil {
		t.Fatal(err)
	}
	if !s.IsProd() || s.ClusterName != "mlops-platform-staging" {
		t.Errorf("got profile %s cluster %s", s.Profile, s.ClusterName)
	}
}
