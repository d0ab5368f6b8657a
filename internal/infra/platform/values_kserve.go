package platform

// kserveValues runs KServe in Standard mode (no Knative or Istio):
// each InferenceService becomes a Deployment, a Service and an Ingress of
// the ALB class under the inference domain.
func kserveValues(in Inputs) map[string]any {
	urlScheme := "http"
	if in.CertificateArn != "" {
		urlScheme = "https"
	}
	return map[string]any{
		"kserve": map[string]any{
			"controller": map[string]any{
				// Standard: plain Deployments, Services and Ingresses (no
				// Knative); v0.17 renamed RawDeployment, which remains a
				// deprecated alias.
				"deploymentMode": "Standard",
				"gateway": map[string]any{
					"domain":         in.KserveIngressDomain,
					"urlScheme":      urlScheme,
					"ingressGateway": map[string]any{"className": IngressClass},
				},
			},
			"storage": map[string]any{
				"s3": map[string]any{"region": in.Region, "useHttps": "1"},
				// The storage initializer (ClusterStorageContainer
				// default) runs in every InferenceService pod of the
				// restricted serving namespace.
				"containerSecurityContext": runtimeDefaultSeccomp(),
			},
		},
	}
}

// servingRuntimes are the ClusterServingRuntimes of kserve-runtime-configs
// v0.17.1 (its values.yaml keys), each with a container securityContext.
var servingRuntimes = []string{
	"tensorflow", "mlserver", "sklearnserver", "xgbserver", "huggingfaceserver", "huggingfaceserver_multinode",
	"tritonserver", "pmmlserver", "predictiveserver", "paddleserver", "lgbserver", "torchserve",
}

// runtimeDefaultSeccomp completes the charts' container securityContexts
// (non-root, no privilege escalation, all capabilities dropped) with the
// one field the restricted Pod Security level still requires: the
// RuntimeDefault seccomp profile. Helm merges it into the chart's map.
func runtimeDefaultSeccomp() map[string]any {
	return map[string]any{"seccompProfile": map[string]any{"type": "RuntimeDefault"}}
}

// kserveRuntimeValues installs KServe's ClusterServingRuntimes, after the
// controller whose webhook validates them, with container securityContexts
// the restricted serving namespace admits.
func kserveRuntimeValues(Inputs) map[string]any {
	runtimes := map[string]any{"enabled": true}
	for _, r := range servingRuntimes {
		runtimes[r] = map[string]any{"securityContext": runtimeDefaultSeccomp()}
	}
	return map[string]any{"kserve": map[string]any{"servingruntime": runtimes}}
}
