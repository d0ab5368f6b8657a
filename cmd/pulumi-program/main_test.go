package main

import (
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// testNow is the date support windows are judged at: the tests pass on any
// day the wall clock shows.
var testNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// TestResolveFromEngineConfig checks the `pulumi up` entry point reads the
// stack configuration the engine passes, and rejects unknown keys.
func TestResolveFromEngineConfig(t *testing.T) {
	t.Setenv(pulumi.EnvConfig, `{"mlops-platform:nodeGroups":"{\"gpu\":{\"maxSize\":7}}","aws:region":"eu-west-1"}`)
	s, err := resolve("prod", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if s.Spec.NodeGroups.GPU.MaxSize != 7 || !s.Spec.IsProd() {
		t.Errorf("config not applied: %+v", s.Spec.NodeGroups.GPU)
	}

	t.Setenv(pulumi.EnvConfig, `{"mlops-platform:clusterNmae":"x"}`)
	if _, err := resolve("prod", testNow); err == nil || !strings.Contains(err.Error(), "clusterNmae") {
		t.Errorf("unknown key not rejected: %v", err)
	}
	t.Setenv(pulumi.EnvConfig, `{"mlops-platform:layer":"cluster"}`)
	if s, err := resolve("prod-cluster", testNow); err != nil || s.Stack != "prod" || s.Layer != layer.Cluster || s.Spec.ClusterName != "mlops-platform-prod" {
		t.Errorf("layer stack prod-cluster resolved as %+v, %v", s, err)
	}
	t.Setenv(pulumi.EnvConfig, `{"mlops-platform:layer":"k8s"}`)
	if _, err := resolve("prod", testNow); err == nil || !strings.Contains(err.Error(), "layer") {
		t.Errorf("unknown layer not rejected: %v", err)
	}
	// Support windows are judged at the time passed in: the day after the
	// default version's end of extended support, prod is refused.
	t.Setenv(pulumi.EnvConfig, `{}`)
	if _, err := resolve("prod", time.Date(2028, 3, 28, 0, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "left EKS extended support") {
		t.Errorf("prod resolved after its Kubernetes version's end of extended support: %v", err)
	}
	t.Setenv(pulumi.EnvConfig, `not json`)
	if _, err := resolve("prod", testNow); err == nil {
		t.Error("malformed PULUMI_CONFIG accepted")
	}
}
