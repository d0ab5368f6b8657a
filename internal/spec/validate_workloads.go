package spec

import (
	"regexp"
	"slices"

	"k8s.io/apimachinery/pkg/api/resource"
)

// MinAccessLogDays is the shortest access-log expiration: 90 days for
// incident review.
const MinAccessLogDays = 90

// KMS's limits on a key's deletion window (ScheduleKeyDeletion API).
const (
	MinKMSDeletionWindowDays = 7
	MaxKMSDeletionWindowDays = 30
)

var (
	// snsTopicARNRe is an SNS topic ARN (CreateTopic's name rules).
	snsTopicARNRe = regexp.MustCompile(`^arn:aws(-[a-z]+)*:sns:([a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]):[0-9]{12}:[A-Za-z0-9_-]{1,256}$`)
	// secretNameRe is a Kubernetes object name (DNS subdomain).
	secretNameRe = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$`)
	// promDurationRe is a Prometheus retention duration such as 15d.
	promDurationRe = regexp.MustCompile(`^[0-9]+(ms|s|m|h|d|w|y)$`)
	// promSizeRe is a Prometheus retention size such as 45GB.
	promSizeRe = regexp.MustCompile(`^[0-9]+(B|KB|MB|GB|TB|PB|EB)$`)
)

// validateLifecycle checks the access-log expiration and the KMS deletion
// window.
func validateLifecycle(c *collector, s *Spec) {
	if d := s.AccessLogs.ExpirationDays; d < MinAccessLogDays {
		c.errf("accessLogs.expirationDays", "must be at least %d (incident review), got %d", MinAccessLogDays, d)
	} else if d < s.LogRetentionDays {
		c.warnf("accessLogs.expirationDays", "%d days is shorter than logRetentionDays (%d): access logs expire before the CloudWatch logs", d, s.LogRetentionDays)
	}
	if d := s.KMS.DeletionWindowDays; d < MinKMSDeletionWindowDays || d > MaxKMSDeletionWindowDays {
		c.errf("kms.deletionWindowDays", "must be between %d and %d, got %d", MinKMSDeletionWindowDays, MaxKMSDeletionWindowDays, d)
	}
}

// validateALB checks the ALBs' scheme.
func validateALB(c *collector, s *Spec) {
	switch s.Ingress.Scheme {
	case SchemeInternal:
	case SchemeInternetFacing:
		if len(s.ClusterEndpointPublicAccessCidrs) == 0 {
			c.warnf("ingress.scheme", "internet-facing ALBs without clusterEndpointPublicAccessCidrs admit the whole internet")
		}
	default:
		c.errf("ingress.scheme", "must be %q or %q, got %q", SchemeInternal, SchemeInternetFacing, s.Ingress.Scheme)
	}
}

// validateWorkloads checks replicas, budgets, monitoring storage, the
// reclaim policy and the quota.
func validateWorkloads(c *collector, s *Spec) {
	w := s.Workloads
	for _, r := range []struct {
		key      string
		replicas int
		budget   bool
	}{
		{"workloads.mlflow", w.MLflow.Replicas, w.MLflow.DisruptionBudget},
		{"workloads.certManager", w.CertManager.Replicas, w.CertManager.DisruptionBudget},
		{"workloads.metricsServer", w.MetricsServer.Replicas, w.MetricsServer.DisruptionBudget},
		{"workloads.prometheus", w.Prometheus.Replicas, false},
		{"workloads.alertmanager", w.Alertmanager.Replicas, false},
	} {
		switch {
		case r.replicas < 1:
			c.errf(r.key+".replicas", "must be at least 1, got %d", r.replicas)
		case r.budget && r.replicas < 2:
			c.errf(r.key+".disruptionBudget", "a budget of one available pod with %d replica blocks every node drain; set replicas to 2 or more", r.replicas)
		}
	}
	if !promDurationRe.MatchString(w.Prometheus.Retention) {
		c.errf("workloads.prometheus.retention", "%q is not a Prometheus duration such as 15d", w.Prometheus.Retention)
	}
	if v := w.Prometheus.RetentionSize; v != "" && !promSizeRe.MatchString(v) {
		c.errf("workloads.prometheus.retentionSize", "%q is not a Prometheus size such as 45GB (or empty for no cap)", v)
	}
	for _, kv := range [][2]string{
		{"workloads.prometheus.storageSize", w.Prometheus.StorageSize},
		{"workloads.alertmanager.storageSize", w.Alertmanager.StorageSize},
		{"workloads.grafana.storageSize", w.Grafana.StorageSize},
	} {
		if kv[1] != "" {
			quantity(c, kv[0], kv[1])
		}
	}
	if !slices.Contains([]string{ReclaimRetain, ReclaimDelete}, w.StorageReclaimPolicy) {
		c.errf("workloads.storageReclaimPolicy", "must be %s or %s, got %q", ReclaimRetain, ReclaimDelete, w.StorageReclaimPolicy)
	}
	q := w.Quota
	for _, kv := range [][2]string{{"requestsCpu", q.RequestsCPU}, {"requestsMemory", q.RequestsMemory},
		{"limitsMemory", q.LimitsMemory}, {"requestsStorage", q.RequestsStorage}} {
		quantity(c, "workloads.quota."+kv[0], kv[1])
	}
	for _, n := range []struct {
		key string
		v   int
	}{{"gpus", q.GPUs}, {"persistentVolumeClaims", q.PersistentVolumeClaims}, {"pods", q.Pods}} {
		if n.v < 0 {
			c.errf("workloads.quota."+n.key, "must not be negative, got %d", n.v)
		}
	}
}

// quantity reports v unless it is a positive Kubernetes quantity.
func quantity(c *collector, key, v string) {
	q, err := resource.ParseQuantity(v)
	if err != nil || q.Sign() <= 0 {
		c.errf(key, "%q is not a positive Kubernetes quantity such as 64, 500m, 256Gi", v)
	}
}

// validateAlerting checks the alert destination.
func validateAlerting(c *collector, s *Spec) {
	a := s.Alerting
	if a.SNSTopicArn != "" {
		if m := snsTopicARNRe.FindStringSubmatch(a.SNSTopicArn); m == nil {
			c.errf("alerting.snsTopicArn", "%q is not an SNS topic ARN such as arn:aws:sns:%s:123456789012:alerts", a.SNSTopicArn, s.Region)
		} else if m[2] != s.Region {
			c.errf("alerting.snsTopicArn", "the topic is in %s, not the stack's region %s (Alertmanager signs for one region)", m[2], s.Region)
		}
	}
	if a.WebhookSecret != "" {
		if !secretNameRe.MatchString(a.WebhookSecret) {
			c.errf("alerting.webhookSecret", "%q is not a Kubernetes Secret name", a.WebhookSecret)
		}
		if a.SNSTopicArn != "" {
			c.errf("alerting.webhookSecret", "set either alerting.webhookSecret or alerting.snsTopicArn, not both")
		}
	}
}
