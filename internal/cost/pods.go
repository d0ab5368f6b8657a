package cost

// Pod is one workload of the platform that runs on the always-on general
// group (the training and GPU groups are tainted for their workloads).
// Its requests come from the release's values when they set them, else
// from the chart's default, else from a stated assumption.
type Pod struct {
	// Release is the Helm release, or Addon the EKS add-on, that runs it;
	// a pod whose owner the graph does not declare is not counted.
	Release, Addon string
	Name           string
	// DaemonSet pods run once on every node.
	DaemonSet bool
	// Replicas is used when ReplicasAt is empty or the values do not set it.
	Replicas   int
	ReplicasAt string
	// RequestsAt is the values path of the pod's resources.requests.
	RequestsAt string
	// CPU and Memory are the requests when the values set none.
	CPU, Memory string
	// Source says where CPU and Memory come from.
	Source string
	// ChartDefault, when set, is "<chart folder>:<values path>" of
	// third_party/charts whose resources.requests are CPU and Memory;
	// ChartNone is the path where the chart sets no request (so CPU and
	// Memory are assumed). The tests check both against the charts.
	ChartDefault, ChartNone string
}

const assumed = "assumed working set (the chart sets no request)"

// PlatformPods lists what runs on the general group. Add-on requests are
// those of the EKS add-on manifests (not vendored here), medium confidence.
var PlatformPods = []Pod{
	{Release: "aws-load-balancer-controller", Name: "controller", Replicas: 1, ReplicasAt: "replicaCount", RequestsAt: "resources.requests",
		CPU: "100m", Memory: "256Mi", Source: assumed, ChartNone: "aws-load-balancer-controller:resources"},
	{Release: "cert-manager", Name: "controller", Replicas: 1, ReplicasAt: "replicaCount", RequestsAt: "resources.requests",
		CPU: "50m", Memory: "128Mi", Source: assumed, ChartNone: "cert-manager:resources"},
	{Release: "cert-manager", Name: "webhook", Replicas: 1, ReplicasAt: "webhook.replicaCount", RequestsAt: "webhook.resources.requests",
		CPU: "20m", Memory: "64Mi", Source: assumed, ChartNone: "cert-manager:webhook.resources"},
	{Release: "cert-manager", Name: "cainjector", Replicas: 1, ReplicasAt: "cainjector.replicaCount", RequestsAt: "cainjector.resources.requests",
		CPU: "50m", Memory: "128Mi", Source: assumed, ChartNone: "cert-manager:cainjector.resources"},
	{Release: "kserve", Name: "controller (manager)", Replicas: 1, RequestsAt: "kserve.controller.resources.requests",
		CPU: "100m", Memory: "300Mi", Source: "chart default", ChartDefault: "kserve-resources:kserve.controller.resources"},
	{Release: "kserve", Name: "controller (kube-rbac-proxy)", Replicas: 1, RequestsAt: "kserve.controller.rbacProxy.resources.requests",
		CPU: "100m", Memory: "300Mi", Source: "chart default", ChartDefault: "kserve-resources:kserve.controller.rbacProxy.resources"},
	{Release: "mlflow", Name: "tracking server", Replicas: 1, ReplicasAt: "replicaCount", RequestsAt: "resources.requests",
		CPU: "250m", Memory: "512Mi", Source: "our values", ChartNone: "mlflow:resources"},
	{Release: "kube-prometheus-stack", Name: "prometheus", Replicas: 1, ReplicasAt: "prometheus.prometheusSpec.replicas", RequestsAt: "prometheus.prometheusSpec.resources.requests",
		CPU: "500m", Memory: "2Gi", Source: assumed, ChartNone: "kube-prometheus-stack:prometheus.prometheusSpec.resources"},
	{Release: "kube-prometheus-stack", Name: "prometheus config-reloader", Replicas: 1, ReplicasAt: "prometheus.prometheusSpec.replicas",
		CPU: "10m", Memory: "50Mi", Source: "prometheus-operator's default config-reloader requests", ChartNone: "kube-prometheus-stack:prometheusOperator.prometheusConfigReloader.resources"},
	{Release: "kube-prometheus-stack", Name: "alertmanager", Replicas: 1, ReplicasAt: "alertmanager.alertmanagerSpec.replicas", RequestsAt: "alertmanager.alertmanagerSpec.resources.requests",
		CPU: "50m", Memory: "128Mi", Source: assumed, ChartNone: "kube-prometheus-stack:alertmanager.alertmanagerSpec.resources"},
	{Release: "kube-prometheus-stack", Name: "prometheus-operator", Replicas: 1, RequestsAt: "prometheusOperator.resources.requests",
		CPU: "100m", Memory: "128Mi", Source: assumed, ChartNone: "kube-prometheus-stack:prometheusOperator.resources"},
	{Release: "kube-prometheus-stack", Name: "grafana", Replicas: 1, RequestsAt: "grafana.resources.requests",
		CPU: "100m", Memory: "256Mi", Source: assumed, ChartNone: "kube-prometheus-stack/charts/grafana:resources"},
	{Release: "kube-prometheus-stack", Name: "kube-state-metrics", Replicas: 1, RequestsAt: "kube-state-metrics.resources.requests",
		CPU: "50m", Memory: "128Mi", Source: assumed, ChartNone: "kube-prometheus-stack/charts/kube-state-metrics:resources"},
	{Release: "kube-prometheus-stack", Name: "node-exporter", DaemonSet: true, RequestsAt: "prometheus-node-exporter.resources.requests",
		CPU: "50m", Memory: "64Mi", Source: assumed, ChartNone: "kube-prometheus-stack/charts/prometheus-node-exporter:resources"},
	{Release: "cluster-autoscaler", Name: "cluster-autoscaler", Replicas: 1, ReplicasAt: "replicaCount", RequestsAt: "resources.requests",
		CPU: "100m", Memory: "300Mi", Source: "the chart's commented example (resources: {} by default)", ChartNone: "cluster-autoscaler:resources"},
	{Release: "metrics-server", Name: "metrics-server", Replicas: 1, ReplicasAt: "replicas", RequestsAt: "resources.requests",
		CPU: "100m", Memory: "200Mi", Source: "chart default", ChartDefault: "metrics-server:resources"},
	{Addon: "vpc-cni", Name: "aws-node", DaemonSet: true, CPU: "25m", Memory: "0", Source: "EKS add-on manifest"},
	{Addon: "kube-proxy", Name: "kube-proxy", DaemonSet: true, CPU: "100m", Memory: "0", Source: "EKS add-on manifest"},
	{Addon: "coredns", Name: "coredns", Replicas: 2, CPU: "100m", Memory: "70Mi", Source: "EKS add-on manifest"},
	{Addon: "aws-ebs-csi-driver", Name: "ebs-csi-controller", Replicas: 2, CPU: "60m", Memory: "240Mi", Source: "EKS add-on manifest (6 containers x 10m/40Mi)"},
	{Addon: "aws-ebs-csi-driver", Name: "ebs-csi-node", DaemonSet: true, CPU: "30m", Memory: "120Mi", Source: "EKS add-on manifest (3 containers x 10m/40Mi)"},
	{Addon: "eks-pod-identity-agent", Name: "eks-pod-identity-agent", DaemonSet: true, CPU: "25m", Memory: "0", Source: "EKS add-on manifest"},
	{Addon: "amazon-cloudwatch-observability", Name: "cloudwatch-agent", DaemonSet: true, CPU: "250m", Memory: "128Mi", Source: "add-on chart default"},
	{Addon: "amazon-cloudwatch-observability", Name: "fluent-bit", DaemonSet: true, CPU: "50m", Memory: "25Mi", Source: "add-on chart default"},
	{Addon: "amazon-cloudwatch-observability", Name: "controller-manager", Replicas: 1, CPU: "100m", Memory: "64Mi", Source: "add-on chart default"},
}
