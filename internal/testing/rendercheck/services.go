package rendercheck

import (
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// ServicePort is one port of a rendered Service with the container port
// its targetPort resolves to in the pods the Service selects.
type ServicePort struct {
	// Service is "namespace/name".
	Service string
	Name    string
	Port    int32
	// Target is the container port the targetPort names (the port itself
	// when targetPort is empty); 0 when no selected pod has it.
	Target int32
	// Pods names the workloads whose pod templates the Service selects.
	Pods []string
}

// ServicePorts resolves the ports of every Service among objs against the
// pod templates (Deployments, StatefulSets, DaemonSets, ...) in objs that
// its selector matches. Services without a selector are left out.
func ServicePorts(objs []*unstructured.Unstructured) ([]ServicePort, error) {
	type tpl struct {
		owner, ns string
		labels    labels.Set
		spec      corev1.PodSpec
	}
	var tpls []tpl
	for _, o := range objs {
		raw, found, _ := unstructured.NestedMap(o.Object, "spec", "template", "spec")
		if !found {
			continue
		}
		l, _, _ := unstructured.NestedStringMap(o.Object, "spec", "template", "metadata", "labels")
		var spec corev1.PodSpec
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(raw, &spec); err != nil {
			return nil, fmt.Errorf("%s %s/%s: reading its pod template: %w", o.GetKind(), o.GetNamespace(), o.GetName(), err)
		}
		tpls = append(tpls, tpl{owner: o.GetKind() + " " + o.GetName(), ns: o.GetNamespace(), labels: l, spec: spec})
	}
	var out []ServicePort
	for _, o := range objs {
		if o.GetKind() != "Service" {
			continue
		}
		var svc corev1.Service
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(o.Object, &svc); err != nil {
			return nil, fmt.Errorf("service %s/%s: %w", o.GetNamespace(), o.GetName(), err)
		}
		if len(svc.Spec.Selector) == 0 {
			continue
		}
		sel := labels.SelectorFromSet(svc.Spec.Selector)
		for _, p := range svc.Spec.Ports {
			sp := ServicePort{Service: svc.Namespace + "/" + svc.Name, Name: p.Name, Port: p.Port}
			for _, t := range tpls {
				if t.ns != svc.Namespace || !sel.Matches(t.labels) {
					continue
				}
				sp.Pods = append(sp.Pods, t.owner)
				if n := targetOf(p, t.spec); n != 0 {
					sp.Target = n
				}
			}
			sort.Strings(sp.Pods)
			out = append(out, sp)
		}
	}
	return out, nil
}

// targetOf resolves a Service port's targetPort in a pod spec: a number
// stands for itself, a name for the container port of that name.
func targetOf(p corev1.ServicePort, spec corev1.PodSpec) int32 {
	switch {
	case p.TargetPort.Type == intstr.Int && p.TargetPort.IntVal == 0:
		return p.Port
	case p.TargetPort.Type == intstr.Int:
		return p.TargetPort.IntVal
	}
	for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		for _, cp := range c.Ports {
			if cp.Name == p.TargetPort.StrVal {
				return cp.ContainerPort
			}
		}
	}
	return 0
}
