package platform

import (
	_ "embed" // the dashboard
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	corev1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/core/v1"
	metav1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/meta/v1"
)

// DCGMDashboard is NVIDIA's Grafana dashboard for dcgm-exporter, a copy of
// third_party/reference/grafana/dcgm-exporter-dashboard.json (a test keeps
// them identical).
//
//go:embed dashboards/dcgm-exporter-dashboard.json
var DCGMDashboard string

// Grafana's dashboard sidecar (kube-prometheus-stack's defaults) loads
// every ConfigMap labelled grafana_dashboard=1, in any namespace.
const (
	DashboardLabel      = "grafana_dashboard"
	DashboardLabelValue = "1"
	// DCGMDashboardConfigMap names the dashboard's ConfigMap.
	DCGMDashboardConfigMap = "grafana-dashboard-dcgm-exporter"
)

// dcgmExporterValues runs dcgm-exporter on GPU nodes only (the label and
// taint the GPU NodePool gives them) with its default counters and its
// ServiceMonitor, which Prometheus selects (any ServiceMonitor).
func dcgmExporterValues(Inputs) map[string]any {
	return map[string]any{
		"nodeSelector": map[string]any{nodegroups.GPUPresentLabel: "true"},
		"tolerations": []any{map[string]any{
			"key": kubenames.GPUResource, "operator": "Exists", "effect": "NoSchedule",
		}},
		"serviceMonitor": map[string]any{"enabled": true, "interval": "15s"},
	}
}

// GPU alert thresholds.
const (
	// GPUHotCelsius is where the datacenter GPUs of the allowed families
	// (A10G, L4, L40S) start slowing their clocks to cool down.
	GPUHotCelsius = 85
	// GPUMemoryFullRatio is the framebuffer share that leaves a model
	// server no room for a larger batch or KV cache.
	GPUMemoryFullRatio = 0.95
)

// gpuAlertRules are the GPU alerts, on metrics the default counters
// export: an XID error (a driver- or hardware-reported fault), a GPU hot
// enough to throttle its clocks, and framebuffer memory near full.
func gpuAlertRules() map[string]any {
	rule := func(alert, expr, forDur, severity, summary string) map[string]any {
		return map[string]any{"alert": alert, "expr": expr, "for": forDur,
			"labels": map[string]any{"severity": severity}, "annotations": map[string]any{"summary": summary}}
	}
	return map[string]any{"groups": []any{map[string]any{
		"name": "gpu",
		"rules": []any{
			rule("GPUXidError", "DCGM_FI_DEV_XID_ERRORS > 0", "0m", "critical",
				"GPU {{ $labels.gpu }} on {{ $labels.Hostname }} reported XID error {{ $value }}: drain the node if it repeats"),
			rule("GPUThermalThrottling", fmt.Sprintf("DCGM_FI_DEV_GPU_TEMP > %d", GPUHotCelsius), "5m", "warning",
				"GPU {{ $labels.gpu }} on {{ $labels.Hostname }} has run above the throttling temperature for 5 minutes"),
			rule("GPUMemoryNearFull", fmt.Sprintf("DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE) > %g", GPUMemoryFullRatio), "10m", "warning",
				"GPU {{ $labels.gpu }} on {{ $labels.Hostname }} has used over 95% of its memory for 10 minutes"),
		},
	}}}
}

// gpuDashboard declares the dashboard's ConfigMap in monitoring, where
// Grafana's sidecar provisions it.
func (b *builder) gpuDashboard() error {
	_, err := corev1.NewConfigMap(b.ctx, b.name+"-dashboard-dcgm-exporter", &corev1.ConfigMapArgs{
		Metadata: &metav1.ObjectMetaArgs{
			Name: pulumi.String(DCGMDashboardConfigMap), Namespace: pulumi.String(kubenames.NSMonitoring),
			Labels: pulumi.StringMap{DashboardLabel: pulumi.String(DashboardLabelValue)},
		},
		Data: pulumi.StringMap{"dcgm-exporter.json": pulumi.String(DCGMDashboard)},
	}, b.inNamespace(kubenames.NSMonitoring)...)
	if err != nil {
		return fmt.Errorf("declaring the GPU dashboard's ConfigMap: %w", err)
	}
	return nil
}
