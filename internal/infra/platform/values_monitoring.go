package platform

import (
	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// StorageClassName is the platform's default StorageClass.
const StorageClassName = "gp3"

func claim(size string) map[string]any {
	return map[string]any{"volumeClaimTemplate": map[string]any{"spec": map[string]any{
		"storageClassName": StorageClassName,
		"accessModes":      []any{"ReadWriteOnce"},
		"resources":        map[string]any{"requests": map[string]any{"storage": size}},
	}}}
}

// monitoringValues runs Prometheus, Alertmanager and Grafana with the
// spec's replicas, retention and gp3 volumes (none when a size is empty). Grafana's admin credentials come from a Secret the program
// generates. node-exporter, which needs host access, runs in its own
// privileged namespace so that monitoring stays restricted.
func monitoringValues(in Inputs) map[string]any {
	prom := map[string]any{
		"replicas":  in.Prometheus.Replicas,
		"retention": in.Prometheus.Retention,
		// Scrape every ServiceMonitor and PodMonitor, not only this release's.
		"serviceMonitorSelectorNilUsesHelmValues": false,
		"podMonitorSelectorNilUsesHelmValues":     false,
	}
	am := map[string]any{"replicas": in.Alertmanager.Replicas}
	grafana := map[string]any{
		"admin":         map[string]any{"existingSecret": grafanaAdminName, "userKey": "admin-user", "passwordKey": "admin-password"},
		"initChownData": map[string]any{"enabled": false},
		// Port = container port, as for MLflow (networkpolicies.go).
		"service": map[string]any{"port": GrafanaPort},
	}
	if v := in.Prometheus.RetentionSize; v != "" {
		prom["retentionSize"] = v
	}
	if v := in.Prometheus.StorageSize; v != "" {
		prom["storageSpec"] = claim(v)
	}
	if v := in.Alertmanager.StorageSize; v != "" {
		am["storage"] = claim(v)
	}
	if v := in.GrafanaStorageSize; v != "" {
		grafana["persistence"] = map[string]any{"enabled": true, "storageClassName": StorageClassName, "size": v}
		// The volume is ReadWriteOnce: a rolling update's new pod cannot
		// attach it while the old one holds it (and on another node never
		// will), so the rollout stalls; the old pod must go first.
		grafana["deploymentStrategy"] = map[string]any{"type": "Recreate"}
	}
	alertmanager := alertmanagerValues(in)
	alertmanager["alertmanagerSpec"] = am
	if in.AlertWebhookSecret != "" {
		// Mounted at /etc/alertmanager/secrets/<name>/.
		am["secrets"] = []any{in.AlertWebhookSecret}
	}
	out := map[string]any{
		"prometheus":                   map[string]any{"prometheusSpec": prom},
		"alertmanager":                 alertmanager,
		"grafana":                      grafana,
		"prometheus-node-exporter":     map[string]any{"namespaceOverride": kubenames.NSNodeExporter},
		"additionalPrometheusRulesMap": map[string]any{"gpu": gpuAlertRules()},
	}
	// EKS runs the control plane outside the cluster: no pod or endpoint
	// of the controller manager, the scheduler or etcd exists to scrape,
	// so their ServiceMonitors find nothing and their alerts (TargetDown,
	// KubeSchedulerDown, KubeControllerManagerDown, etcd's) would fire
	// forever. Disabling a component also drops its rules.
	for _, c := range EKSHiddenComponents {
		out[c] = map[string]any{"enabled": false}
	}
	return out
}

// EKSHiddenComponents are kube-prometheus-stack's control-plane monitors
// that have nothing to scrape on EKS.
var EKSHiddenComponents = []string{"kubeControllerManager", "kubeScheduler", "kubeEtcd"}

// Receivers of the Alertmanager configuration.
const (
	// AlertReceiver gets every alert but the two below.
	AlertReceiver = "platform"
	// nullReceiver drops what it gets.
	nullReceiver = "null"
)

// DroppedAlerts are kube-prometheus-stack's alerts that fire by design:
// Watchdog always (a heartbeat for a dead man's switch, which nothing
// here watches) and InfoInhibitor while info alerts exist (it only
// inhibits them, by the chart's inhibit rules). Both go to nullReceiver.
var DroppedAlerts = []string{"Watchdog", "InfoInhibitor"}

// alertmanagerValues sends every alert to AlertReceiver: SNS through
// SigV4 with the IRSA role (the pod's web identity credentials sign), or
// the webhook whose URL Alertmanager reads from the mounted Secret, so the
// URL is never in the values or the state. The chart's inhibit rules and
// grouping stay; its route to the null receiver goes.
func alertmanagerValues(in Inputs) map[string]any {
	var routes []any
	for _, a := range DroppedAlerts {
		routes = append(routes, map[string]any{"receiver": nullReceiver, "matchers": []any{`alertname = "` + a + `"`}})
	}
	receiver := map[string]any{"name": AlertReceiver}
	sa := map[string]any{"create": true, "name": identity.AlertmanagerServiceAccount.Name}
	if in.AlertWebhookSecret != "" {
		receiver["webhook_configs"] = []any{map[string]any{
			"url_file":      "/etc/alertmanager/secrets/" + in.AlertWebhookSecret + "/" + spec.WebhookURLKey,
			"send_resolved": true,
		}}
	} else {
		receiver["sns_configs"] = []any{map[string]any{
			"topic_arn":     in.AlertTopic,
			"sigv4":         map[string]any{"region": in.Region},
			"send_resolved": true,
		}}
		sa = irsaAccount(identity.AlertmanagerServiceAccount, in.AlertmanagerRole)
	}
	return map[string]any{
		"serviceAccount": sa,
		"config": map[string]any{
			"route":     map[string]any{"receiver": AlertReceiver, "routes": routes},
			"receivers": []any{map[string]any{"name": nullReceiver}, receiver},
		},
	}
}
