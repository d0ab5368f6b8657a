package platform

// kserveValues runs KServe in RawDeployment mode (no Knative or Istio):
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
				"deploymentMode": "RawDeployment",
				"gateway": map[string]any{
					"domain":         in.KserveIngressDomain,
					"urlScheme":      urlScheme,
					"ingressGateway": map[string]any{"className": IngressClass},
				},
			},
			"storage": map[string]any{"s3": map[string]any{"region": in.Region, "useHttps": "1"}},
		},
	}
}
