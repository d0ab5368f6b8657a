package iampolicy

import "testing"

func TestEvaluateBounded(t *testing.T) {
	must := func(s string) Document {
		d, err := Parse([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	admin := must(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	readLogs := must(`{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/*"}]}`)
	denyKeys := must(`{"Statement":[{"Effect":"Deny","Action":"kms:*","Resource":"*"}]}`)
	boundary := must(`{"Statement":[{"Effect":"Allow","Action":["s3:*","kms:Decrypt"],"Resource":"*"},
	  {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`)
	get := Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/a"}
	for _, c := range []struct {
		name     string
		identity []Document
		req      Request
		want     Decision
	}{
		{"both allow", []Document{admin}, get, Allowed},
		{"identity allows, boundary does not", []Document{admin}, Request{Action: "iam:CreateRole", Resource: "arn:aws:iam::1:role/x"}, ImplicitDeny},
		{"boundary allows, identity does not", []Document{readLogs}, Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/a"}, ImplicitDeny},
		{"boundary allows, identity allows another resource only", []Document{readLogs}, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::other/a"}, ImplicitDeny},
		{"no identity policy", nil, get, ImplicitDeny},
		{"one of several identity policies allows", []Document{readLogs, admin}, Request{Action: "kms:Decrypt", Resource: "*"}, Allowed},
		{"identity deny wins over both allows", []Document{admin, denyKeys}, Request{Action: "kms:Decrypt", Resource: "*"}, ExplicitDeny},
		{"boundary deny wins", []Document{admin}, Request{Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::logs"}, ExplicitDeny},
	} {
		got, err := EvaluateBounded(c.identity, boundary, c.req)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: %s: got %s, want %s", c.name, c.req, got, c.want)
		}
	}
}
