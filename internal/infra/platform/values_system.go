package platform

import (
	"sort"

	"github.com/mlops-platform/mlops-platform/internal/infra/identity"
	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
)

// IRSAAnnotation is the service-account annotation naming the IAM role.
const IRSAAnnotation = "eks.amazonaws.com/role-arn"

// irsaAccount returns chart values that create a service account with the
// foundation's name for it and its role.
func irsaAccount(sa identity.ServiceAccount, roleArn string) map[string]any {
	return map[string]any{"create": true, "name": sa.Name, "annotations": map[string]any{IRSAAnnotation: roleArn}}
}

// lbcValues configures the AWS Load Balancer Controller. Its Service
// mutating webhook (which defaults LoadBalancer Services to NLBs and fails
// closed) is off: the platform uses ALB Ingresses only. IngressClassParams
// apply the controls of rows 52-58 to every ALB of the class, including the
// Ingresses KServe creates.
func lbcValues(in Inputs) map[string]any {
	params := map[string]any{
		// IP targets: the Services KServe creates for InferenceServices
		// are ClusterIP, which instance targets (a NodePort on every
		// node) cannot reach; KServe's Ingresses carry no annotation of
		// ours, so the class decides.
		"targetType":             "ip",
		"scheme":                 in.ALBScheme,
		"sslPolicy":              SSLPolicy,
		"loadBalancerAttributes": attributeList(in),
	}
	if in.internetFacing() && len(in.InboundCidrs) > 0 {
		params["inboundCIDRs"] = toAny(in.InboundCidrs)
	}
	if in.CertificateArn != "" {
		params["certificateArn"] = []any{in.CertificateArn}
	}
	return map[string]any{
		"clusterName":                 in.ClusterName,
		"region":                      in.Region,
		"vpcId":                       in.VpcID,
		"replicaCount":                2,
		"serviceAccount":              irsaAccount(identity.LoadBalancerControllerAccount, in.LBCRole),
		"enableServiceMutatorWebhook": false,
		"ingressClass":                IngressClass,
		"createIngressClassResource":  true,
		"ingressClassParams":          map[string]any{"create": true, "name": IngressClass, "spec": params},
		"defaultSSLPolicy":            SSLPolicy,
		"podDisruptionBudget":         map[string]any{"maxUnavailable": 1},
	}
}

// certManagerValues installs cert-manager with its CRDs, its leader
// election kept in its own namespace.
func certManagerValues(in Inputs) map[string]any {
	pdb := map[string]any{"enabled": in.CertManager.DisruptionBudget, "minAvailable": 1}
	n := in.CertManager.Replicas
	return map[string]any{
		"crds":                map[string]any{"enabled": true, "keep": true},
		"global":              map[string]any{"leaderElection": map[string]any{"namespace": kubenames.NSCertManager}},
		"replicaCount":        n,
		"podDisruptionBudget": pdb,
		"webhook":             map[string]any{"replicaCount": n, "podDisruptionBudget": pdb},
		"cainjector":          map[string]any{"replicaCount": n, "podDisruptionBudget": pdb},
	}
}

// autoscalerValues discovers this cluster's node groups by the tags EKS
// puts on their Auto Scaling groups: the general group alone, which it
// grows from minSize (3 in prod) to maxSize when platform or serving pods
// are pending, and shrinks back (scale-down on). It never scales from
// zero. Training and GPU capacity is Karpenter's: its nodes belong to no
// Auto Scaling group, so the autoscaler leaves them alone.
func autoscalerValues(in Inputs) map[string]any {
	return map[string]any{
		"cloudProvider": "aws",
		"awsRegion":     in.Region,
		"autoDiscovery": map[string]any{"clusterName": in.ClusterName},
		"rbac": map[string]any{
			"serviceAccount": irsaAccount(identity.ClusterAutoscalerServiceAccount, in.AutoscalerRole),
		},
		"extraArgs": map[string]any{
			"balance-similar-node-groups":   true,
			"expander":                      "least-waste",
			"scale-down-enabled":            true,
			"scale-down-unneeded-time":      "10m",
			"skip-nodes-with-system-pods":   false,
			"skip-nodes-with-local-storage": false,
		},
	}
}

// devicePluginValues runs the NVIDIA device plugin on GPU nodes only. The
// GPU group carries nvidia.com/gpu.present=true, which satisfies the
// chart's default node affinity without node-feature-discovery.
func devicePluginValues(Inputs) map[string]any {
	return map[string]any{
		"nodeSelector": map[string]any{nodegroups.GPUPresentLabel: "true"},
		"tolerations": []any{
			map[string]any{"key": kubenames.GPUResource, "operator": "Exists", "effect": "NoSchedule"},
			map[string]any{"key": "CriticalAddonsOnly", "operator": "Exists"},
		},
		"gfd": map[string]any{"enabled": false},
	}
}

// metricsServerValues runs metrics-server with the spec's replicas and
// disruption budget.
func metricsServerValues(in Inputs) map[string]any {
	return map[string]any{
		"replicas":            in.MetricsServer.Replicas,
		"podDisruptionBudget": map[string]any{"enabled": in.MetricsServer.DisruptionBudget, "minAvailable": 1},
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
