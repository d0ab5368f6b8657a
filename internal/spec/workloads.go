package spec

// Workloads configures the in-cluster layer: how many replicas the
// platform's services run, whether they have disruption budgets, the
// monitoring stack's retention and storage, the default StorageClass and
// the quota of each workload namespace.
type Workloads struct {
	// MLflow is the tracking server.
	MLflow Replicated `json:"mlflow"`
	// CertManager sizes cert-manager's controller, webhook and cainjector.
	CertManager Replicated `json:"certManager"`
	// MetricsServer is the resource metrics API behind kubectl top and HPAs.
	MetricsServer Replicated `json:"metricsServer"`
	// Prometheus is kube-prometheus-stack's Prometheus.
	Prometheus Prometheus `json:"prometheus"`
	// Alertmanager is kube-prometheus-stack's Alertmanager.
	Alertmanager Alertmanager `json:"alertmanager"`
	// Grafana is kube-prometheus-stack's Grafana.
	Grafana Grafana `json:"grafana"`
	// StorageReclaimPolicy is the default StorageClass's reclaim policy:
	// Retain keeps a released volume, Delete removes it with its claim.
	StorageReclaimPolicy string `json:"storageReclaimPolicy"`
	// Quota is the ResourceQuota of each workload namespace.
	Quota Quota `json:"quota"`
}

// Replicated sizes one platform service.
type Replicated struct {
	// Replicas is the number of pods.
	Replicas int `json:"replicas"`
	// DisruptionBudget keeps one pod up through voluntary disruptions
	// (node drains during upgrades).
	DisruptionBudget bool `json:"disruptionBudget"`
}

// Prometheus configures the metrics store.
type Prometheus struct {
	Replicas int `json:"replicas"`
	// Retention is how long samples are kept, as Prometheus spells a
	// duration (15d).
	Retention string `json:"retention"`
	// RetentionSize caps the stored bytes (45GB); empty means no cap.
	RetentionSize string `json:"retentionSize"`
	// StorageSize is the size of each replica's gp3 volume (50Gi); empty
	// keeps the data on the node (emptyDir), lost with the pod.
	StorageSize string `json:"storageSize"`
}

// Alertmanager configures the alert router.
type Alertmanager struct {
	Replicas int `json:"replicas"`
	// StorageSize is the size of each replica's gp3 volume; empty keeps
	// silences and notification state on the node.
	StorageSize string `json:"storageSize"`
}

// Grafana configures the dashboards.
type Grafana struct {
	// StorageSize is the size of Grafana's gp3 volume; empty keeps its
	// database on the node.
	StorageSize string `json:"storageSize"`
}

// Quota is the ResourceQuota of a workload namespace. GPUs are capped
// here, never defaulted through a LimitRange.
type Quota struct {
	// RequestsCPU caps the sum of CPU requests (a Kubernetes quantity).
	RequestsCPU string `json:"requestsCpu"`
	// RequestsMemory caps the sum of memory requests.
	RequestsMemory string `json:"requestsMemory"`
	// LimitsMemory caps the sum of memory limits.
	LimitsMemory string `json:"limitsMemory"`
	// GPUs caps the sum of nvidia.com/gpu requests.
	GPUs int `json:"gpus"`
	// PersistentVolumeClaims caps the number of claims.
	PersistentVolumeClaims int `json:"persistentVolumeClaims"`
	// RequestsStorage caps the sum of the claims' storage requests.
	RequestsStorage string `json:"requestsStorage"`
	// Pods caps the number of pods.
	Pods int `json:"pods"`
}

// Reclaim policies of the default StorageClass.
const (
	ReclaimRetain = "Retain"
	ReclaimDelete = "Delete"
)

func prodWorkloads() Workloads {
	ha := Replicated{Replicas: 2, DisruptionBudget: true}
	return Workloads{
		MLflow: ha, CertManager: ha, MetricsServer: ha,
		Prometheus:           Prometheus{Replicas: 2, Retention: "15d", RetentionSize: "45GB", StorageSize: "50Gi"},
		Alertmanager:         Alertmanager{Replicas: 2, StorageSize: "10Gi"},
		Grafana:              Grafana{StorageSize: "10Gi"},
		StorageReclaimPolicy: ReclaimRetain,
		Quota: Quota{RequestsCPU: "64", RequestsMemory: "256Gi", LimitsMemory: "512Gi", GPUs: 4,
			PersistentVolumeClaims: 20, RequestsStorage: "2Ti", Pods: 200},
	}
}

func devWorkloads() Workloads {
	one := Replicated{Replicas: 1, DisruptionBudget: false}
	return Workloads{
		MLflow: one, CertManager: one, MetricsServer: one,
		Prometheus:           Prometheus{Replicas: 1, Retention: "2d"},
		Alertmanager:         Alertmanager{Replicas: 1},
		StorageReclaimPolicy: ReclaimDelete,
		Quota: Quota{RequestsCPU: "16", RequestsMemory: "64Gi", LimitsMemory: "128Gi", GPUs: 1,
			PersistentVolumeClaims: 10, RequestsStorage: "500Gi", Pods: 50},
	}
}
