package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	metav1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/meta/v1"
	networkingv1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/networking/v1"
)

// Ports the policies open. Each Service behind them listens on its
// container's port: the VPC CNI enforces a policy on traffic to a
// ClusterIP only when the Service port equals the container port (EKS
// user guide, network policy considerations).
const (
	MLflowPort = 5000
	// GrafanaPort is Grafana's container port, its Service's port too.
	GrafanaPort = 3000
	// ModelServerPort is the port KServe's predictors listen on.
	ModelServerPort = 8080
	dnsPort         = 53
	httpsPort       = 443
)

// Peer is one side of an allowed connection.
type Peer struct {
	// Namespace selects all pods of a namespace (by its metadata.name label).
	Namespace string
	// PodLabels narrow the namespace's pods.
	PodLabels map[string]string
	// CIDRs are IP blocks instead of pods.
	CIDRs []string
}

// Rule is one allow rule of a namespace's policy set.
type Rule struct {
	Name      string
	Namespace string
	// Ingress is true for an ingress rule, false for egress.
	Ingress bool
	Peer    Peer
	// Ports are TCP ports, except DNS which also opens UDP. Empty means all.
	Ports []int
}

// PolicedNamespaces get a default-deny policy: the workload namespaces and
// MLflow, whose database traffic the policies narrow.
func PolicedNamespaces() []string {
	return append(kubenames.WorkloadNamespaces(), kubenames.NSMLflow)
}

// AllowRules returns the allows the platform needs on top of default-deny.
// The ALBs are admitted from s.ALBSourceCidrs only: with the VPC CNI every
// pod has a VPC address, so the VPC block would admit them all.
func AllowRules(s Settings) []Rule {
	var out []Rule
	for _, ns := range PolicedNamespaces() {
		out = append(out,
			Rule{Name: "allow-dns", Namespace: ns, Peer: Peer{Namespace: kubenames.NSKubeSystem, PodLabels: map[string]string{"k8s-app": "kube-dns"}}, Ports: []int{dnsPort}},
			Rule{Name: "allow-prometheus-scrape", Namespace: ns, Ingress: true, Peer: Peer{Namespace: kubenames.NSMonitoring}},
			// S3, STS and Secrets Manager are reached over HTTPS (IRSA).
			Rule{Name: "allow-https-egress", Namespace: ns, Peer: Peer{CIDRs: []string{"0.0.0.0/0"}}, Ports: []int{httpsPort}},
		)
	}
	// Pods of a workload namespace talk to each other (transformer →
	// predictor, InferenceGraph routers, distributed training's
	// rendezvous and collectives), and only to each other.
	for _, ns := range kubenames.WorkloadNamespaces() {
		out = append(out,
			Rule{Name: "allow-from-namespace", Namespace: ns, Ingress: true, Peer: Peer{Namespace: ns}},
			Rule{Name: "allow-to-namespace", Namespace: ns, Peer: Peer{Namespace: ns}},
		)
	}
	return append(out,
		Rule{Name: "allow-rds", Namespace: kubenames.NSMLflow, Peer: Peer{CIDRs: []string{s.VpcCidr}}, Ports: []int{database.Port}},
		Rule{Name: "allow-alb", Namespace: kubenames.NSMLflow, Ingress: true, Peer: Peer{CIDRs: s.ALBSourceCidrs}, Ports: []int{MLflowPort}},
		Rule{Name: "allow-clients", Namespace: kubenames.NSMLflow, Ingress: true, Peer: Peer{Namespace: kubenames.NSTraining}, Ports: []int{MLflowPort}},
		Rule{Name: "allow-serving-clients", Namespace: kubenames.NSMLflow, Ingress: true, Peer: Peer{Namespace: kubenames.NSServing}, Ports: []int{MLflowPort}},
		Rule{Name: "allow-alb", Namespace: kubenames.NSServing, Ingress: true, Peer: Peer{CIDRs: s.ALBSourceCidrs}, Ports: []int{ModelServerPort}},
		Rule{Name: "allow-mlflow", Namespace: kubenames.NSTraining, Peer: Peer{Namespace: kubenames.NSMLflow}, Ports: []int{MLflowPort}},
		Rule{Name: "allow-mlflow", Namespace: kubenames.NSServing, Peer: Peer{Namespace: kubenames.NSMLflow}, Ports: []int{MLflowPort}},
	)
}

func peerArgs(p Peer) networkingv1.NetworkPolicyPeerArray {
	if len(p.CIDRs) > 0 {
		var out networkingv1.NetworkPolicyPeerArray
		for _, c := range p.CIDRs {
			out = append(out, networkingv1.NetworkPolicyPeerArgs{IpBlock: &networkingv1.IPBlockArgs{Cidr: pulumi.String(c)}})
		}
		return out
	}
	peer := networkingv1.NetworkPolicyPeerArgs{NamespaceSelector: &metav1.LabelSelectorArgs{
		MatchLabels: pulumi.StringMap{"kubernetes.io/metadata.name": pulumi.String(p.Namespace)},
	}}
	if len(p.PodLabels) > 0 {
		peer.PodSelector = &metav1.LabelSelectorArgs{MatchLabels: pulumi.ToStringMap(p.PodLabels)}
	}
	return networkingv1.NetworkPolicyPeerArray{peer}
}

func portArgs(ports []int) networkingv1.NetworkPolicyPortArray {
	var out networkingv1.NetworkPolicyPortArray
	for _, p := range ports {
		out = append(out, networkingv1.NetworkPolicyPortArgs{Protocol: pulumi.String("TCP"), Port: pulumi.Int(p)})
		if p == dnsPort {
			out = append(out, networkingv1.NetworkPolicyPortArgs{Protocol: pulumi.String("UDP"), Port: pulumi.Int(p)})
		}
	}
	return out
}

// networkPolicies declares default-deny plus the allow rules. The VPC CNI
// enforces them (its network-policy agent is enabled by the add-ons layer).
func (b *builder) networkPolicies() error {
	for _, ns := range PolicedNamespaces() {
		if _, err := networkingv1.NewNetworkPolicy(b.ctx, b.name+"-netpol-"+ns+"-default-deny", &networkingv1.NetworkPolicyArgs{
			Metadata: objectMeta("default-deny", ns),
			Spec: &networkingv1.NetworkPolicySpecArgs{
				PodSelector: &metav1.LabelSelectorArgs{},
				PolicyTypes: pulumi.StringArray{pulumi.String("Ingress"), pulumi.String("Egress")},
			},
		}, b.inNamespace(ns)...); err != nil {
			return fmt.Errorf("declaring default-deny policy of %s: %w", ns, err)
		}
	}
	for _, r := range AllowRules(b.args.Settings) {
		spec := &networkingv1.NetworkPolicySpecArgs{PodSelector: &metav1.LabelSelectorArgs{}}
		if r.Ingress {
			spec.PolicyTypes = pulumi.StringArray{pulumi.String("Ingress")}
			spec.Ingress = networkingv1.NetworkPolicyIngressRuleArray{networkingv1.NetworkPolicyIngressRuleArgs{From: peerArgs(r.Peer), Ports: portArgs(r.Ports)}}
		} else {
			spec.PolicyTypes = pulumi.StringArray{pulumi.String("Egress")}
			spec.Egress = networkingv1.NetworkPolicyEgressRuleArray{networkingv1.NetworkPolicyEgressRuleArgs{To: peerArgs(r.Peer), Ports: portArgs(r.Ports)}}
		}
		if _, err := networkingv1.NewNetworkPolicy(b.ctx, b.name+"-netpol-"+r.Namespace+"-"+r.Name, &networkingv1.NetworkPolicyArgs{
			Metadata: objectMeta(r.Name, r.Namespace),
			Spec:     spec,
		}, b.inNamespace(r.Namespace)...); err != nil {
			return fmt.Errorf("declaring policy %s/%s: %w", r.Namespace, r.Name, err)
		}
	}
	return nil
}
