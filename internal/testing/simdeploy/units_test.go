package simdeploy

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"

	"github.com/mlops-platform/mlops-platform/internal/testing/rendercheck"
)

func TestWorkloadAvailable(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    Workload
		want bool
	}{
		{"all ready", Workload{Desired: 2, Ready: 2, Updated: 2, Observed: true}, true},
		{"one not ready", Workload{Desired: 2, Ready: 1, Updated: 2, Observed: true}, false},
		{"old revision", Workload{Desired: 2, Ready: 2, Updated: 1, Observed: true}, false},
		// A DaemonSet the controller has not seen yet reports 0 of 0.
		{"not yet observed", Workload{}, false},
		{"dormant DaemonSet", Workload{Observed: true}, true},
	} {
		if got := tc.w.Available(); got != tc.want {
			t.Errorf("%s: Available() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func obj(kind, name string, ann map[string]string) *unstructured.Unstructured {
	o := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": kind}}
	o.SetName(name)
	o.SetAnnotations(ann)
	return o
}

func names(objs []*unstructured.Unstructured) string {
	var out []string
	for _, o := range objs {
		out = append(out, o.GetKind()+"/"+o.GetName())
	}
	return strings.Join(out, " ")
}

func TestPhasesFollowHelmsInstallOrder(t *testing.T) {
	hook := func(h, w string) map[string]string {
		return map[string]string{"helm.sh/hook": h, "helm.sh/hook-weight": w}
	}
	pre, main, post := phases([]*unstructured.Unstructured{
		obj("ValidatingWebhookConfiguration", "vwc", nil),
		obj("Deployment", "app", nil),
		obj("Prometheus", "cr", nil),
		obj("CustomResourceDefinition", "crd", nil),
		obj("Job", "check", hook("post-install", "1")),
		obj("ServiceAccount", "check", hook("post-install", "-5")),
		obj("ServiceAccount", "sa", nil),
		obj("Job", "create", hook("pre-install,pre-upgrade", "")),
		obj("Role", "both", hook("pre-install,post-install", "")),
		obj("Job", "upgrade-only", hook("pre-upgrade", "")),
	})
	for _, c := range []struct{ name, got, want string }{
		{"pre-install", names(pre), "Role/both Job/create"},
		{"manifest", names(main), "ServiceAccount/sa Deployment/app ValidatingWebhookConfiguration/vwc Prometheus/cr"},
		{"post-install", names(post), "ServiceAccount/check Role/both Job/check"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %s, want %s", c.name, c.got, c.want)
		}
	}
}

func TestStandInAdmitsWhatTheRedirectedWebhooksSee(t *testing.T) {
	s := StartStandIn()
	defer s.Close()
	cfg := obj("ValidatingWebhookConfiguration", "lbc", nil)
	cfg.Object["webhooks"] = []any{map[string]any{
		"name": "vingress.elbv2.k8s.aws", "failurePolicy": "Fail",
		"clientConfig": map[string]any{"service": map[string]any{"name": "lbc-webhook", "namespace": "kube-system"}},
	}}
	if ok, err := s.Redirect(cfg); !ok || err != nil {
		t.Fatalf("Redirect = %v, %v", ok, err)
	}
	if ok, _ := s.Redirect(obj("Deployment", "app", nil)); ok {
		t.Error("a Deployment was taken for a webhook configuration")
	}
	hooks, _, _ := unstructured.NestedSlice(cfg.Object, "webhooks")
	hook := hooks[0].(map[string]any)
	cc := hook["clientConfig"].(map[string]any)
	if _, ok := cc["service"]; ok || hook["failurePolicy"] != "Fail" {
		t.Fatalf("webhook after Redirect: %v", hook)
	}
	// Call it as the API server would: the caBundle verifies the server.
	var ca []byte
	if err := json.Unmarshal([]byte(`"`+cc["caBundle"].(string)+`"`), &ca); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca) {
		t.Fatal("caBundle holds no certificate")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	review := admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request:  &admissionv1.AdmissionRequest{UID: types.UID("42"), Kind: metav1.GroupVersionKind{Kind: "Ingress"}, Operation: admissionv1.Create},
	}
	body, _ := json.Marshal(review)
	resp, err := client.Post(cc["url"].(string), "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var got admissionv1.AdmissionReview
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Response == nil || !got.Response.Allowed || got.Response.UID != "42" || got.Response.Patch != nil {
		t.Errorf("response %+v, want allowed, uid 42, no patch", got.Response)
	}
	if calls := s.Calls(); len(calls) != 1 || calls[0] != "lbc/vingress.elbv2.k8s.aws: CREATE Ingress ×1" {
		t.Errorf("calls %v", calls)
	}
}

func TestVolumeForAClaim(t *testing.T) {
	class := "gp3"
	c := &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: "data", Namespace: "monitoring", UID: "u1"},
		Spec: corev1.PersistentVolumeClaimSpec{
			StorageClassName: &class, AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("50Gi")}},
		},
	}
	pv := volumeFor(c, "ebs.csi.aws.com", "eu-west-1b")
	size := pv.Spec.Capacity[corev1.ResourceStorage]
	zone := pv.Spec.NodeAffinity.Required.NodeSelectorTerms[0].MatchExpressions[0]
	if size.String() != "50Gi" || pv.Spec.StorageClassName != "gp3" || pv.Spec.ClaimRef.UID != "u1" ||
		pv.Spec.CSI.Driver != "ebs.csi.aws.com" || zone.Key != corev1.LabelTopologyZone || zone.Values[0] != "eu-west-1b" {
		t.Errorf("volume %+v", pv.Spec)
	}
}

func TestOperatorWorkloadsFromTheResource(t *testing.T) {
	prom := obj("Prometheus", "kps-prometheus", nil)
	prom.SetNamespace("monitoring")
	prom.Object["spec"] = map[string]any{
		"replicas": int64(2), "image": "quay.io/prometheus/prometheus:v3.9.1", "serviceAccountName": "kps-prometheus",
		"nodeSelector":    map[string]any{"mlops-platform/workload": "general"},
		"securityContext": map[string]any{"runAsNonRoot": true, "runAsUser": int64(1000)},
		"storage":         map[string]any{"volumeClaimTemplate": map[string]any{"spec": map[string]any{"storageClassName": "gp3"}}},
	}
	op := obj("Deployment", "operator", nil)
	op.Object["spec"] = map[string]any{"template": map[string]any{"spec": map[string]any{"containers": []any{
		map[string]any{"name": "op", "args": []any{"--kubelet-service=x", "--prometheus-config-reloader=quay.io/reloader:v0.88.1"}},
	}}}}
	l := Layer{Releases: []rendercheck.Rendered{{Objects: []*unstructured.Unstructured{op, prom}}}}
	sts, err := OperatorWorkloads(l)
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 1 {
		t.Fatalf("%d StatefulSets", len(sts))
	}
	st := sts[0]
	pod := st.Spec.Template.Spec
	if st.Name != "prometheus-kps-prometheus" || *st.Spec.Replicas != 2 || pod.ServiceAccountName != "kps-prometheus" ||
		pod.NodeSelector["mlops-platform/workload"] != "general" || *pod.SecurityContext.RunAsUser != 1000 ||
		pod.Containers[1].Image != "quay.io/reloader:v0.88.1" || len(st.Spec.VolumeClaimTemplates) != 1 {
		t.Errorf("StatefulSet %+v", st)
	}
	for _, c := range pod.Containers {
		if sc := c.SecurityContext; sc == nil || *sc.AllowPrivilegeEscalation || sc.Capabilities.Drop[0] != "ALL" {
			t.Errorf("container %s security context %+v", c.Name, sc)
		}
	}
	if _, err := OperatorWorkloads(Layer{Releases: []rendercheck.Rendered{{Objects: []*unstructured.Unstructured{prom}}}}); err == nil {
		t.Error("no error without the operator's Deployment")
	}
}
