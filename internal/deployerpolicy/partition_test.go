package deployerpolicy

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/bastion"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

func mapStrings(v any, f func(string) string) any {
	switch x := v.(type) {
	case string:
		return f(x)
	case map[string]any:
		for k, e := range x {
			x[k] = mapStrings(e, f)
		}
	case []any:
		for i, e := range x {
			x[i] = mapStrings(e, f)
		}
	}
	return v
}

// chinaGraph is prod's graph as the program builds it in aws-cn: the
// partition in every ARN, the region, and the endpoint service names
// under the partition's reverse DNS prefix.
func chinaGraph(t *testing.T) *plan.Graph {
	t.Helper()
	g := stackGraphs(t)["prod"].Clone()
	for i, r := range g.Resources {
		mapStrings(r.Inputs, func(s string) string {
			s = strings.ReplaceAll(s, "arn:aws:", "arn:aws-cn:")
			return strings.ReplaceAll(s, "eu-west-1", "cn-north-1")
		})
		if r.Type == typetoken.VpcEndpoint {
			g.Resources[i].Inputs["serviceName"] = "cn.com.amazonaws.cn-north-1.s3"
		}
	}
	return g
}

// TestPartitionComesFromTheGraph builds the policy of an aws-cn graph: no
// ARN may name the aws partition, and service principals and ViaService
// values end in the partition's DNS suffix (N20).
func TestPartitionComesFromTheGraph(t *testing.T) {
	r := build(t, chinaGraph(t))
	b, err := json.Marshal(r.Policies)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, bad := range []string{"arn:aws:", `amazonaws.com"`} {
		if strings.Contains(text, bad) {
			t.Errorf("the aws-cn policy contains %q", bad)
		}
	}
	allow := authorizer(t, r)
	for _, req := range []iampolicy.Request{
		{Action: "iam:PassRole", Resource: "arn:aws-cn:iam::" + testAccount + ":role/bastion-role" + suffix, Context: ctx("iam:PassedToService", "ec2.amazonaws.com.cn")},
		{Action: "kms:GenerateDataKeyWithoutPlaintext", Resource: "arn:aws-cn:kms:cn-north-1:" + testAccount + ":key/k", Context: ctx("kms:ViaService", "ec2.cn-north-1.amazonaws.com.cn")},
		{Action: "s3:PutBucketPolicy", Resource: "arn:aws-cn:s3:::mlops-platform-prod-access-logs-" + testAccount},
		{Action: "ssm:StartSession", Resource: "arn:aws-cn:ssm:cn-north-1:" + testAccount + ":document/" + bastion.TunnelDocumentName("mlops-platform-prod")},
	} {
		if got := allow(req); got != iampolicy.Allowed {
			t.Errorf("%s: %s", req, got)
		}
	}
}

// TestGraphWithTwoPartitionsIsRefused: a graph whose ARNs disagree has no
// partition to derive the policy in.
func TestGraphWithTwoPartitionsIsRefused(t *testing.T) {
	g := chinaGraph(t)
	g.Resources[0].Inputs["stray"] = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	if _, err := Build(g, ManagedPolicyLimit); err == nil || !strings.Contains(err.Error(), "partitions") {
		t.Errorf("err %v, want the two partitions named", err)
	}
}

// TestNoPartitionInTheSource keeps the package's code free of the aws
// partition and its DNS suffix.
func TestNoPartitionInTheSource(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(stacktest.RepoRoot(), "internal", "deployer", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			if strings.Contains(line, "arn:aws:") || strings.Contains(line, "amazonaws.com") {
				t.Errorf("%s:%d: %s", filepath.Base(f), i+1, strings.TrimSpace(line))
			}
		}
	}
}

// TestCertificateIsDescribedOnlyByItsARN: with a certificate configured
// the preflight may describe it, and no other.
func TestCertificateIsDescribedOnlyByItsARN(t *testing.T) {
	cert := engine.CertificateArn // the certificate the offline account holds
	g := stacktest.Evaluate(t, "prod", "ingress.certificateArn="+cert)
	allow := authorizer(t, build(t, g))
	if got := allow(iampolicy.Request{Action: "acm:DescribeCertificate", Resource: cert}); got != iampolicy.Allowed {
		t.Errorf("describing the stack's certificate: %s", got)
	}
	other := strings.Replace(cert, "0f1e2d3c", "ffffffff", 1)
	if got := allow(iampolicy.Request{Action: "acm:DescribeCertificate", Resource: other}); got == iampolicy.Allowed {
		t.Errorf("describing another certificate is allowed")
	}
}
