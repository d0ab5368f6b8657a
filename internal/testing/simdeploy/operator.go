package simdeploy

import (
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
)

// operatorSpec is the part of a Prometheus or Alertmanager resource that
// prometheus-operator copies into the pod template of the StatefulSet it
// makes (monitoring.coreos.com/v1, both kinds share these fields).
type operatorSpec struct {
	Replicas                  *int32                            `json:"replicas"`
	Image                     string                            `json:"image"`
	Resources                 corev1.ResourceRequirements       `json:"resources"`
	NodeSelector              map[string]string                 `json:"nodeSelector"`
	Tolerations               []corev1.Toleration               `json:"tolerations"`
	Affinity                  *corev1.Affinity                  `json:"affinity"`
	TopologySpreadConstraints []corev1.TopologySpreadConstraint `json:"topologySpreadConstraints"`
	SecurityContext           *corev1.PodSecurityContext        `json:"securityContext"`
	ServiceAccountName        string                            `json:"serviceAccountName"`
	PriorityClassName         string                            `json:"priorityClassName"`
	AutomountToken            *bool                             `json:"automountServiceAccountToken"`
	Storage                   *struct {
		VolumeClaimTemplate *struct {
			Spec corev1.PersistentVolumeClaimSpec `json:"spec"`
		} `json:"volumeClaimTemplate"`
	} `json:"storage"`
}

// OperatorWorkloads are the StatefulSets prometheus-operator would make
// from the layer's Prometheus and Alertmanager resources: the operator's
// Deployment runs here, but as a kwok pod it reconciles nothing. Each is
// a model of the operator's own (v0.88, pkg/prometheus and
// pkg/alertmanager statefulset.go): its name and pod labels, the
// resource's scheduling fields, pod security context, service account
// and storage; the main container (the resource's image and resources)
// and the config reloader (the image the operator's
// --prometheus-config-reloader flag names), each with the container
// security context the operator sets (no privilege escalation, read-only
// root, every capability dropped). Applied, they go through the same
// Pod Security, quota, LimitRange, scheduler and volume binding as any
// workload.
func OperatorWorkloads(l Layer) ([]*appsv1.StatefulSet, error) {
	reloader := ""
	var crs []*unstructured.Unstructured
	for _, r := range l.Releases {
		for _, o := range r.Objects {
			switch o.GetKind() {
			case "Prometheus", "Alertmanager":
				crs = append(crs, o)
			case "Deployment":
				if img := flagOf(o, "--prometheus-config-reloader="); img != "" {
					reloader = img
				}
			}
		}
	}
	if len(crs) > 0 && reloader == "" {
		return nil, fmt.Errorf("no prometheus-operator Deployment with --prometheus-config-reloader in the layer")
	}
	var out []*appsv1.StatefulSet
	for _, cr := range crs {
		st, err := operatorStatefulSet(cr, reloader)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func operatorStatefulSet(cr *unstructured.Unstructured, reloader string) (*appsv1.StatefulSet, error) {
	raw, _, _ := unstructured.NestedMap(cr.Object, "spec")
	var s operatorSpec
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(raw, &s); err != nil {
		return nil, fmt.Errorf("%s %s/%s: reading its spec: %w", cr.GetKind(), cr.GetNamespace(), cr.GetName(), err)
	}
	app := strings.ToLower(cr.GetKind())
	labels := map[string]string{
		"app.kubernetes.io/name":       app,
		"app.kubernetes.io/instance":   cr.GetName(),
		"app.kubernetes.io/managed-by": "prometheus-operator",
		app:                            cr.GetName(),
	}
	secured := &corev1.SecurityContext{
		AllowPrivilegeEscalation: ptr.To(false),
		ReadOnlyRootFilesystem:   ptr.To(true),
		Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
	}
	st := &appsv1.StatefulSet{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"},
		ObjectMeta: metav1.ObjectMeta{Name: app + "-" + cr.GetName(), Namespace: cr.GetNamespace(), Labels: labels},
		Spec: appsv1.StatefulSetSpec{
			Replicas:            ptr.To(replicas(s.Replicas)),
			ServiceName:         app + "-operated",
			PodManagementPolicy: appsv1.ParallelPodManagement,
			Selector:            &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{
					NodeSelector: s.NodeSelector, Tolerations: s.Tolerations, Affinity: s.Affinity,
					TopologySpreadConstraints: s.TopologySpreadConstraints, SecurityContext: s.SecurityContext,
					ServiceAccountName: s.ServiceAccountName, PriorityClassName: s.PriorityClassName,
					AutomountServiceAccountToken: s.AutomountToken,
					Containers: []corev1.Container{
						{Name: app, Image: s.Image, Resources: s.Resources, SecurityContext: secured},
						{Name: "config-reloader", Image: reloader, SecurityContext: secured},
					},
				},
			},
		},
	}
	if s.Storage != nil && s.Storage.VolumeClaimTemplate != nil {
		claim := corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: app + "-" + cr.GetName() + "-db"}, Spec: s.Storage.VolumeClaimTemplate.Spec}
		st.Spec.VolumeClaimTemplates = []corev1.PersistentVolumeClaim{claim}
		st.Spec.Template.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: claim.Name, MountPath: "/data"}}
	}
	return st, nil
}

// flagOf returns the value of the first container argument of a
// Deployment that starts with prefix.
func flagOf(d *unstructured.Unstructured, prefix string) string {
	containers, _, _ := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
	for _, c := range containers {
		m, _ := c.(map[string]any)
		args, _ := m["args"].([]any)
		for _, a := range args {
			if s, ok := a.(string); ok && strings.HasPrefix(s, prefix) {
				return strings.TrimPrefix(s, prefix)
			}
		}
	}
	return ""
}
