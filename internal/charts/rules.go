package charts

// Rule says how to check the values of one release against its chart.
type Rule struct {
	// FreeForm are the chart's free-form maps the program writes keys into;
	// each is copied verbatim into a manifest by the chart's templates.
	FreeForm []string
	// Subcharts maps values keys to subchart folders, relative to the chart.
	Subcharts map[string]string
	// Schema is true when the chart ships a values.schema.json that the
	// merged values must validate against.
	Schema bool
}

// Rules are the checks of the platform's releases, by release name.
var Rules = map[string]Rule{
	"aws-load-balancer-controller": {FreeForm: []string{
		"serviceAccount.annotations", // ServiceAccount metadata.annotations
		"podDisruptionBudget",        // PodDisruptionBudget spec ({} in values.yaml)
		"ingressClassParams.spec",    // IngressClassParams spec ({} in values.yaml)
	}},
	"cert-manager": {Schema: true},
	// Container securityContexts, passed through by toYaml; the values
	// add seccompProfile to the chart's.
	"kserve": {FreeForm: []string{"kserve.storage.containerSecurityContext"}},
	"kserve-runtime-configs": {FreeForm: []string{
		"kserve.servingruntime.tensorflow.securityContext", "kserve.servingruntime.mlserver.securityContext",
		"kserve.servingruntime.sklearnserver.securityContext", "kserve.servingruntime.xgbserver.securityContext",
		"kserve.servingruntime.huggingfaceserver.securityContext", "kserve.servingruntime.huggingfaceserver_multinode.securityContext",
		"kserve.servingruntime.tritonserver.securityContext", "kserve.servingruntime.pmmlserver.securityContext",
		"kserve.servingruntime.predictiveserver.securityContext", "kserve.servingruntime.paddleserver.securityContext",
		"kserve.servingruntime.lgbserver.securityContext", "kserve.servingruntime.torchserve.securityContext",
	}},
	"dcgm-exporter": {FreeForm: []string{
		"nodeSelector", // the DaemonSet's nodeSelector ({} in values.yaml)
	}},
	"karpenter": {FreeForm: []string{
		"serviceAccount.annotations", // ServiceAccount metadata.annotations ({} in values.yaml)
		"nodeSelector",               // the Deployment's nodeSelector
		"controller.resources",       // the controller container's resources ({} in values.yaml)
	}},
	"cluster-autoscaler": {FreeForm: []string{
		"rbac.serviceAccount.annotations", // ServiceAccount metadata.annotations
		"extraArgs",                       // map rendered as --key=value flags
	}},
	"nvidia-device-plugin": {FreeForm: []string{"nodeSelector"}},
	"mlflow":               {FreeForm: []string{"serviceAccount.annotations"}, Schema: true},
	"kube-prometheus-stack": {
		FreeForm: []string{
			// Commented out in grafana 11.1.5's values.yaml
			// ("# storageClassName: default") but read by its PVC template.
			"grafana.persistence.storageClassName",
			// PrometheusRule specs by name ({} in values.yaml): the GPU alerts.
			"additionalPrometheusRulesMap",
			// Kubernetes PersistentVolumeClaim templates, passed through.
			"prometheus.prometheusSpec.storageSpec",
			"alertmanager.alertmanagerSpec.storage",
			// Annotations of the Alertmanager service account ({} in
			// values.yaml): the IRSA role.
			"alertmanager.serviceAccount.annotations",
		},
		Subcharts: map[string]string{
			"grafana":                  "charts/grafana",
			"kube-state-metrics":       "charts/kube-state-metrics",
			"prometheus-node-exporter": "charts/prometheus-node-exporter",
		},
	},
}
