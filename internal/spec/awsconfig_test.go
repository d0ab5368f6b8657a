package spec

import (
	"strings"
	"testing"
)

func TestStackAWSSettingsFillTheAWSKeys(t *testing.T) {
	file := []byte(`config:
  aws:profile: prod-ops
  aws:assumeRole:
    roleArn: arn:aws:iam::111122223333:role/deployer
    externalId: x1
  aws:allowedAccountIds: ["111122223333"]
`)
	o, err := ParseStackConfig(file)
	if err != nil {
		t.Fatal(err)
	}
	engine, err := ParseEngineConfig(map[string]string{
		"aws:profile":           "prod-ops",
		"aws:assumeRole":        `{"roleArn":"arn:aws:iam::111122223333:role/deployer","externalId":"x1"}`,
		"aws:allowedAccountIds": `["111122223333"]`,
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, ov := range map[string]Overrides{"stack file": o, "engine": engine} {
		t.Run(name, func(t *testing.T) {
			s := prodDefaults("prod")
			if err := ov.Apply(s); err != nil {
				t.Fatal(err)
			}
			want := AWS{Profile: "prod-ops", AssumeRoleArn: "arn:aws:iam::111122223333:role/deployer", AssumeRoleExternalID: "x1", AllowedAccountIds: []string{"111122223333"}}
			if s.AWS.Profile != want.Profile || s.AWS.AssumeRoleArn != want.AssumeRoleArn ||
				s.AWS.AssumeRoleExternalID != want.AssumeRoleExternalID || strings.Join(s.AWS.AllowedAccountIds, ",") != "111122223333" {
				t.Errorf("aws = %+v, want %+v", s.AWS, want)
			}
		})
	}
	ours, err := ParseStackConfig([]byte("config:\n  aws:profile: a\n  mlops-platform:aws:\n    profile: b\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := prodDefaults("prod")
	if err := ours.Apply(s); err != nil {
		t.Fatal(err)
	}
	if s.AWS.Profile != "b" {
		t.Errorf("profile %q: our key must win over aws:profile", s.AWS.Profile)
	}
}

func TestValidateAWSSettings(t *testing.T) {
	c := &collector{}
	validateAWS(c, AWS{AssumeRoleArn: "arn:aws:sts::111122223333:assumed-role/x/y", AllowedAccountIds: []string{"12345"}, AssumeRoleExternalID: ""})
	err := c.err()
	if err == nil {
		t.Fatal("no errors")
	}
	for _, key := range []string{"aws.assumeRoleArn", "aws.allowedAccountIds[0]"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("errors %v do not name %s", err, key)
		}
	}
}
