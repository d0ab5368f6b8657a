package infra_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/storage"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
)

// albLogSettings collects every place the ALBs' access-log settings are
// declared: each UI Ingress's load-balancer-attributes annotation and the
// IngressClassParams (which KServe's Ingresses get through the class).
func albLogSettings(t *testing.T, g *plan.Graph) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, r := range g.ByType("kubernetes:networking.k8s.io/v1:Ingress") {
		raw, _ := in(g, r, "metadata.annotations").(map[string]any)["alb.ingress.kubernetes.io/load-balancer-attributes"].(string)
		attrs := map[string]string{}
		for _, kv := range strings.Split(raw, ",") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				attrs[k] = v
			}
		}
		out["ingress "+r.Name] = attrs
	}
	for _, r := range g.ByType("kubernetes:helm.sh/v3:Release") {
		list, ok := in(g, r, "values.ingressClassParams.spec.loadBalancerAttributes").([]any)
		if !ok {
			continue
		}
		attrs := map[string]string{}
		for _, e := range list {
			m, _ := e.(map[string]any)
			attrs[fmt.Sprint(m["key"])] = fmt.Sprint(m["value"])
		}
		out["ingress class params of "+r.Name] = attrs
	}
	if len(out) < 3 {
		t.Fatalf("found the access-log settings of %d places, want the UIs' Ingresses and the class params", len(out))
	}
	return out
}

// TestALBAccessLogsLandWhereTheBucketPolicyAdmits evaluates each stack and
// checks that the object key ELB writes, built from the bucket and prefix
// the ALB attributes name, is one the bucket policy admits.
func TestALBAccessLogsLandWhereTheBucketPolicyAdmits(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			g := stacktest.Graph(t, stack)
			s := stacktest.Spec(t, stack)
			bucket := storage.AccessLogsBucketName(s.ClusterName, engine.AccountID)
			var policy iampolicy.Document
			for _, p := range g.ByType(tPolicy) {
				if p.Inputs["bucket"] == bucket {
					var err error
					if policy, err = iampolicy.Parse([]byte(fmt.Sprint(p.Inputs["policy"]))); err != nil {
						t.Fatal(err)
					}
				}
			}
			if len(policy.Statement) == 0 {
				t.Fatalf("no policy on %s", bucket)
			}
			for where, attrs := range albLogSettings(t, g) {
				if attrs["access_logs.s3.enabled"] != "true" || attrs["access_logs.s3.bucket"] != bucket {
					t.Errorf("%s: access logs %v, want enabled into %s", where, attrs, bucket)
					continue
				}
				// ELB's key: bucket[/prefix]/AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/mm/dd/<file>.
				key := "AWSLogs/" + engine.AccountID + "/elasticloadbalancing/" + s.Region + "/2026/11/29/x.log.gz"
				if p := attrs["access_logs.s3.prefix"]; p != "" {
					key = p + "/" + key
				}
				d, err := policy.Evaluate(iampolicy.Request{
					Action: "s3:PutObject", Resource: "arn:aws:s3:::" + bucket + "/" + key,
					Context: map[string][]string{"aws:SecureTransport": {"true"}},
				})
				if err != nil {
					t.Fatal(err)
				}
				if d != iampolicy.Allowed {
					t.Errorf("%s writes %s/%s, which the bucket policy does not admit (%s)", where, bucket, key, d)
				}
			}
		})
	}
}
