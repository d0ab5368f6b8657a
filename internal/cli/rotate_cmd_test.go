package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/mlops-platform/mlops-platform/internal/rotate"
	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

// rotateCluster starts a real kube-apiserver holding one general node
// whose only pod a PodDisruptionBudget allows no disruption, and writes
// its kubeconfig.
func rotateCluster(t *testing.T) string {
	t.Helper()
	s := apiserver.StartTest(t)
	ctx, kube := context.Background(), s.Client
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(kube.CoreV1().Nodes().Create(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "ip-10-0-1-1",
		Labels: map[string]string{rotate.NodegroupLabel: "general-20261129000000"}}}, metav1.CreateOptions{}))
	must(kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "mlflow"}}, metav1.CreateOptions{}))
	must(kube.CoreV1().ServiceAccounts("mlflow").Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}, metav1.CreateOptions{}))
	must(kube.CoreV1().Pods("mlflow").Create(ctx, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "mlflow-0", Labels: map[string]string{"app": "mlflow"}},
		Spec: corev1.PodSpec{NodeName: "ip-10-0-1-1", Containers: []corev1.Container{{Name: "c", Image: apiserver.PauseImage}}}}, metav1.CreateOptions{}))
	one := intstr.FromInt32(1)
	must(kube.PolicyV1().PodDisruptionBudgets("mlflow").Create(ctx, &policyv1.PodDisruptionBudget{ObjectMeta: metav1.ObjectMeta{Name: "mlflow"},
		Spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: &one, Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "mlflow"}}}}, metav1.CreateOptions{}))
	cfg := s.Config
	kc := clientcmdapi.NewConfig()
	kc.Clusters["c"] = &clientcmdapi.Cluster{Server: cfg.Host, CertificateAuthorityData: cfg.CAData}
	kc.AuthInfos["u"] = &clientcmdapi.AuthInfo{ClientCertificateData: cfg.CertData, ClientKeyData: cfg.KeyData, Token: cfg.BearerToken}
	kc.Contexts["c"] = &clientcmdapi.Context{Cluster: "c", AuthInfo: "u"}
	kc.CurrentContext = "c"
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*kc, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestNodesRotate: a PDB blocks the general group (refused, nothing
// started, each pod named); --force goes ahead with EKS's force; the
// training group rotates with progress; a half-way failure is reported.
func TestNodesRotate(t *testing.T) {
	kubeconfig := rotateCluster(t)
	srv := fakeProd(t)
	args := func(group string, extra ...string) []string {
		return append([]string{"nodes", "rotate", group, "--stack", "prod", "--kubeconfig", kubeconfig, "--poll", "1ms"}, extra...)
	}
	_, _, err := runAWS(t, args("general")...)
	if ExitCode(err) != ExitRefused || !strings.Contains(err.Error(), "mlflow/mlflow-0 on ip-10-0-1-1: PodDisruptionBudget mlflow allows 0 disruptions") ||
		srv.Calls("UpdateNodegroupVersion") != 0 {
		t.Fatalf("blocked rotation: exit %d, %v, %d updates started", ExitCode(err), err, srv.Calls("UpdateNodegroupVersion"))
	}

	out, stderr, err := runAWS(t, args("training")...)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "nodes-rotate-training", out)
	if !strings.Contains(stderr, "node group training-20261129000002: InProgress") || !strings.Contains(stderr, "node group training-20261129000002: Successful") {
		t.Errorf("no progress:\n%s", stderr)
	}

	if _, _, err := runAWS(t, args("general", "--force")...); err != nil {
		t.Fatalf("--force: %v", err)
	}
	forced := false
	for _, c := range srv.Requests() {
		forced = forced || (c.Op == "UpdateNodegroupVersion" && strings.Contains(c.Params, `"force":true`))
	}
	if !forced {
		t.Error("--force did not reach EKS")
	}

	srv.EditCluster("mlops-platform-prod", func(c *awsfake.Cluster) { c.Nodegroups["gpu-20261129000001"].FailUpdate = "NodeCreationFailure" })
	_, _, err = runAWS(t, args("gpu")...)
	if ExitCode(err) != ExitDeployFailed || !strings.Contains(err.Error(), "node group gpu-20261129000001 update") || !strings.Contains(err.Error(), "NodeCreationFailure") {
		t.Errorf("half-way failure: exit %d, %v", ExitCode(err), err)
	}
}
