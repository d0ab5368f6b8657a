package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LoadBalancerControllerRelease is the release whose webhook validates
// the platform's Ingresses.
const LoadBalancerControllerRelease = "aws-load-balancer-controller"

// Wait is a release another release waits for, and why.
type Wait struct {
	Release string
	Reason  string
}

// webhookNeeds are the webhook releases a release needs serving before it
// installs: those whose admission webhooks (failurePolicy Fail) see the
// objects its chart creates. A release not listed needs none: the load
// balancer controller's webhooks see Ingresses, TargetGroupBindings,
// IngressClassParams and pods of namespaces labelled for readiness-gate or
// QUIC injection (none of ours are; no chart of ours creates an Ingress),
// and cert-manager's see cert-manager's own resources only. The cluster
// autoscaler, metrics-server, MLflow, the device plugin and the monitoring
// stack create none of those, so they start as soon as the cluster can run
// pods.
var webhookNeeds = map[string][]Wait{
	"kserve": {{"cert-manager", "the chart creates a cert-manager Issuer and Certificate for its webhook server " +
		"(files/common/certmanager.yaml) that cert-manager's webhook admits, and its webhooks carry cert-manager.io/inject-ca-from"}},
}

// afterReasons gives the reason of each Release.After entry, keyed
// "release/dependency".
var afterReasons = map[string]string{
	"kserve/kserve-crd":                   "the controller needs the InferenceService CRDs established",
	"kserve-runtime-configs/kserve":       "its ClusterServingRuntimes are admitted by the KServe controller's webhook, which must be serving",
	"karpenter/karpenter-crd":             "the controller watches NodePools, NodeClaims and EC2NodeClasses and fails to start without their CRDs",
	"dcgm-exporter/kube-prometheus-stack": "the chart's ServiceMonitor (monitoring.coreos.com/v1) needs the CRD that chart installs; Helm refuses a manifest of an unknown kind",
}

// storageReasons names the releases that wait for the default
// StorageClass, with why: their values claim volumes of it.
var storageReasons = map[string]string{
	"kube-prometheus-stack": "Prometheus, Alertmanager and Grafana claim gp3 volumes (storageSpec, storage, persistence) of the default StorageClass",
}

// Waits returns the releases r waits for, each with its reason: the
// webhook releases its objects need and its After entries. An After entry
// without a reason is returned with an empty Reason (the tests refuse it).
func Waits(r Release) []Wait {
	out := append([]Wait{}, webhookNeeds[r.Name]...)
	for _, name := range r.After {
		out = append(out, Wait{Release: name, Reason: afterReasons[r.Name+"/"+name]})
	}
	return out
}

// StorageReason says why release waits for the default StorageClass, or
// "" when it does not.
func StorageReason(release string) string { return storageReasons[release] }

// waitsOn resolves the waits of r to the releases declared before it.
func (b *builder) waitsOn(r Release) ([]pulumi.Resource, error) {
	var deps []pulumi.Resource
	for _, w := range Waits(r) {
		rel, ok := b.released[w.Release]
		if !ok {
			return nil, fmt.Errorf("release %s waits for %s, which is not declared before it", r.Name, w.Release)
		}
		deps = append(deps, rel)
	}
	return deps, nil
}
