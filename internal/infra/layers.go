package infra

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/infra/storage"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// The program in two layers, for a real deploy.
//
// The AWS layer (everything but the in-cluster platform component) can be
// deployed from anywhere AWS's APIs answer; the cluster layer (Kubernetes
// provider, namespaces, Helm releases, Ingresses) needs the cluster's API
// endpoint, which is private in prod. Each layer is its own Pulumi stack.
//
// The cluster layer reads what it needs from the AWS layer's stack through
// a StackReference to its output ClusterLayerOutput, rather than having a
// runner copy those values into its configuration: the state backend stays
// the one source of truth, so the layer works the same under `mlops up`,
// under a plain `pulumi up` of cmd/pulumi-program, and from a runner inside
// the VPC that has nothing but backend access; values never go stale in a
// config file; and the engine records the dependency between the stacks.
// `mlops plan` still evaluates Program, both layers in one graph.

// ClusterLayerOutput is the AWS layer's output the cluster layer reads: a
// map of the keys of ClusterInputs.
const ClusterLayerOutput = "clusterLayer"

// ClusterInputs are the AWS layer's values the in-cluster layer takes.
type ClusterInputs struct {
	ClusterName, ClusterEndpoint, CertificateAuthority, VpcID pulumi.StringOutput
	DataKeyArn, ArtifactBucket                                pulumi.StringOutput
	MLflowRoleArn, MLflowDBSetupRoleArn, KServeRoleArn        pulumi.StringOutput
	LoadBalancerControllerRoleArn, ClusterAutoscalerRoleArn   pulumi.StringOutput
	DatabaseAddress, DatabaseSecretArn                        pulumi.StringOutput
	// AlertmanagerRoleArn and AlertTopicArn are empty with a webhook.
	AlertmanagerRoleArn, AlertTopicArn pulumi.StringOutput
	// KarpenterRoleArn, KarpenterNodeRole and KarpenterQueue are
	// Karpenter's controller role, node role name and interruption queue.
	KarpenterRoleArn, KarpenterNodeRole, KarpenterQueue pulumi.StringOutput
}

// fields maps the keys of ClusterLayerOutput to the inputs' fields.
func (in *ClusterInputs) fields() map[string]*pulumi.StringOutput {
	return map[string]*pulumi.StringOutput{
		"clusterName": &in.ClusterName, "clusterEndpoint": &in.ClusterEndpoint,
		"certificateAuthority": &in.CertificateAuthority, "vpcId": &in.VpcID,
		"dataKeyArn": &in.DataKeyArn, "artifactBucket": &in.ArtifactBucket,
		"mlflowRoleArn": &in.MLflowRoleArn, "mlflowDbSetupRoleArn": &in.MLflowDBSetupRoleArn, "kserveRoleArn": &in.KServeRoleArn,
		"loadBalancerControllerRoleArn": &in.LoadBalancerControllerRoleArn,
		"clusterAutoscalerRoleArn":      &in.ClusterAutoscalerRoleArn,
		"databaseAddress":               &in.DatabaseAddress, "databaseSecretArn": &in.DatabaseSecretArn,
		"alertmanagerRoleArn": &in.AlertmanagerRoleArn, "alertTopicArn": &in.AlertTopicArn,
		"karpenterRoleArn": &in.KarpenterRoleArn, "karpenterNodeRole": &in.KarpenterNodeRole, "karpenterQueue": &in.KarpenterQueue,
	}
}

// clusterInputs are the declared components' values the platform takes.
func (p *Platform) clusterInputs() ClusterInputs {
	return ClusterInputs{
		ClusterName: p.Cluster.Name, ClusterEndpoint: p.Cluster.Endpoint, CertificateAuthority: p.Cluster.CertificateAuthority,
		VpcID: p.Network.VpcID.ToStringOutput(), DataKeyArn: p.Keys.DataKeyArn, ArtifactBucket: p.Artifacts.BucketName,
		MLflowRoleArn: p.Roles.MLflow, MLflowDBSetupRoleArn: p.Roles.MLflowDBSetup, KServeRoleArn: p.Roles.KServe,
		LoadBalancerControllerRoleArn: p.Roles.LoadBalancerController, ClusterAutoscalerRoleArn: p.Roles.ClusterAutoscaler,
		DatabaseAddress: p.Database.Address, DatabaseSecretArn: p.Database.MasterUserSecretArn,
		AlertmanagerRoleArn: p.Roles.Alertmanager, AlertTopicArn: p.AlertTopicArn,
		KarpenterRoleArn: p.Karpenter.ControllerRoleArn, KarpenterNodeRole: p.Karpenter.NodeRoleName, KarpenterQueue: p.Karpenter.QueueName,
	}
}

// declarePlatform declares the in-cluster component from the AWS layer's
// values; opts carry the AWS provider and what it waits for.
func declarePlatform(ctx *pulumi.Context, s *spec.Spec, in ClusterInputs, albLogs string, ready platform.Readiness, opts ...pulumi.ResourceOption) (*platform.Platform, error) {
	p, err := platform.NewPlatform(ctx, "platform", &platform.Args{
		Settings:    platformSettings(s, albLogs),
		ClusterName: in.ClusterName, ClusterEndpoint: in.ClusterEndpoint, CertificateAuthority: in.CertificateAuthority,
		VpcID: in.VpcID, DataKeyArn: in.DataKeyArn, ArtifactBucket: in.ArtifactBucket,
		MLflowRoleArn: in.MLflowRoleArn, MLflowDBSetupRoleArn: in.MLflowDBSetupRoleArn, KServeRoleArn: in.KServeRoleArn,
		LoadBalancerControllerRoleArn: in.LoadBalancerControllerRoleArn,
		ClusterAutoscalerRoleArn:      in.ClusterAutoscalerRoleArn, DatabaseAddress: in.DatabaseAddress,
		DatabaseSecretArn:   in.DatabaseSecretArn,
		AlertmanagerRoleArn: in.AlertmanagerRoleArn, AlertTopicArn: in.AlertTopicArn,
		KarpenterRoleArn: in.KarpenterRoleArn, KarpenterNodeRole: in.KarpenterNodeRole, KarpenterQueue: in.KarpenterQueue,
		Credentials: platform.Credentials{Profile: s.AWS.Profile, RoleArn: s.AWS.AssumeRoleArn,
			ExternalID: s.AWS.AssumeRoleExternalID, SessionName: s.DeploySessionName()},
		Ready: ready,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("declaring in-cluster platform: %w", err)
	}
	return p, nil
}

// AWSProgram is the AWS layer's program: every AWS resource, the outputs
// Program exports, and ClusterLayerOutput for the cluster layer.
func AWSProgram(s *spec.Spec) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := declareAWSLayer(ctx, s)
		if err != nil {
			return err
		}
		exportOutputs(ctx, p)
		in := p.clusterInputs()
		m := pulumi.StringMap{}
		for k, v := range in.fields() {
			m[k] = *v
		}
		ctx.Export(ClusterLayerOutput, m)
		ctx.Export("region", pulumi.String(s.Region))
		return nil
	}
}

// ClusterProgram is the cluster layer's program. awsStack names the AWS
// layer's stack, whose ClusterLayerOutput it reads (the AWS layer must be
// up first): organization/project/stack, or a stack of this project and
// organization.
func ClusterProgram(s *spec.Spec, awsStack string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		awsStack := qualify(ctx, awsStack)
		prov, err := newAWSProvider(ctx, s)
		if err != nil {
			return err
		}
		caller, err := callerIdentity(ctx, prov)
		if err != nil {
			return err
		}
		ref, err := pulumi.NewStackReference(ctx, awsStack, nil)
		if err != nil {
			return fmt.Errorf("referencing the AWS layer's stack %s: %w", awsStack, err)
		}
		in := readClusterInputs(ref, awsStack)
		own := storage.AccessLogsBucketName(s.ClusterName, caller.AccountId)
		p, err := declarePlatform(ctx, s, in, albLogsBucket(s, own), platform.Readiness{}, pulumi.Provider(prov))
		if err != nil {
			return err
		}
		https := s.Ingress.CertificateArn != ""
		ctx.Export("mlflowUrl", p.URL("mlflow", https))
		ctx.Export("grafanaUrl", p.URL("grafana", https))
		ctx.Export("inferenceDomain", pulumi.String(s.KserveIngressDomain))
		return nil
	}
}

// readClusterInputs reads ClusterLayerOutput of the AWS layer's stack. A
// stack without it (the AWS layer not deployed yet) fails the program
// with the step to take.
func readClusterInputs(ref *pulumi.StackReference, awsStack string) ClusterInputs {
	all := ref.GetOutput(pulumi.String(ClusterLayerOutput))
	var in ClusterInputs
	for key, field := range in.fields() {
		*field = all.ApplyT(func(v any) (string, error) {
			m, ok := v.(map[string]any)
			if !ok {
				return "", fmt.Errorf("stack %s has no output %q: deploy the AWS layer first (mlops up --layer aws)", awsStack, ClusterLayerOutput)
			}
			s, ok := m[key].(string)
			if !ok {
				return "", fmt.Errorf("output %q of stack %s lacks %q: re-run the AWS layer (mlops up --layer aws)", ClusterLayerOutput, awsStack, key)
			}
			return s, nil
		}).(pulumi.StringOutput)
	}
	return in
}

// qualify returns organization/project/stack for a bare stack name. A
// self-managed backend's organization is "organization".
func qualify(ctx *pulumi.Context, stack string) string {
	if strings.Contains(stack, "/") {
		return stack
	}
	org := ctx.Organization()
	if org == "" {
		org = "organization"
	}
	return org + "/" + ctx.Project() + "/" + stack
}
