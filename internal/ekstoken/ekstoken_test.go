package ekstoken

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

func staticConfig() aws.Config {
	return aws.Config{
		Region:      "eu-west-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
	}
}

func TestTokenFormat(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	tok, err := Generate(context.Background(), staticConfig(), "mlops-platform-prod", now)
	if err != nil {
		t.Fatal(err)
	}
	body, ok := strings.CutPrefix(tok.Token, Prefix)
	if !ok {
		t.Fatalf("token %q lacks the %s prefix", tok.Token, Prefix)
	}
	if strings.ContainsAny(body, "=+/") {
		t.Errorf("token body is not base64url without padding: %q", body)
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, want := range map[string]string{
		"Action": "GetCallerIdentity", "Version": "2011-06-15", "X-Amz-Expires": "60",
		"X-Amz-Algorithm": "AWS4-HMAC-SHA256",
	} {
		if q.Get(k) != want {
			t.Errorf("%s = %q, want %q (URL %s)", k, q.Get(k), want, u)
		}
	}
	if u.Scheme != "https" || u.Host != "sts.eu-west-1.amazonaws.com" {
		t.Errorf("presigned against %s://%s, want the regional STS endpoint", u.Scheme, u.Host)
	}
	if !strings.HasPrefix(q.Get("X-Amz-Credential"), "AKIAIOSFODNN7EXAMPLE/20261129/eu-west-1/sts/aws4_request") {
		t.Errorf("credential scope %q", q.Get("X-Amz-Credential"))
	}
	signed := strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	if !contains(signed, ClusterHeader) || !contains(signed, "host") {
		t.Errorf("signed headers %v lack %s", signed, ClusterHeader)
	}
	if q.Get("X-Amz-Signature") == "" {
		t.Error("no signature")
	}
	if !tok.Expiration.Equal(now.Add(14 * time.Minute)) {
		t.Errorf("expiration %s", tok.Expiration)
	}
}

func TestTokenIsBoundToTheCluster(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	a, err := Generate(context.Background(), staticConfig(), "a", now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(context.Background(), staticConfig(), "b", now)
	if err != nil {
		t.Fatal(err)
	}
	if a.Token == b.Token {
		t.Error("tokens for two clusters are equal: the cluster header is not signed")
	}
	if _, err := Generate(context.Background(), staticConfig(), "", now); err == nil {
		t.Error("a token without a cluster name")
	}
}

func TestExecCredential(t *testing.T) {
	out, err := ExecCredential(Token{Token: Prefix + "x", Expiration: time.Date(2026, 11, 29, 8, 14, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Kind, APIVersion string
		Status           struct{ Token, ExpirationTimestamp string }
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	if v.Kind != "ExecCredential" || v.APIVersion != "client.authentication.k8s.io/v1beta1" ||
		v.Status.Token != Prefix+"x" || v.Status.ExpirationTimestamp != "2026-11-29T08:14:00Z" {
		t.Errorf("ExecCredential %s", out)
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// TestTokenSource: the source hands out a bearer token for the cluster
// and reuses it while it is fresh.
func TestTokenSource(t *testing.T) {
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	ts := TokenSource(context.Background(), cfg, "mlops-platform-dev")
	a, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	b, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.AccessToken, Prefix) || a.AccessToken != b.AccessToken || a.Type() != "Bearer" {
		t.Errorf("tokens %q then %q", a.AccessToken, b.AccessToken)
	}
	if d := time.Until(a.Expiry); d < Lifetime-time.Minute || d > Lifetime {
		t.Errorf("expiry in %s, want about %s", d, Lifetime)
	}
}

// TestTokenIsSignedAtTheCallersTime: the signature's date is the time the
// caller passes, whatever the wall clock says, so two tokens signed at the
// same instant are identical and one signed a day later differs.
func TestTokenIsSignedAtTheCallersTime(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(2019, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2031, 12, 31, 23, 59, 59, 0, time.UTC),
	} {
		a, err := Generate(context.Background(), staticConfig(), "c", now)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Generate(context.Background(), staticConfig(), "c", now)
		if err != nil {
			t.Fatal(err)
		}
		if a.Token != b.Token {
			t.Errorf("two tokens signed at %s differ: the signer reads another clock", now)
		}
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(a.Token, Prefix))
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(string(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := u.Query().Get("X-Amz-Date"), now.Format("20060102T150405Z"); got != want {
			t.Errorf("X-Amz-Date = %s, want %s", got, want)
		}
	}
}
