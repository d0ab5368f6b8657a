package simdeploy_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"k8s.io/client-go/rest"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/infra"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/testing/pulumitest"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
	"github.com/mlops-platform/mlops-platform/internal/testing/simdeploy"
)

// SkippedAwaits are the Kubernetes provider's awaits the simulated deploy
// turns off, each with why; nothing else is skipped. The provider awaits
// everything else as it does against EKS: every Helm release with Helm's
// wait (workloads available, claims bound, hook Jobs complete), every
// object the program writes itself.
var SkippedAwaits = map[string]string{
	"kubernetes:networking.k8s.io/v1:Ingress": "an Ingress is ready when the load balancer controller has given it an address, and only AWS makes load balancers",
}

// skipAwaits marks the resources of SkippedAwaits' types with the
// provider's pulumi.com/skipAwait annotation, as a stack transform: the
// program under test is the one `mlops up` deploys, unchanged.
func skipAwaits(t *testing.T) pulumi.ResourceTransform {
	return func(_ context.Context, args *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
		if _, ok := SkippedAwaits[args.Type]; !ok {
			return nil
		}
		meta, ok := args.Props["metadata"].(pulumi.Map)
		if !ok {
			t.Errorf("skipAwaits: %s %s: metadata is %T", args.Type, args.Name, args.Props["metadata"])
			return nil
		}
		annotations := pulumi.Map{}
		switch a := meta["annotations"].(type) {
		case pulumi.Map:
			for k, v := range a {
				annotations[k] = v
			}
		case nil:
		default:
			t.Errorf("skipAwaits: %s %s: annotations are %T", args.Type, args.Name, a)
			return nil
		}
		annotations["pulumi.com/skipAwait"] = pulumi.String("true")
		meta["annotations"] = annotations
		args.Props["metadata"] = meta
		return &pulumi.ResourceTransformResult{Props: args.Props, Opts: args.Opts}
	}
}

// clusterLayerStub is the AWS layer's ClusterLayerOutput for a deploy
// into c: the simulated API server as the cluster's endpoint and
// certificate authority, and the AWS values as the offline engine names
// them (roles arn:aws:iam::<account>:role/<logical name>), so the service
// accounts' role annotations can be checked against the graph's roles.
func clusterLayerStub(t *testing.T, r *stack.Result, c *simcluster.Cluster) map[string]any {
	t.Helper()
	ca, err := pemOf(c.Config.TLSClientConfig.CAData, c.Config.TLSClientConfig.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	role := func(name string) string {
		for _, res := range r.Graph.ByType("aws:iam/role:Role") {
			if res.Name == name {
				return "arn:aws:iam::" + engine.AccountID + ":role/" + name
			}
		}
		t.Fatalf("the graph has no role %s", name)
		return ""
	}
	return map[string]any{
		"clusterName": r.Spec.ClusterName, "clusterEndpoint": c.Config.Host,
		"certificateAuthority": base64.StdEncoding.EncodeToString(ca),
		"vpcId":                "vpc-0a1b2c3d4e5f60718",
		"dataKeyArn":           "arn:aws:kms:" + r.Spec.Region + ":" + engine.AccountID + ":key/1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901",
		"artifactBucket":       r.Spec.ClusterName + "-artifacts",
		"mlflowRoleArn":        role("irsa-mlflow"), "mlflowDbSetupRoleArn": role("irsa-mlflow-db-setup"),
		"kserveRoleArn":                 role("irsa-kserve"),
		"loadBalancerControllerRoleArn": role("irsa-aws-load-balancer-controller"),
		"clusterAutoscalerRoleArn":      role("irsa-cluster-autoscaler"),
		"databaseAddress":               r.Spec.ClusterName + ".cluster.eu-west-1.rds.amazonaws.com",
		"databaseSecretArn":             "arn:aws:secretsmanager:" + r.Spec.Region + ":" + engine.AccountID + ":secret:rds!db-1b2c3d4e",
		"alertmanagerRoleArn":           role("irsa-alertmanager"),
		"alertTopicArn":                 "arn:aws:sns:" + r.Spec.Region + ":" + engine.AccountID + ":" + r.Spec.ClusterName + "-alerts",
		"karpenterRoleArn":              role("karpenter-controller"),
		"karpenterNodeRole":             "karpenter-node-role",
		"karpenterQueue":                "karpenter-interruption",
	}
}

// pemOf returns PEM data given inline or as a file, as rest.Config holds
// either.
func pemOf(data []byte, file string) ([]byte, error) {
	if len(data) > 0 || file == "" {
		return data, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	return b, nil
}

// tokenStandIn puts an `mlops` on PATH (dir) that answers the program's
// exec credential call (`mlops eks-token ...`) with the simulated API
// server's admin credentials. EKS authenticates a token signed for STS,
// which only AWS verifies; the signing itself is ekstoken's test.
func tokenStandIn(t *testing.T, cfg *rest.Config, dir string) {
	t.Helper()
	status := map[string]string{}
	if cfg.BearerToken != "" {
		status["token"] = cfg.BearerToken
	} else {
		cert, err := pemOf(cfg.TLSClientConfig.CertData, cfg.TLSClientConfig.CertFile)
		if err != nil {
			t.Fatal(err)
		}
		key, err := pemOf(cfg.TLSClientConfig.KeyData, cfg.TLSClientConfig.KeyFile)
		if err != nil {
			t.Fatal(err)
		}
		status["clientCertificateData"], status["clientKeyData"] = string(cert), string(key)
	}
	cred, err := json.Marshal(map[string]any{
		"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential", "status": status,
	})
	if err != nil {
		t.Fatal(err)
	}
	credFile := filepath.Join(dir, "credential.json")
	if err := os.WriteFile(credFile, cred, 0o600); err != nil {
		t.Fatal(err)
	}
	script := "#!/bin/sh\n[ \"$1\" = eks-token ] || { echo \"mlops stand-in: only eks-token\" >&2; exit 2; }\nexec cat '" + credFile + "'\n"
	if err := os.WriteFile(filepath.Join(dir, "mlops"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
}

// TestRealEngineDeploysTheClusterLayer deploys prod's cluster layer, the
// program `mlops up --layer cluster` runs, with the real Pulumi CLI and
// the real Kubernetes provider into a simulated cluster shaped like
// prod's node groups, charts from the repository's copy
// (charts.source=local), and the AWS layer's outputs from a stub stack in
// the same backend. The provider's awaits run as against EKS, but for
// SkippedAwaits. Then the deployed cluster is judged as the client-go
// deploy's is, and a second preview must show no change.
func TestRealEngineDeploysTheClusterLayer(t *testing.T) {
	tools := pulumitest.RequireKubernetes(t)
	begin := time.Now()
	s := simulate(t, "prod")
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	if err := s.standIn.Follow(ctx, s.c.Config, func(err error) { t.Log(err) }); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o700); err != nil {
		t.Fatal(err)
	}
	tokenStandIn(t, s.c.Config, bin)
	env := map[string]string{"PATH": bin + string(os.PathListSeparator) + tools.Env(dir)["PATH"]}

	backend := filepath.Join(dir, "backend")
	stub := clusterLayerStub(t, s.res, s.c)
	awsStack := pulumitest.StackIn(ctx, t, tools, backend, spec.ProjectName, layer.AWS.StackName(s.stack), func(ctx *pulumi.Context) error {
		ctx.Export(infra.ClusterLayerOutput, pulumi.ToMap(stub))
		ctx.Export("region", pulumi.String(s.res.Spec.Region))
		return nil
	}, env)
	if _, err := awsStack.Up(ctx); err != nil {
		t.Fatalf("stub AWS layer: %v", err)
	}

	program := s.res.LayerProgram(layer.Cluster)
	clusterStack := pulumitest.StackIn(ctx, t, tools, backend, spec.ProjectName, layer.Cluster.StackName(s.stack), func(ctx *pulumi.Context) error {
		if err := ctx.RegisterResourceTransform(skipAwaits(t)); err != nil {
			return err
		}
		return program(ctx)
	}, env)
	for typ, why := range SkippedAwaits {
		t.Logf("await skipped for %s: %s", typ, why)
	}
	for _, sub := range simdeploy.Substitutes {
		t.Logf("stood in: %s → %s", sub.What, sub.Instead)
	}
	var out strings.Builder
	start := time.Now()
	up, err := clusterStack.Up(ctx, optup.ProgressStreams(&out), optup.ErrorProgressStreams(&out))
	if err != nil {
		t.Fatalf("pulumi up of the cluster layer: %v\n%s", err, tail(out.String(), 80))
	}
	t.Logf("cluster layer up in %s: %v", time.Since(start).Round(time.Second), up.Summary.ResourceChanges)

	rows, err := simdeploy.DeployedReleases(ctx, s.c, plan.Releases(s.g))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("per release, deployed by the real provider:\n%s", simdeploy.ReleaseTable(rows))
	for _, r := range rows {
		if r.Status != "deployed" {
			t.Errorf("release %s/%s is %q after up, want deployed", r.Namespace, r.Release, r.Status)
		}
		for _, w := range r.Workloads {
			if !w.Available() {
				t.Errorf("release %s: %s", r.Release, w)
			}
		}
	}
	t.Logf("webhook calls the stand-in admitted: %s", strings.Join(s.standIn.Calls(), "; "))

	prev, err := clusterStack.Preview(ctx)
	if err != nil {
		t.Fatalf("second preview: %v", err)
	}
	for op, n := range prev.ChangeSummary {
		if op != "same" && n > 0 {
			t.Errorf("a second preview after up wants %d %s: the deploy is not stable", n, op)
		}
	}

	operator := applyOperatorWorkloads(t, s)
	checkLayer(t, s, operator)
	t.Logf("prod through the real engine took %s", time.Since(begin).Round(time.Second))
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
