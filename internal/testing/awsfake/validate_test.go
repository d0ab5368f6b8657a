package awsfake

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestEveryOperationHasItsModel checks that the vendored models hold
// exactly the operations the fake serves, and that their patterns compile.
func TestEveryOperationHasItsModel(t *testing.T) {
	ms, err := models()
	if err != nil {
		t.Fatal(err)
	}
	total, patterns := 0, 0
	for name, svc := range services {
		var served []string
		switch {
		case name == "ec2":
			continue
		case svc.protocol == restJSON:
			for _, rt := range svc.routes {
				served = append(served, rt.op)
			}
		case svc.protocol == restXML:
			served = append(append(sortedKeys(s3Ops), sortedKeys(s3ObjectOps)...), "ListBuckets")
		default:
			served = sortedKeys(svc.ops)
		}
		slices.Sort(served)
		modelled := ms[name].Operations()
		slices.Sort(modelled)
		if !slices.Equal(served, modelled) {
			t.Errorf("%s: the fake serves %v, the vendored model holds %v (edit refresh.sh's list)", name, served, modelled)
		}
		n, err := ms[name].Patterns()
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		total, patterns = total+len(served), patterns+n
	}
	t.Logf("%d operations validated against their models (%d pattern traits)", total, patterns)
}

// answer is an error answer read back in its protocol's format.
type answer struct {
	status        int
	code, message string
}

func send(t *testing.T, srv *Server, svc, method, path, target, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDFAKE/20261129/"+Region+"/"+svc+"/aws4_request, SignedHeaders=host, Signature=0")
	switch {
	case strings.Contains(target, ": "):
		k, v, _ := strings.Cut(target, ": ")
		req.Header.Set(k, v)
	case target != "":
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	case method == http.MethodPost && svc != "eks":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode}
	switch services[svc].protocol {
	case awsJSON:
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(b, &e)
		a.code, a.message = e.Type, e.Message
	case restJSON:
		var e struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(b, &e)
		a.code, a.message = resp.Header.Get("X-Amzn-Errortype"), e.Message
	default: // query <ErrorResponse><Error>, restXml <Error>
		a.code = between(string(b), "<Code>", "</Code>")
		a.message = html.UnescapeString(between(string(b), "<Message>", "</Message>"))
	}
	return a
}

func between(s, from, to string) string {
	_, s, _ = strings.Cut(s, from)
	s, _, _ = strings.Cut(s, to)
	return s
}

// TestRefusesWhatTheModelRefuses sends, per protocol and constraint kind,
// one request the model refuses, and expects the service's error in its
// protocol's format, with AWS's validation wording.
func TestRefusesWhatTheModelRefuses(t *testing.T) {
	long := strings.Repeat("g", 513)
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	tests := []struct {
		// target is the X-Amz-Target, or a header "Name: value".
		name, svc, method, path, target, body string
		code, want                            string
	}{
		{"awsJson required", "kms", "POST", "/", "TrentService.DescribeKey", `{}`,
			"ValidationException", "Value null at 'keyId' failed to satisfy constraint: Member must not be null"},
		{"awsJson length", "logs", "POST", "/", "Logs_20140328.DescribeLogGroups", `{"logGroupNamePrefix":"` + long + `"}`,
			"ValidationException", "Member must have length less than or equal to 512"},
		{"awsJson length min", "ssm", "POST", "/", "AmazonSSM.TerminateSession", `{"SessionId":""}`,
			"ValidationException", "at 'sessionId' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"awsJson enum", "kms", "POST", "/", "TrentService.CreateKey", `{"KeyUsage":"NOPE"}`,
			"ValidationException", "Member must satisfy enum value set: [ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC, KEY_AGREEMENT, SIGN_VERIFY]"},
		{"awsJson pattern", "acm", "POST", "/", "CertificateManager.DescribeCertificate", `{"CertificateArn":"arn:aws:acm:eu-west-1:acct:certificate/x"}`,
			"ValidationException", "Member must satisfy regular expression pattern"},
		{"restJson body enum", "eks", "POST", "/clusters/c/insights", "", `{"filter":{"categories":["NOPE"]}}`,
			"ValidationException", "Value 'NOPE' at 'filter.categories.1.member' failed to satisfy constraint: Member must satisfy enum value set: [UPGRADE_READINESS]"},
		{"restJson body range", "eks", "POST", "/clusters/c/insights", "", `{"maxResults":101}`,
			"ValidationException", "at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"restJson query range", "eks", "GET", "/clusters/c/node-groups?maxResults=0", "", "",
			"ValidationException", "at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"awsQuery pattern", "sts", "POST", "/", "", form("Action", "AssumeRole", "Version", "2011-06-15",
			"RoleArn", "arn:aws:iam::111122223333:role/r", "RoleSessionName", "has space"),
			"ValidationError", "at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"awsQuery list length", "autoscaling", "POST", "/", "", form("Action", "DescribeAutoScalingGroups", "Version", "2011-01-01",
			"AutoScalingGroupNames.member.1", strings.Repeat("a", 256)),
			"ValidationError", "at 'autoScalingGroupNames.1.member' failed to satisfy constraint: Member must have length less than or equal to 255"},
		{"awsQuery RDS required", "rds", "POST", "/", "", form("Action", "RestoreDBInstanceToPointInTime", "Version", "2014-10-31",
			"SourceDBInstanceIdentifier", "mlflow", "UseLatestRestorableTime", "true"),
			"MissingParameter", "The request must contain the parameter TargetDBInstanceIdentifier"},
		{"awsQuery RDS nested required", "rds", "POST", "/", "", form("Action", "DescribeDBInstances", "Version", "2014-10-31",
			"Filters.Filter.1.Values.Value.1", "x"),
			"MissingParameter", "The request must contain the parameter Filters"},
		{"awsQuery RDS type", "rds", "POST", "/", "", form("Action", "DeleteDBInstance", "Version", "2014-10-31",
			"DBInstanceIdentifier", "mlflow", "SkipFinalSnapshot", "yes"),
			"InvalidParameterValue", "Member must be a boolean"},
		{"restXml payload enum", "s3", "PUT", "/bucket-a?versioning", "",
			`<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>On</Status></VersioningConfiguration>`,
			"MalformedXML", "did not validate against our published schema"},
		{"restXml header enum", "s3", "PUT", "/bucket-a/k?x-id=PutObject", "x-amz-server-side-encryption: aws:kmss", "",
			"InvalidArgument", "at 'serverSideEncryption'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := New()
			defer srv.Close()
			srv.AllowRefusals()
			a := send(t, srv, tt.svc, tt.method, tt.path, tt.target, tt.body)
			if a.status != http.StatusBadRequest || a.code != tt.code || !strings.Contains(a.message, tt.want) {
				t.Fatalf("answer %d %s %q, want 400 %s containing %q", a.status, a.code, a.message, tt.code, tt.want)
			}
			if vs := srv.Violations(); len(vs) != 1 {
				t.Fatalf("violations recorded: %v", vs)
			}
		})
	}
}

// TestCloseFailsOnARefusal shows that a refusal the test did not allow
// makes Close fail the test that deferred it.
func TestCloseFailsOnARefusal(t *testing.T) {
	srv := New()
	send(t, srv, "kms", "POST", "/", "TrentService.DescribeKey", `{}`)
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "kms DescribeKey: 1 validation error detected") {
			t.Fatalf("Close recovered %v", r)
		}
	}()
	srv.Close()
}
