package main

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// TestResolveFromEngineConfig checks the `pulumi up` entry point reads the
// stack configuration the engine passes, and rejects unknown keys.
func TestResolveFromEngineConfig(t *testing.T) {
	t.Setenv(pulumi.EnvConfig, `{"mlops-platform:nodeGroups":"{\"gpu\":{\"maxSize\":7}}","aws:region":"eu-west-1"}`)
	s, err := resolve("prod")
	if err != nil {
		t.Fatal(err)
	}
	if s.Spec.NodeGroups.GPU.MaxSize != 7 || !s.Spec.IsProd() {
		t.Errorf("config not applied: %+v", s.Spec.NodeGroups.GPU)
	}

	t.Setenv(pulumi.EnvConfig, `{"mlops-platform:clusterNmae":"x"}`)
	if _, err := resolve("prod"); err == nil || !strings.Contains(err.Error(), "clusterNmae") {
		t.Errorf("unknown key not rejected: %v", err)
	}
	t.Setenv(pulumi.EnvConfig, `{"mlops-platform:layer":"cluster"}`)
	if s, err := resolve("prod-cluster"); err != nil || s.Stack != "prod" || s.Layer != layer.Cluster || s.Spec.ClusterName != "mlops-platform-prod" {
		t.Errorf("layer stack prod-cluster resolved as %+v, %v", s, err)
	}
	t.Setenv(pulumi.EnvConfig, `{"mlops-platform:layer":"k8s"}`)
	if _, err := resolve("prod"); err == nil || !strings.Contains(err.Error(), "layer") {
		t.Errorf("unknown layer not rejected: %v", err)
	}
	t.Setenv(pulumi.EnvConfig, `not json`)
	if _, err := resolve("prod"); err == nil {
		t.Error("malformed PULUMI_CONFIG accepted")
	}
}
