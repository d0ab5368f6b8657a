package platform

// StorageClassName is the platform's default StorageClass.
const StorageClassName = "gp3"

// Retention of Prometheus's data.
const (
	ProdRetention = "15d"
	DevRetention  = "2d"
)

func claim(size string) map[string]any {
	return map[string]any{"volumeClaimTemplate": map[string]any{"spec": map[string]any{
		"storageClassName": StorageClassName,
		"accessModes":      []any{"ReadWriteOnce"},
		"resources":        map[string]any{"requests": map[string]any{"storage": size}},
	}}}
}

// monitoringValues runs Prometheus, Alertmanager and Grafana. In prod
// Prometheus and Alertmanager run two replicas on gp3 volumes with 15 days
// of retention. Grafana's admin credentials come from a Secret the program
// generates. node-exporter, which needs host access, runs in its own
// privileged namespace so that monitoring stays restricted.
func monitoringValues(in Inputs) map[string]any {
	prom := map[string]any{
		"replicas":  replicas(in.Prod, 2),
		"retention": DevRetention,
		// Scrape every ServiceMonitor and PodMonitor, not only this release's.
		"serviceMonitorSelectorNilUsesHelmValues": false,
		"podMonitorSelectorNilUsesHelmValues":     false,
	}
	am := map[string]any{"replicas": replicas(in.Prod, 2)}
	grafana := map[string]any{
		"admin":         map[string]any{"existingSecret": grafanaAdminName, "userKey": "admin-user", "passwordKey": "admin-password"},
		"initChownData": map[string]any{"enabled": false},
	}
	if in.Prod {
		prom["retention"] = ProdRetention
		prom["retentionSize"] = "45GB"
		prom["storageSpec"] = claim("50Gi")
		am["storage"] = claim("10Gi")
		grafana["persistence"] = map[string]any{"enabled": true, "storageClassName": StorageClassName, "size": "10Gi"}
	}
	return map[string]any{
		"prometheus":               map[string]any{"prometheusSpec": prom},
		"alertmanager":             map[string]any{"alertmanagerSpec": am},
		"grafana":                  grafana,
		"prometheus-node-exporter": map[string]any{"namespaceOverride": NSNodeExporter},
	}
}
