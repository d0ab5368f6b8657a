package simdeploy

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
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

// Follow redirects (Redirect) every webhook configuration as soon as the
// API server at cfg reports it created or changed, until ctx ends: for a
// deploy that someone else drives (the Pulumi engine through the
// Kubernetes provider). A release never needs its own webhooks during its
// install (rendercheck's TestNoReleaseNeedsItsOwnWebhook), so a
// configuration is redirected before anything meets it. report receives
// the errors met on the way; the next event retries.
func (s *StandIn) Follow(ctx context.Context, cfg *rest.Config, report func(error)) error {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return fmt.Errorf("webhook stand-in: %w", err)
	}
	for _, res := range []schema.GroupVersionResource{
		{Group: "admissionregistration.k8s.io", Version: "v1", Resource: "validatingwebhookconfigurations"},
		{Group: "admissionregistration.k8s.io", Version: "v1", Resource: "mutatingwebhookconfigurations"},
	} {
		client := dyn.Resource(res)
		go func() {
			for ctx.Err() == nil {
				w, err := client.Watch(ctx, metav1.ListOptions{})
				if err != nil {
					time.Sleep(100 * time.Millisecond)
					continue
				}
				for ev := range w.ResultChan() {
					obj, ok := ev.Object.(*unstructured.Unstructured)
					if !ok || (ev.Type != watch.Added && ev.Type != watch.Modified) || s.serves(obj) {
						continue
					}
					if _, err := s.Redirect(obj); err != nil {
						report(err)
						continue
					}
					if _, err := client.Update(ctx, obj, metav1.UpdateOptions{}); err != nil && ctx.Err() == nil {
						report(fmt.Errorf("redirecting %s %s: %w", obj.GetKind(), obj.GetName(), err))
					}
				}
				w.Stop()
			}
		}()
	}
	return nil
}

// serves reports whether every webhook of obj already calls the stand-in.
func (s *StandIn) serves(obj *unstructured.Unstructured) bool {
	hooks, _, _ := unstructured.NestedSlice(obj.Object, "webhooks")
	for _, h := range hooks {
		m, _ := h.(map[string]any)
		url, _, _ := unstructured.NestedString(m, "clientConfig", "url")
		if !strings.HasPrefix(url, s.srv.URL+"/") {
			return false
		}
	}
	return true
}
