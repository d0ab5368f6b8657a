package platform

import (
	"strconv"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
)

// Settings are the in-cluster choices the environment's spec makes, as
// plain values: the component derives nothing from a profile.
type Settings struct {
	Region, VpcCidr     string
	KserveIngressDomain string
	// CertificateArn, when set, turns the ALBs' listeners to HTTPS.
	CertificateArn string
	// AccessLogsBucket receives the ALBs' access logs.
	AccessLogsBucket string
	// ALBScheme is internal or internet-facing ("internal" or "internet-facing").
	ALBScheme string
	// ALBDeletionProtection refuses to delete the ALBs.
	ALBDeletionProtection bool
	// ALBSourceCidrs are the blocks the ALBs reach pods from: the internal
	// load balancer subnets, or the public subnets of internet-facing ALBs.
	ALBSourceCidrs []string
	// InboundCidrs are the only sources internet-facing ALBs admit (the
	// operators' ranges); internal ALBs ignore them.
	InboundCidrs []string

	// AlertWebhookSecret, when set, names the Secret in monitoring whose
	// key spec.WebhookURLKey holds Alertmanager's webhook URL.
	AlertWebhookSecret string

	// StorageReclaimPolicy is the default StorageClass's reclaim policy.
	StorageReclaimPolicy string
	// Quota is the ResourceQuota of each workload namespace.
	Quota Quota

	MLflow        Replicated
	CertManager   Replicated
	MetricsServer Replicated
	Prometheus    Prometheus
	Alertmanager  Alertmanager
	// GrafanaStorageSize is Grafana's volume; empty means no persistence.
	GrafanaStorageSize string

	// NodePools are Karpenter's training and GPU pools; NodeTags the
	// platform's tags their instances and volumes carry.
	NodePools []NodePool
	// KarpenterReplicas is the controller's replica count: one less than
	// the general group's minimum, at most 2, so that draining a general
	// node always leaves a node for the evicted replica (the chart spreads
	// replicas across hosts and zones).
	KarpenterReplicas int
	NodeTags          map[string]string

	// Charts is where the releases' charts come from.
	Charts ChartSource
}

// Replicated sizes one service: its replicas and whether a disruption
// budget keeps one of them up.
type Replicated struct {
	Replicas         int
	DisruptionBudget bool
}

// Prometheus sizes the metrics store. Empty RetentionSize means no cap;
// empty StorageSize keeps the data in an emptyDir.
type Prometheus struct {
	Replicas                              int
	Retention, RetentionSize, StorageSize string
}

// Alertmanager sizes the alert router; empty StorageSize means no volume.
type Alertmanager struct {
	Replicas    int
	StorageSize string
}

// Quota holds the hard limits of a workload namespace.
type Quota struct {
	RequestsCPU, RequestsMemory, LimitsMemory string
	GPUs, PersistentVolumeClaims              int
	RequestsStorage                           string
	Pods                                      int
}

// Hard returns the ResourceQuota's hard limits. GPUs are capped through
// the quota (requests.nvidia.com/gpu), never defaulted through a
// LimitRange; Services of type LoadBalancer are refused (the platform
// uses ALB Ingresses).
func (q Quota) Hard() map[string]string {
	return map[string]string{
		"requests.cpu": q.RequestsCPU, "requests.memory": q.RequestsMemory, "limits.memory": q.LimitsMemory,
		"requests." + kubenames.GPUResource: strconv.Itoa(q.GPUs), "persistentvolumeclaims": strconv.Itoa(q.PersistentVolumeClaims),
		"requests.storage": q.RequestsStorage, "pods": strconv.Itoa(q.Pods), "services.loadbalancers": "0",
	}
}

// internetFacing reports whether the ALBs face the internet.
func (s Settings) internetFacing() bool { return s.ALBScheme == schemeInternetFacing }

// schemeInternetFacing is the load balancer controller's scheme of ALBs
// reachable from the internet.
const schemeInternetFacing = "internet-facing"
