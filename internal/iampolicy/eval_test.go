package iampolicy

import "testing"

func TestEvaluate(t *testing.T) {
	doc, err := Parse([]byte(`{"Statement":[
	 {"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/*"},
	 {"Effect":"Allow","Action":["ec2:CreateTags"],"Resource":"*","Condition":{"StringEquals":{"ec2:CreateAction":["RunInstances","CreateVolume"]},"Null":{"aws:RequestTag/owner":"false"}}},
	 {"Effect":"Allow","Action":"ec2:DeleteTags","Resource":"*","Condition":{"ForAllValues:StringNotEquals":{"aws:TagKeys":"owner"}}},
	 {"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringLikeIfExists":{"kms:ViaService":"s3.*.amazonaws.com"}}},
	 {"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret/*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		req  Request
		want Decision
	}{
		{"wildcard action, case-insensitive", Request{Action: "S3:GetObjectVersion", Resource: "arn:aws:s3:::b/a/b/c"}, Allowed},
		{"resource * crosses slashes", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/x/y"}, Allowed},
		{"other bucket", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::c/x"}, ImplicitDeny},
		{"deny wins", Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/secret/k"}, ExplicitDeny},
		{"all conditions hold", Request{Action: "ec2:CreateTags", Resource: "x", Context: map[string][]string{"ec2:CreateAction": {"CreateVolume"}, "aws:RequestTag/owner": {"a"}}}, Allowed},
		{"condition keys are case-insensitive", Request{Action: "ec2:CreateTags", Resource: "x", Context: map[string][]string{"EC2:createaction": {"RunInstances"}, "aws:requesttag/owner": {"a"}}}, Allowed},
		{"Null false needs the key", Request{Action: "ec2:CreateTags", Resource: "x", Context: map[string][]string{"ec2:CreateAction": {"CreateVolume"}}}, ImplicitDeny},
		{"StringEquals value mismatch", Request{Action: "ec2:CreateTags", Resource: "x", Context: map[string][]string{"ec2:CreateAction": {"CreateSnapshot"}, "aws:RequestTag/owner": {"a"}}}, ImplicitDeny},
		{"ForAllValues with an excluded value", Request{Action: "ec2:DeleteTags", Resource: "x", Context: map[string][]string{"aws:TagKeys": {"team", "owner"}}}, ImplicitDeny},
		{"ForAllValues all fine", Request{Action: "ec2:DeleteTags", Resource: "x", Context: map[string][]string{"aws:TagKeys": {"team"}}}, Allowed},
		{"ForAllValues holds for an absent key", Request{Action: "ec2:DeleteTags", Resource: "x"}, Allowed},
		{"IfExists holds for an absent key", Request{Action: "kms:Decrypt", Resource: "k"}, Allowed},
		{"IfExists still checks a present key", Request{Action: "kms:Decrypt", Resource: "k", Context: map[string][]string{"kms:ViaService": {"ec2.eu-west-1.amazonaws.com"}}}, ImplicitDeny},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := doc.Evaluate(c.req)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%s: %s, want %s", c.req, got, c.want)
			}
		})
	}
}

func TestEvaluateRefusesUnknownOperators(t *testing.T) {
	doc, err := Parse([]byte(`{"Statement":[{"Effect":"Allow","Action":"a:b","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := doc.Evaluate(Request{Action: "a:b", Resource: "*"}); err == nil {
		t.Error("an unimplemented operator was evaluated instead of refused")
	}
}

func TestUncoveredNamesWhatIsMissing(t *testing.T) {
	ref := New(Statement{Effect: "Allow", Action: []string{"ec2:CreateTags", "ec2:DeleteTags"}, Resource: []string{"*"},
		Condition: map[string]map[string]any{"StringEquals": {"ec2:CreateAction": []string{"A", "B"}}}})
	ours := New(Statement{Effect: "Allow", Action: []string{"ec2:CreateTags"}, Resource: []string{"*"},
		Condition: map[string]map[string]any{"StringEquals": {"ec2:CreateAction": "A"}}})
	same := func(_, r string) []string { return []string{r} }
	missing, err := Uncovered(ours, ref, same)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range missing {
		got = append(got, r.String())
	}
	want := []string{
		"ec2:CreateTags on * {ec2:CreateAction=B}",
		"ec2:DeleteTags on * {ec2:CreateAction=A}",
		"ec2:DeleteTags on * {ec2:CreateAction=B}",
	}
	if len(got) != len(want) {
		t.Fatalf("missing %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("missing[%d] = %s, want %s", i, got[i], want[i])
		}
	}
}
