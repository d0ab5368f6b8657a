package platform

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	helmv3 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/helm/v3"
)

// Inputs are the plain values chart values are computed from: the spec's
// settings and the AWS layer's outputs, resolved. Tests fill them with
// sample values.
type Inputs struct {
	Settings

	ClusterName, VpcID, ArtifactBucket  string
	MLflowRole, LBCRole, AutoscalerRole string
	DatabaseAddress                     string
	// AlertmanagerRole and AlertTopic send alerts to SNS (empty with a
	// webhook).
	AlertmanagerRole, AlertTopic string
	// KarpenterRole and KarpenterQueue are Karpenter's IRSA role and
	// interruption queue.
	KarpenterRole, KarpenterQueue string
}

// Keys of the output-valued inputs a release may need.
const (
	needClusterName = "clusterName"
	needVpcID       = "vpcId"
	needBucket      = "artifactBucket"
	needMLflowRole  = "mlflowRole"
	needLBCRole     = "lbcRole"
	needCASRole     = "autoscalerRole"
	needDBAddress   = "databaseAddress"
	needAlertRole   = "alertmanagerRole"
	needAlertTopic  = "alertTopic"
	needKarpenter   = "karpenterRole"
	needQueue       = "karpenterQueue"
)

func (in *Inputs) set(key, v string) {
	switch key {
	case needClusterName:
		in.ClusterName = v
	case needVpcID:
		in.VpcID = v
	case needBucket:
		in.ArtifactBucket = v
	case needMLflowRole:
		in.MLflowRole = v
	case needLBCRole:
		in.LBCRole = v
	case needCASRole:
		in.AutoscalerRole = v
	case needDBAddress:
		in.DatabaseAddress = v
	case needAlertRole:
		in.AlertmanagerRole = v
	case needAlertTopic:
		in.AlertTopic = v
	case needKarpenter:
		in.KarpenterRole = v
	case needQueue:
		in.KarpenterQueue = v
	}
}

// Release is one Helm release of the platform.
type Release struct {
	// Name is the Helm release name.
	Name string
	// Chart is the chart's name in its repository.
	Chart   string
	Version string
	// Repo is the chart's public repository: a Helm repository's URL, or
	// an OCI registry path (oci://…) under which the chart is <Repo>/<Chart>.
	Repo      string
	Namespace string
	// Dir is the chart's folder under third_party/charts, the
	// repository's copy of the pinned chart its values are checked against.
	Dir string
	// Webhooks marks releases that install admission webhooks; the
	// releases whose objects they see wait for them (waits.go).
	Webhooks bool
	// CRDsOnly marks releases that install only CustomResourceDefinitions
	// (the releases that need them wait through After).
	CRDsOnly bool
	// After names releases this one waits for besides the webhook ones it
	// needs; each entry's reason is in waits.go.
	After []string
	// Needs lists the output-valued inputs the values use.
	Needs  []string
	Values func(Inputs) map[string]any
}

// Releases lists the platform's Helm releases in the order they apply.
// Versions are those of third_party/charts (README.md there has their
// provenance); a test fails when a pin and its Chart.yaml differ.
func Releases() []Release {
	return []Release{
		{Name: "aws-load-balancer-controller", Chart: "aws-load-balancer-controller", Version: "1.17.1",
			Repo: "https://aws.github.io/eks-charts", Namespace: kubenames.NSKubeSystem, Dir: "aws-load-balancer-controller",
			Webhooks: true, Needs: []string{needClusterName, needVpcID, needLBCRole}, Values: lbcValues},
		{Name: "cert-manager", Chart: "cert-manager", Version: "v1.19.6",
			Repo: "https://charts.jetstack.io", Namespace: kubenames.NSCertManager, Dir: "cert-manager",
			Webhooks: true, Values: certManagerValues},
		{Name: "kserve-crd", Chart: "kserve-crd", Version: "v0.17.1",
			Repo: "oci://ghcr.io/kserve/charts", Namespace: kubenames.NSKServe, Dir: "kserve-crd", CRDsOnly: true, Values: func(Inputs) map[string]any { return map[string]any{} }},
		{Name: "kserve", Chart: "kserve-resources", Version: "v0.17.1",
			Repo: "oci://ghcr.io/kserve/charts", Namespace: kubenames.NSKServe, Dir: "kserve-resources", After: []string{"kserve-crd"}, Values: kserveValues},
		// The ClusterServingRuntimes, which KServe's fail-closed webhook
		// validates: in the controller's own release they were refused
		// before the webhook served (and atomic made every retry fail), so
		// v0.17 moved them into this chart, installed after the controller.
		{Name: "kserve-runtime-configs", Chart: "kserve-runtime-configs", Version: "v0.17.1",
			Repo: "oci://ghcr.io/kserve/charts", Namespace: kubenames.NSKServe, Dir: "kserve-runtime-configs", After: []string{"kserve"}, Values: kserveRuntimeValues},
		{Name: "mlflow", Chart: "mlflow", Version: "1.8.6",
			Repo: "https://community-charts.github.io/helm-charts", Namespace: kubenames.NSMLflow, Dir: "mlflow",
			Needs: []string{needMLflowRole, needBucket, needDBAddress}, Values: mlflowValues},
		{Name: "kube-prometheus-stack", Chart: "kube-prometheus-stack", Version: "81.6.9",
			Repo: "https://prometheus-community.github.io/helm-charts", Namespace: kubenames.NSMonitoring, Dir: "kube-prometheus-stack",
			Needs: []string{needAlertRole, needAlertTopic}, Values: monitoringValues},
		{Name: "cluster-autoscaler", Chart: "cluster-autoscaler", Version: "9.59.0",
			Repo: "https://kubernetes.github.io/autoscaler", Namespace: kubenames.NSKubeSystem, Dir: "cluster-autoscaler",
			Needs: []string{needClusterName, needCASRole}, Values: autoscalerValues},
		{Name: "karpenter-crd", Chart: "karpenter-crd", Version: "1.14.1",
			Repo: "oci://public.ecr.aws/karpenter", Namespace: kubenames.NSKubeSystem, Dir: "karpenter-crd", CRDsOnly: true,
			Values: func(Inputs) map[string]any { return map[string]any{} }},
		{Name: "karpenter", Chart: "karpenter", Version: "1.14.1",
			Repo: "oci://public.ecr.aws/karpenter", Namespace: kubenames.NSKubeSystem, Dir: "karpenter", After: []string{"karpenter-crd"},
			Needs: []string{needClusterName, needKarpenter, needQueue}, Values: karpenterValues},
		{Name: "nvidia-device-plugin", Chart: "nvidia-device-plugin", Version: "0.18.2",
			Repo: "https://nvidia.github.io/k8s-device-plugin", Namespace: kubenames.NSDevicePlugin, Dir: "nvidia-device-plugin",
			Values: devicePluginValues},
		{Name: "dcgm-exporter", Chart: "dcgm-exporter", Version: "4.8.2",
			Repo: "https://nvidia.github.io/dcgm-exporter/helm-charts", Namespace: kubenames.NSDCGMExporter, Dir: "dcgm-exporter",
			After: []string{"kube-prometheus-stack"}, Values: dcgmExporterValues},
		{Name: "metrics-server", Chart: "metrics-server", Version: "3.12.2",
			Repo: "https://kubernetes-sigs.github.io/metrics-server/", Namespace: kubenames.NSMetricsServer, Dir: "metrics-server",
			Values: metricsServerValues},
	}
}

// staticInputs are the inputs known without waiting for any output.
func (b *builder) staticInputs() Inputs {
	return Inputs{Settings: b.args.Settings}
}

// values resolves the outputs r needs, and only those, so a release waits
// on no resource its values do not mention (only MLflow waits on RDS).
func (b *builder) values(r Release) pulumi.MapOutput {
	outs := map[string]pulumi.StringOutput{
		needClusterName: b.args.ClusterName, needVpcID: b.args.VpcID, needBucket: b.args.ArtifactBucket,
		needMLflowRole: b.args.MLflowRoleArn, needLBCRole: b.args.LoadBalancerControllerRoleArn,
		needCASRole: b.args.ClusterAutoscalerRoleArn, needDBAddress: b.args.DatabaseAddress,
		needAlertRole: b.args.AlertmanagerRoleArn, needAlertTopic: b.args.AlertTopicArn,
		needKarpenter: b.args.KarpenterRoleArn, needQueue: b.args.KarpenterQueue,
	}
	deps := make([]any, 0, len(r.Needs)+1)
	deps = append(deps, pulumi.String("")) // All needs at least one input
	for _, k := range r.Needs {
		deps = append(deps, outs[k])
	}
	base := b.staticInputs()
	return pulumi.All(deps...).ApplyT(func(v []any) (map[string]any, error) {
		in := base
		for i, k := range r.Needs {
			s, ok := v[i+1].(string)
			if !ok {
				return nil, fmt.Errorf("release %s: input %s is %T, not a string", r.Name, k, v[i+1])
			}
			in.set(k, s)
		}
		return r.Values(in), nil
	}).(pulumi.MapOutput)
}

// releases declares the Helm releases. Each waits only for what it needs
// (Waits, StorageReason, extraDeps), each wait with its reason in waits.go.
func (b *builder) releases() error {
	b.released = map[string]pulumi.Resource{}
	for _, r := range Releases() {
		deps, err := b.waitsOn(r)
		if err != nil {
			return err
		}
		deps = append(deps, b.extraDeps(r.Name)...)
		deps = append(deps, b.args.Ready.Pods...)
		if b.storage != nil && StorageReason(r.Name) != "" {
			deps = append(deps, b.storage)
			deps = append(deps, b.args.Ready.Volumes...)
		}
		chart, repo, err := r.Location(b.args.Charts)
		if err != nil {
			return err
		}
		rel, err := helmv3.NewRelease(b.ctx, b.name+"-"+r.Name, &helmv3.ReleaseArgs{
			Name:           pulumi.String(r.Name),
			Chart:          pulumi.String(chart),
			Version:        pulumi.String(r.Version),
			Namespace:      pulumi.String(r.Namespace),
			RepositoryOpts: repoOpts(repo),
			Values:         b.values(r),
			// Wait for every resource to be ready: that is what makes the
			// dependsOn of later releases mean "webhook is serving".
			SkipAwait: pulumi.Bool(false),
			Atomic:    pulumi.Bool(true),
			Timeout:   pulumi.Int(900),
		}, b.inNamespace(r.Namespace, pulumi.DependsOn(deps))...)
		if err != nil {
			return fmt.Errorf("declaring release %s: %w", r.Name, err)
		}
		b.released[r.Name] = rel
	}
	return nil
}

// repoOpts names the chart repository; none for a chart read from disk.
func repoOpts(repo string) helmv3.RepositoryOptsPtrInput {
	if repo == "" {
		return nil
	}
	return &helmv3.RepositoryOptsArgs{Repo: pulumi.String(repo)}
}

// extraDeps are the non-release resources a release needs first.
func (b *builder) extraDeps(release string) []pulumi.Resource {
	switch release {
	case "mlflow":
		return []pulumi.Resource{b.mlflowUser, b.dbSetupJob}
	case "kube-prometheus-stack":
		return []pulumi.Resource{b.grafanaSecret, b.ns[kubenames.NSNodeExporter]}
	}
	return nil
}
