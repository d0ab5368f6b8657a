package simdeploy

import (
	"sort"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// installOrder is Helm's kind order for an install (helm.sh/helm/v3
// pkg/releaseutil/kind_sorter.go, InstallOrder); kinds not listed come
// after these, as Helm applies them.
var installOrder = []string{
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
	"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
	"PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
	"ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList",
	"RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController",
	"ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
	"IngressClass", "Ingress", "APIService", "MutatingWebhookConfiguration",
	"ValidatingWebhookConfiguration",
}

func kindRank(kind string) int {
	for i, k := range installOrder {
		if k == kind {
			return i
		}
	}
	return len(installOrder)
}

// phases splits a release's objects as `helm install` applies them:
// pre-install hooks (by weight, then kind), the manifest (by kind), then
// post-install hooks. CRDs and objects of other hook events are left out.
func phases(objs []*unstructured.Unstructured) (pre, main, post []*unstructured.Unstructured) {
	for _, o := range objs {
		if o.GetKind() == "CustomResourceDefinition" {
			continue
		}
		hooks := o.GetAnnotations()["helm.sh/hook"]
		if hooks == "" {
			main = append(main, o)
			continue
		}
		for _, h := range strings.Split(hooks, ",") {
			switch strings.TrimSpace(h) {
			case "pre-install":
				pre = append(pre, o)
			case "post-install":
				post = append(post, o)
			}
		}
	}
	byKind := func(list []*unstructured.Unstructured, weighted bool) {
		sort.SliceStable(list, func(i, j int) bool {
			if weighted {
				if wi, wj := hookWeight(list[i]), hookWeight(list[j]); wi != wj {
					return wi < wj
				}
			}
			return kindRank(list[i].GetKind()) < kindRank(list[j].GetKind())
		})
	}
	byKind(pre, true)
	byKind(main, false)
	byKind(post, true)
	return pre, main, post
}

func hookWeight(o *unstructured.Unstructured) int {
	w, _ := strconv.Atoi(o.GetAnnotations()["helm.sh/hook-weight"])
	return w
}
