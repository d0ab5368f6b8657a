package awsfake

import (
	"net/http"
	"strings"
	"testing"
)

// TestUploadDigests: S3 checks an upload's body against the digests the
// request carries, and answers a mismatch with its error (S3 API
// Reference, PutObject and Error Responses).
func TestUploadDigests(t *testing.T) {
	srv := New()
	defer srv.Close()
	if a := send(t, srv, "s3", http.MethodPut, "/st", "", ""); a.status != http.StatusOK {
		t.Fatalf("create bucket: %+v", a)
	}
	for _, tc := range []struct {
		name, header string
		status       int
		code         string
	}{
		{name: "no digest", header: "", status: http.StatusOK},
		{name: "right Content-MD5", header: "Content-Md5: XUFAKrxLKna5cZ2REBfFkg==", status: http.StatusOK},
		{name: "wrong Content-MD5", header: "Content-Md5: 1B2M2Y8AsgTpgAmY7PhCfg==", status: http.StatusBadRequest, code: "BadDigest"},
		{name: "wrong payload hash", header: "X-Amz-Content-Sha256: " + strings.Repeat("0", 64), status: http.StatusBadRequest, code: "XAmzContentSHA256Mismatch"},
		{name: "wrong SHA-256 checksum", header: "X-Amz-Checksum-Sha256: 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", status: http.StatusBadRequest, code: "BadDigest"},
		{name: "malformed aws-chunked body", header: "X-Amz-Content-Sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER", status: http.StatusBadRequest, code: "IncompleteBody"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := send(t, srv, "s3", http.MethodPut, "/st/key", tc.header, "hello")
			if a.status != tc.status || a.code != tc.code {
				t.Errorf("answered %d %q (%s), want %d %q", a.status, a.code, a.message, tc.status, tc.code)
			}
		})
	}
}

// TestUnsignedRequestIsRefused: a request without a SigV4 signature is
// refused as AWS refuses it, and Close reports the refusal.
func TestUnsignedRequestIsRefused(t *testing.T) {
	for _, tc := range []struct{ svc, method, path, target, code string }{
		{svc: "s3", method: http.MethodGet, path: "/st?list-type=2", code: "AccessDenied"},
		{svc: "kms", method: http.MethodPost, path: "/", target: "TrentService.ListKeys", code: "MissingAuthenticationToken"},
	} {
		t.Run(tc.svc, func(t *testing.T) {
			srv := New()
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader("{}"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Amz-Target", tc.target)
			if tc.target != "" {
				req.Header.Set("Content-Type", "application/x-amz-json-1.1")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("answered %d, want 403", resp.StatusCode)
			}
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, "not signed") {
					t.Errorf("Close recovered %q, want the unsigned request", r)
				}
			}()
			srv.Close()
		})
	}
}
