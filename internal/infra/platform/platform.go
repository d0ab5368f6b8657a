// Package platform declares the in-cluster layer of the MLOps platform with
// pulumi-kubernetes: namespaces under Pod Security Admission, quotas and
// network policies for workloads, the Helm releases (load balancer
// controller, cert-manager, KServe, MLflow, monitoring, autoscaling, GPU
// device plugin, metrics-server), the default StorageClass and the ALB
// Ingresses of the UIs.
package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes"
	networkingv1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/networking/v1"
)

// Args configures the in-cluster layer: the spec's choices as plain
// values, and the AWS layer's outputs.
//
// Resource options carry the rest: pulumi.DependsOn names what must exist
// before any Kubernetes resource (node groups, add-ons), and the Kubernetes
// provider waits for it. The layer declares no AWS resource.
type Args struct {
	Settings

	ClusterName          pulumi.StringOutput
	ClusterEndpoint      pulumi.StringOutput
	CertificateAuthority pulumi.StringOutput
	VpcID                pulumi.StringOutput
	// DataKeyArn encrypts the EBS volumes of the default StorageClass.
	DataKeyArn     pulumi.StringOutput
	ArtifactBucket pulumi.StringOutput

	MLflowRoleArn pulumi.StringOutput
	// MLflowDBSetupRoleArn is the IRSA role of the database setup Job.
	MLflowDBSetupRoleArn          pulumi.StringOutput
	KServeRoleArn                 pulumi.StringOutput
	LoadBalancerControllerRoleArn pulumi.StringOutput
	ClusterAutoscalerRoleArn      pulumi.StringOutput
	// KarpenterRoleArn is the controller's IRSA role, KarpenterNodeRole
	// the nodes' role (by name, as EC2NodeClasses take it) and
	// KarpenterQueue the interruption queue's name.
	KarpenterRoleArn, KarpenterNodeRole, KarpenterQueue pulumi.StringOutput

	DatabaseAddress pulumi.StringOutput
	// DatabaseSecretArn is the master secret the setup Job reads.
	DatabaseSecretArn pulumi.StringOutput
	// AlertmanagerRoleArn publishes to AlertTopicArn (both empty when
	// alerts go to Settings.AlertWebhookSecret).
	AlertmanagerRoleArn, AlertTopicArn pulumi.StringOutput

	// Credentials are what the kubeconfig's token is signed with.
	Credentials Credentials

	// Ready is what the in-cluster objects wait for besides the cluster;
	// zero in the cluster layer of a layered deploy, whose AWS layer is
	// complete.
	Ready Readiness
}

// Readiness are the AWS-side resources in-cluster objects need, each for
// a stated reason; nothing else of the AWS layer is waited for (the
// CloudWatch add-on, for one, serves no platform object).
type Readiness struct {
	// Pods is what a pod of the platform needs to run: the general node
	// group (the tainted training and GPU groups take no platform pod),
	// and the vpc-cni, kube-proxy and CoreDNS add-ons (pod addresses,
	// Service routing, cluster DNS). Every release and the database setup
	// Job wait for it: Helm's --wait and the Job's await start their
	// timeouts at once.
	Pods []pulumi.Resource
	// Volumes provisions the default StorageClass's volumes (the EBS CSI
	// driver add-on): the releases whose values claim volumes wait for it,
	// or their claims stay Pending.
	Volumes []pulumi.Resource
	// Ingresses is what the ALBs of the Ingresses need when the load
	// balancer controller creates them: the access-log bucket's policy
	// (ELB refuses access logging to a bucket it may not write to).
	Ingresses []pulumi.Resource
}

// Platform is the in-cluster component.
type Platform struct {
	pulumi.ResourceState

	// Provider is the Kubernetes provider every child uses.
	Provider *kubernetes.Provider
	// Releases are the Helm releases by release name.
	Releases map[string]pulumi.Resource
	// Ingresses are the UIs' Ingresses by UI name (mlflow, grafana).
	Ingresses map[string]*networkingv1.Ingress
}

// NewPlatform declares the in-cluster layer.
func NewPlatform(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Platform, error) {
	p := &Platform{Releases: map[string]pulumi.Resource{}}
	if err := ctx.RegisterComponentResource("mlops:platform:Platform", name, p, opts...); err != nil {
		return nil, err
	}
	options, err := pulumi.NewResourceOptions(opts...)
	if err != nil {
		return nil, fmt.Errorf("reading the options of %q: %w", name, err)
	}
	prov, err := newProvider(ctx, name, args, pulumi.Parent(p), pulumi.DependsOn(options.DependsOn))
	if err != nil {
		return nil, err
	}
	p.Provider = prov
	b := &builder{ctx: ctx, name: name, args: args,
		opts: []pulumi.ResourceOption{pulumi.Parent(p), pulumi.Provider(prov)}}

	if err := b.namespaces(); err != nil {
		return nil, err
	}
	steps := []struct {
		what string
		fn   func() error
	}{
		{"storage class", b.storageClass},
		{"quotas", b.quotas},
		{"network policies", b.networkPolicies},
		{"service accounts", b.serviceAccounts},
		{"secrets", b.secrets},
		{"releases", b.releases},
		{"node pools", b.nodePools},
		{"GPU dashboard", b.gpuDashboard},
		{"ingresses", b.ingresses},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return nil, fmt.Errorf("declaring %s of %q: %w", s.what, name, err)
		}
	}
	p.Releases = b.released
	p.Ingresses = b.ingressed
	return p, ctx.RegisterResourceOutputs(p, pulumi.Map{})
}

// builder carries what the declaring steps share.
type builder struct {
	ctx  *pulumi.Context
	name string
	args *Args
	opts []pulumi.ResourceOption

	// ns are the declared namespaces by name.
	ns map[string]pulumi.Resource
	// storage is the default StorageClass, which PVC-creating charts wait for.
	storage pulumi.Resource
	// grafanaSecret holds Grafana's generated admin credentials.
	grafanaSecret pulumi.Resource
	// mlflowUser is the Secret naming MLflow's database user.
	mlflowUser pulumi.Resource
	// dbSetupJob creates MLflow's database role; the release waits for it.
	dbSetupJob pulumi.Resource
	released   map[string]pulumi.Resource
	// ingressed are the UIs' Ingresses by UI name.
	ingressed map[string]*networkingv1.Ingress
}

// with returns the builder's options plus extra ones.
func (b *builder) with(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	out := append([]pulumi.ResourceOption{}, b.opts...)
	return append(out, extra...)
}

// inNamespace returns options that make a resource wait for its namespace.
func (b *builder) inNamespace(ns string, extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	if r, ok := b.ns[ns]; ok {
		extra = append(extra, pulumi.DependsOn([]pulumi.Resource{r}))
	}
	return b.with(extra...)
}
