package apiserver

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PauseImage is the image of every test pod; dry-run admission never pulls it.
const PauseImage = "registry.k8s.io/pause:3.10"

// RestrictedPod returns a pod that satisfies the restricted Pod Security
// Standard, with the given container resources.
func RestrictedPod(name string, res corev1.ResourceRequirements, containers int) *corev1.Pod {
	yes, no := true, false
	uid := int64(65532)
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PodSpec{
			AutomountServiceAccountToken: &no,
			SecurityContext: &corev1.PodSecurityContext{
				RunAsNonRoot:   &yes,
				RunAsUser:      &uid,
				SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
			},
		},
	}
	for i := 0; i < containers; i++ {
		pod.Spec.Containers = append(pod.Spec.Containers, corev1.Container{
			Name:      "c" + string(rune('0'+i)),
			Image:     PauseImage,
			Resources: *res.DeepCopy(),
			SecurityContext: &corev1.SecurityContext{
				AllowPrivilegeEscalation: &no,
				Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
			},
		})
	}
	return pod
}

// ViolatingPod returns a pod that breaks the given Pod Security level:
// a root container without a seccomp profile for restricted, a privileged
// container for baseline.
func ViolatingPod(name, level string) *corev1.Pod {
	no := false
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PodSpec{
			AutomountServiceAccountToken: &no,
			Containers:                   []corev1.Container{{Name: "c", Image: PauseImage}},
		},
	}
	if level == "baseline" {
		yes := true
		pod.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{Privileged: &yes}
	}
	return pod
}

// Resources builds requests and, when limCPU is not empty, limits.
func Resources(reqCPU, reqMem, limCPU, limMem string) corev1.ResourceRequirements {
	r := corev1.ResourceRequirements{Requests: corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse(reqCPU),
		corev1.ResourceMemory: resource.MustParse(reqMem),
	}}
	if limCPU != "" {
		r.Limits = corev1.ResourceList{
			corev1.ResourceCPU:    resource.MustParse(limCPU),
			corev1.ResourceMemory: resource.MustParse(limMem),
		}
	}
	return r
}
