package platform

import (
	"github.com/mlops-platform/mlops-platform/internal/infra/nodegroups"
)

// KarpenterServiceAccount is the controller's service account, which its
// IRSA role trusts (internal/infra/karpenter).
const KarpenterServiceAccount = "karpenter"

// karpenterValues runs the controller replicas on the general managed
// group (never on capacity it provisions itself), with its IRSA role and
// the interruption queue EventBridge feeds.
func karpenterValues(in Inputs) map[string]any {
	return map[string]any{
		"replicas": in.KarpenterReplicas,
		"serviceAccount": map[string]any{"create": true, "name": KarpenterServiceAccount,
			"annotations": map[string]any{IRSAAnnotation: in.KarpenterRole}},
		"settings": map[string]any{
			"clusterName":       in.ClusterName,
			"interruptionQueue": in.KarpenterQueue,
		},
		"nodeSelector":        map[string]any{"kubernetes.io/os": "linux", nodegroups.WorkloadLabel: "general"},
		"podDisruptionBudget": map[string]any{"name": "karpenter", "maxUnavailable": 1},
		"controller": map[string]any{"resources": map[string]any{
			"requests": map[string]any{"cpu": "250m", "memory": "512Mi"},
			"limits":   map[string]any{"memory": "1Gi"},
		}},
	}
}
