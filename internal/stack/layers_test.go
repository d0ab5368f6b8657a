package stack_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/infra"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// clusterLayerOutputs are the AWS layer's outputs as a deployed stack
// holds them.
var clusterLayerOutputs = map[string]any{infra.ClusterLayerOutput: map[string]any{
	"clusterName": "mlops-platform-prod", "clusterEndpoint": "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
	"certificateAuthority": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==", "vpcId": "vpc-0123456789abcdef0",
	"dataKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/k", "artifactBucket": "mlops-platform-prod-artifacts",
	"mlflowRoleArn": "arn:aws:iam::123456789012:role/m", "mlflowDbSetupRoleArn": "arn:aws:iam::123456789012:role/s", "kserveRoleArn": "arn:aws:iam::123456789012:role/k",
	"loadBalancerControllerRoleArn": "arn:aws:iam::123456789012:role/l", "clusterAutoscalerRoleArn": "arn:aws:iam::123456789012:role/c",
	"databaseAddress": "db.example", "databaseSecretArn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:s",
	"alertmanagerRoleArn": "arn:aws:iam::123456789012:role/a", "alertTopicArn": "arn:aws:sns:eu-west-1:123456789012:mlops-platform-prod-alerts",
	"karpenterRoleArn": "arn:aws:iam::123456789012:role/karpenter-controller", "karpenterNodeRole": "karpenter-node-role", "karpenterQueue": "karpenter-interruption",
}}

// names returns "type::name" of each resource but the ones skip says.
func names(g *plan.Graph, skip func(plan.Resource) bool) []string {
	var out []string
	for _, r := range g.Resources {
		if !skip(r) {
			out = append(out, r.Type+"::"+r.Name)
		}
	}
	slices.Sort(out)
	return out
}

// TestLayersPartitionTheProgram: the AWS layer and the cluster layer
// together declare exactly what the whole program declares (the cluster
// layer adds only its own AWS provider and the StackReference), the AWS
// layer holds no Kubernetes resource and the cluster layer no AWS
// resource, and the cluster layer reads the
// AWS layer's stack by its qualified name.
func TestLayersPartitionTheProgram(t *testing.T) {
	ctx := context.Background()
	r, err := stacktest.Source("prod").Resolve()
	if err != nil {
		t.Fatal(err)
	}
	eval := func(p pulumi.RunFunc, opts ...engine.Option) *plan.Graph {
		g, err := engine.Evaluate(ctx, spec.ProjectName, "prod", r.Spec.Region, p, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	whole := eval(r.LayerProgram(""))
	awsLayer := eval(r.LayerProgram(layer.AWS))
	cluster := eval(r.LayerProgram(layer.Cluster), engine.StackOutputs(clusterLayerOutputs))

	none := func(plan.Resource) bool { return false }
	inPlatform := func(res plan.Resource) bool { return whole.Component(res) == "mlops:platform:Platform" }
	var ref plan.Resource
	for _, res := range cluster.Resources {
		if res.Type == engine.StackReferenceType {
			ref = res
		}
	}
	if ref.Name != "organization/mlops-platform/prod-aws" {
		t.Errorf("cluster layer references %q, want organization/mlops-platform/prod-aws", ref.Name)
	}
	union := append(names(awsLayer, none), names(cluster, func(res plan.Resource) bool {
		return res.Type == engine.StackReferenceType || res.Type == "pulumi:providers:aws"
	})...)
	slices.Sort(union)
	if want := names(whole, none); !slices.Equal(union, want) {
		t.Errorf("layers declare %d resources, the whole program %d", len(union), len(want))
	}
	if got, want := names(awsLayer, none), names(whole, inPlatform); !slices.Equal(got, want) {
		t.Errorf("the AWS layer is not the whole program minus the platform component")
	}
	for _, res := range cluster.Resources {
		if strings.HasPrefix(res.Type, "aws:") {
			t.Errorf("the cluster layer declares AWS resource %s %s", res.Type, res.Name)
		}
	}
	for _, res := range awsLayer.Resources {
		if strings.HasPrefix(res.Type, "kubernetes:") {
			t.Errorf("the AWS layer declares %s %s", res.Type, res.Name)
		}
	}
	// Inputs of the AWS layer are the whole program's.
	byURN := map[string]plan.Resource{}
	for _, res := range whole.Resources {
		byURN[res.URN] = res
	}
	for _, res := range awsLayer.Resources {
		w, ok := byURN[res.URN]
		if !ok || !reflect.DeepEqual(w.Inputs, res.Inputs) {
			t.Errorf("%s differs between the AWS layer and the whole program", res.URN)
		}
	}
}
