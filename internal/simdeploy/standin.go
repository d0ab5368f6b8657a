package simdeploy

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"

	admissionv1 "k8s.io/api/admission/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// StandIn serves every admission webhook of the platform in place of the
// pods that would (kwok runs no container): an HTTPS server on loopback
// that admits each request, unchanged, and counts what it was asked.
// Redirect points a webhook configuration at it.
type StandIn struct {
	srv *httptest.Server
	// caPEM is the server's self-signed certificate, the webhooks' caBundle.
	caPEM []byte

	mu    sync.Mutex
	calls map[string]int
}

// StartStandIn starts the server; Close stops it.
func StartStandIn() *StandIn {
	s := &StandIn{calls: map[string]int{}}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.admit))
	s.caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
	return s
}

// Close stops the server.
func (s *StandIn) Close() { s.srv.Close() }

// admit answers an AdmissionReview with allowed and no patch.
func (s *StandIn) admit(w http.ResponseWriter, r *http.Request) {
	var review admissionv1.AdmissionReview
	if err := json.NewDecoder(r.Body).Decode(&review); err != nil || review.Request == nil {
		http.Error(w, "not an AdmissionReview", http.StatusBadRequest)
		return
	}
	req := review.Request
	s.mu.Lock()
	s.calls[fmt.Sprintf("%s: %s %s", strings.TrimPrefix(r.URL.Path, "/"), req.Operation, req.Kind.Kind)]++
	s.mu.Unlock()
	review.Response = &admissionv1.AdmissionResponse{UID: req.UID, Allowed: true}
	review.Request = nil
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(review)
}

// Calls lists what the stand-in admitted: "configuration/webhook:
// OPERATION Kind" with a count, sorted.
func (s *StandIn) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.calls))
	for k, n := range s.calls {
		out = append(out, fmt.Sprintf("%s ×%d", k, n))
	}
	sort.Strings(out)
	return out
}

// Redirect points every webhook of a Validating- or
// MutatingWebhookConfiguration at the stand-in (a URL per
// configuration/webhook, the stand-in's CA as caBundle) and reports
// whether obj is one. The rules, selectors, failure policy and timeouts
// stay as rendered.
func (s *StandIn) Redirect(obj *unstructured.Unstructured) (bool, error) {
	if k := obj.GetKind(); k != "ValidatingWebhookConfiguration" && k != "MutatingWebhookConfiguration" {
		return false, nil
	}
	hooks, _, err := unstructured.NestedSlice(obj.Object, "webhooks")
	if err != nil {
		return true, fmt.Errorf("%s %s: reading webhooks: %w", obj.GetKind(), obj.GetName(), err)
	}
	for i, h := range hooks {
		m, ok := h.(map[string]any)
		if !ok {
			return true, fmt.Errorf("%s %s: webhook %d is not an object", obj.GetKind(), obj.GetName(), i)
		}
		m["clientConfig"] = map[string]any{
			"url":      fmt.Sprintf("%s/%s/%s", s.srv.URL, obj.GetName(), m["name"]),
			"caBundle": s.caBundle(),
		}
		hooks[i] = m
	}
	return true, unstructured.SetNestedSlice(obj.Object, hooks, "webhooks")
}

// caBundle is the CA in the base64 form the API's []byte fields take.
func (s *StandIn) caBundle() string {
	b, _ := json.Marshal(s.caPEM)
	return strings.Trim(string(b), `"`)
}
