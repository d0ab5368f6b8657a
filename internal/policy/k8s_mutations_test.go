package policy

import (
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
	"testing"
)

// Kubernetes resource types and logical names the mutations touch.
const (
	tIngress   = typetoken.Ingress
	tRelease   = typetoken.HelmRelease
	tNamespace = typetoken.Namespace
	tNetpol    = typetoken.NetworkPolicy
	lbcRelease = "platform-aws-load-balancer-controller"
	mlflowUI   = "platform-ingress-mlflow"
	albPrefix  = "alb.ingress.kubernetes.io/"
)

// configured returns a mutation that starts from prod with a certificate
// and access logs (which pass rows 52-58), then applies edit.
func configured(edit func(t *testing.T, d map[string]any)) func(*testing.T, map[string]any) {
	return func(t *testing.T, d map[string]any) {
		t.Helper()
		nd := configuredProdDoc(t)
		for k := range d {
			delete(d, k)
		}
		for k, v := range nd {
			d[k] = v
		}
		edit(t, d)
	}
}

// classParams returns the IngressClassParams spec in the controller's values.
func classParams(t *testing.T, d map[string]any) map[string]any {
	t.Helper()
	return inputs(t, d, tRelease, lbcRelease)["values"].(map[string]any)["ingressClassParams"].(map[string]any)["spec"].(map[string]any)
}

// paramsAttr returns an edit that sets one load balancer attribute of the
// IngressClassParams, which win over every Ingress's annotation.
func paramsAttr(key, value string) func(*testing.T, map[string]any) {
	return func(t *testing.T, d map[string]any) {
		p := classParams(t, d)
		attrs := p["loadBalancerAttributes"].([]any)
		for _, a := range attrs {
			if a.(map[string]any)["key"] == key {
				a.(map[string]any)["value"] = value
				return
			}
		}
		p["loadBalancerAttributes"] = append(attrs, map[string]any{"key": key, "value": value})
	}
}

// annotation returns an edit that sets (or, with v nil, deletes) an
// annotation of the MLflow Ingress.
func annotation(key string, v any) func(*testing.T, map[string]any) {
	return func(t *testing.T, d map[string]any) {
		a := inputs(t, d, tIngress, mlflowUI)["metadata"].(map[string]any)["annotations"].(map[string]any)
		if v == nil {
			delete(a, key)
			return
		}
		a[key] = v
	}
}

// dropNamed removes the resource of a type and logical name.
func dropNamed(typ, name string) func(*testing.T, map[string]any) {
	return func(t *testing.T, d map[string]any) {
		resource(t, d, typ, name)
		var kept []any
		for _, r := range d["resources"].([]any) {
			m := r.(map[string]any)
			if m["type"] != typ || m["name"] != name {
				kept = append(kept, r)
			}
		}
		d["resources"] = kept
	}
}

func albMutations() []mutation {
	return []mutation{
		{"certificate key set, class has none", "52", configured(func(t *testing.T, d map[string]any) {
			delete(classParams(t, d), "certificateArn")
		})},
		{"TLS 1.0 policy on the class", "52", configured(func(t *testing.T, d map[string]any) {
			classParams(t, d)["sslPolicy"] = "ELBSecurityPolicy-2016-08"
		})},
		{"HTTP-only listen ports", "52", configured(annotation(albPrefix+"listen-ports", `[{"HTTP":80}]`))},
		{"HTTP listener without redirect", "53", configured(annotation(albPrefix+"ssl-redirect", nil))},
		{"invalid headers forwarded", "54", configured(paramsAttr("routing.http.drop_invalid_header_fields.enabled", "false"))},
		{"access logs off on the class", "55", configured(paramsAttr("access_logs.s3.enabled", "false"))},
		{"access logs without bucket", "55", configured(paramsAttr("access_logs.s3.bucket", ""))},
		{"no deletion protection", "56", configured(paramsAttr("deletion_protection.enabled", "false"))},
		{"desync monitor mode", "57", configured(paramsAttr("routing.http.desync_mitigation_mode", "monitor"))},
		{"internet-facing class", "58", configured(func(t *testing.T, d map[string]any) {
			classParams(t, d)["scheme"] = "internet-facing"
		})},
		{"internal subnets in two zones", "58", configured(func(t *testing.T, d map[string]any) {
			delete(inputs(t, d, tSubnet, "network-alb-eu-west-1c")["tags"].(map[string]any), "kubernetes.io/role/internal-elb")
		})},
	}
}

func kubernetesMutations() []mutation {
	labels := func(name string) func(t *testing.T, d map[string]any) map[string]any {
		return func(t *testing.T, d map[string]any) map[string]any {
			return inputs(t, d, tNamespace, name)["metadata"].(map[string]any)["labels"].(map[string]any)
		}
	}
	return []mutation{
		{"workload namespace baseline", "PSS", func(t *testing.T, d map[string]any) {
			labels("platform-ns-serving")(t, d)["pod-security.kubernetes.io/enforce"] = "baseline"
		}},
		{"workload namespace exempted", "PSS", func(t *testing.T, d map[string]any) {
			set(inputs(t, d, tNamespace, "platform-ns-training"), []string{"metadata", "annotations", "mlops-platform/psa-exemption"}, "GPU jobs")
			labels("platform-ns-training")(t, d)["pod-security.kubernetes.io/warn"] = "privileged"
		}},
		{"platform namespace audit-only", "PSS", func(t *testing.T, d map[string]any) {
			delete(labels("platform-ns-mlflow")(t, d), "pod-security.kubernetes.io/audit")
		}},
		{"privileged namespace without exemption", "PSS", func(t *testing.T, d map[string]any) {
			delete(inputs(t, d, tNamespace, "platform-ns-monitoring-node")["metadata"].(map[string]any)["annotations"].(map[string]any), "mlops-platform/psa-exemption")
		}},
		{"namespace without enforce label", "PSS", func(t *testing.T, d map[string]any) {
			delete(labels("platform-ns-nvidia-device-plugin")(t, d), "pod-security.kubernetes.io/enforce")
		}},
		{"release into an undeclared namespace", "PSS", setInput(tRelease, "platform-metrics-server", "tools", "namespace")},
		{"no default-deny in serving", "8", dropNamed(tNetpol, "platform-netpol-serving-default-deny")},
		{"default-deny admits ingress", "8", setInput(tNetpol, "platform-netpol-training-default-deny", []any{map[string]any{}}, "spec", "ingress")},
		{"default-deny ingress only", "8", setInput(tNetpol, "platform-netpol-serving-default-deny", []any{"Ingress"}, "spec", "policyTypes")},
		{"default-deny selects some pods", "8", setInput(tNetpol, "platform-netpol-training-default-deny", map[string]any{"app": "trainer"}, "spec", "podSelector", "matchLabels")},
	}
}
