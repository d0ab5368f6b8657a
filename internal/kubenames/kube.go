// Package kubenames holds the Kubernetes names the platform's layers agree on:
// the namespaces and their Pod Security levels, the exemptions' reasons and
// the GPU extended resource. The in-cluster program declares them, the plan
// shows them and the API-server tests check them.
package kubenames

// GPUResource is the extended resource the NVIDIA device plugin offers.
const GPUResource = "nvidia.com/gpu"

// Pod Security Standards levels.
const (
	Restricted = "restricted"
	Baseline   = "baseline"
	Privileged = "privileged"
)

// PSA label prefix and the annotation that justifies a lower level.
const (
	PSALabelPrefix         = "pod-security.kubernetes.io/"
	PSAExemptionAnnotation = "mlops-platform/psa-exemption"
)

// Namespaces of the platform.
const (
	NSServing      = "serving"
	NSTraining     = "training"
	NSMLflow       = "mlflow"
	NSKServe       = "kserve"
	NSCertManager  = "cert-manager"
	NSMonitoring   = "monitoring"
	NSNodeExporter = "monitoring-node"
	NSDevicePlugin = "nvidia-device-plugin"
	// NSDCGMExporter runs NVIDIA's GPU metrics exporter on GPU nodes.
	NSDCGMExporter  = "dcgm-exporter"
	NSMetricsServer = "metrics-server"
	NSKubeSystem    = "kube-system"
	NSCloudWatch    = "amazon-cloudwatch"
)

// Namespace is one namespace and its Pod Security level.
type Namespace struct {
	Name string
	// Level is enforced, warned and audited.
	Level string
	// Workload namespaces run users' models and jobs: they get quotas,
	// limit ranges and default-deny network policies.
	Workload bool
	// Reason justifies a level below restricted.
	Reason string
	// Managed is false for namespaces EKS creates (kube-system, add-ons):
	// listed for the record, not declared here.
	Managed bool
}

// Namespaces lists every namespace the platform's pods run in, workload
// namespaces first.
func Namespaces() []Namespace {
	return []Namespace{
		{Name: NSServing, Level: Restricted, Workload: true, Managed: true},
		{Name: NSTraining, Level: Restricted, Workload: true, Managed: true},
		{Name: NSMLflow, Level: Restricted, Managed: true},
		{Name: NSKServe, Level: Restricted, Managed: true},
		{Name: NSCertManager, Level: Restricted, Managed: true},
		{Name: NSMonitoring, Level: Restricted, Managed: true},
		{Name: NSMetricsServer, Level: Restricted, Managed: true},
		{Name: NSNodeExporter, Level: Privileged, Managed: true,
			Reason: "prometheus-node-exporter reads the node's /proc, /sys and root filesystem through hostPath and runs with hostNetwork and hostPID"},
		{Name: NSDevicePlugin, Level: Privileged, Managed: true,
			Reason: "the NVIDIA device plugin mounts the kubelet's device-plugin socket directory (hostPath) to register GPUs"},
		{Name: NSDCGMExporter, Level: Privileged, Managed: true,
			Reason: "dcgm-exporter mounts the kubelet's pod-resources socket (hostPath) to map GPUs to pods and adds SYS_ADMIN to read the GPUs' profiling counters"},
		{Name: NSKubeSystem, Level: Privileged, Managed: false,
			Reason: "EKS system namespace (VPC CNI, kube-proxy, EBS CSI node plugin need host access); the IRSA trust of the load balancer controller and cluster autoscaler names it"},
		{Name: NSCloudWatch, Level: Privileged, Managed: false,
			Reason: "EKS add-on namespace: the CloudWatch agent and Fluent Bit read host logs through hostPath"},
	}
}

// Exemptions returns the namespaces below restricted, each with its reason.
func Exemptions() []Namespace {
	var out []Namespace
	for _, n := range Namespaces() {
		if n.Level != Restricted {
			out = append(out, n)
		}
	}
	return out
}

// WorkloadNamespaces returns the names of the workload namespaces.
func WorkloadNamespaces() []string {
	var out []string
	for _, n := range Namespaces() {
		if n.Workload {
			out = append(out, n.Name)
		}
	}
	return out
}

// PSALabels returns the enforce, warn and audit labels of a level.
func PSALabels(level string) map[string]string {
	out := map[string]string{}
	for _, mode := range []string{"enforce", "warn", "audit"} {
		out[PSALabelPrefix+mode] = level
		out[PSALabelPrefix+mode+"-version"] = "latest"
	}
	return out
}
