package platform_test

import (
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/infra/platform"
	"github.com/mlops-platform/mlops-platform/internal/infra/storage"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

func TestDefaultStorageClassIsEncryptedGP3(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			scs := e.g.ByType(tStorage)
			if len(scs) != 1 {
				t.Fatalf("%d storage classes, want 1", len(scs))
			}
			sc := scs[0]
			params := obj(sc, "parameters")
			if str(sc, "provisioner") != platform.EBSProvisioner || params["type"] != "gp3" || params["encrypted"] != "true" {
				t.Errorf("provisioner %s, parameters %v", str(sc, "provisioner"), params)
			}
			if key, _ := params["kmsKeyId"].(string); !strings.HasPrefix(key, "arn:aws:kms:") {
				t.Errorf("kmsKeyId = %v, want the data key's ARN", params["kmsKeyId"])
			}
			if obj(sc, "metadata.annotations")["storageclass.kubernetes.io/is-default-class"] != "true" {
				t.Error("not the default class")
			}
		})
	}
}

func TestIngressAnnotationsPerProfile(t *testing.T) {
	const p = "alb.ingress.kubernetes.io/"
	for _, e := range stacks(t) {
		ingresses := byName(e.g, tIngress)
		for _, ui := range platform.UIs() {
			t.Run(e.name+"/"+ui.Name, func(t *testing.T) {
				r, ok := ingresses[ui.Namespace+"/"+ui.Name]
				if !ok {
					t.Fatalf("no ingress %s/%s", ui.Namespace, ui.Name)
				}
				if str(r, "spec.ingressClassName") != platform.IngressClass {
					t.Errorf("ingress class %q", str(r, "spec.ingressClassName"))
				}
				a := obj(r, "metadata.annotations")
				wantScheme := map[bool]string{true: spec.SchemeInternal, false: spec.SchemeInternetFacing}[e.spec.IsProd()]
				if a[p+"scheme"] != wantScheme {
					t.Errorf("scheme %v, want %s", a[p+"scheme"], wantScheme)
				}
				attrs, _ := a[p+"load-balancer-attributes"].(string)
				for _, want := range []string{
					"routing.http.drop_invalid_header_fields.enabled=true",
					"routing.http.desync_mitigation_mode=defensive",
					"deletion_protection.enabled=" + map[bool]string{true: "true", false: "false"}[e.spec.IsProd()],
				} {
					if !strings.Contains(attrs, want) {
						t.Errorf("attributes %q lack %s", attrs, want)
					}
				}
				https := e.spec.Ingress.CertificateArn != ""
				if got := a[p+"certificate-arn"] != nil; got != https {
					t.Errorf("certificate-arn set = %v, want %v", got, https)
				}
				if https && (a[p+"ssl-policy"] != platform.SSLPolicy || a[p+"ssl-redirect"] != "443" ||
					!strings.Contains(a[p+"listen-ports"].(string), "HTTPS")) {
					t.Errorf("HTTPS listener incomplete: %v", a)
				}
				if !https && strings.Contains(a[p+"listen-ports"].(string), "HTTPS") {
					t.Error("HTTPS listener without a certificate")
				}
				// Access logs always go somewhere: the configured bucket or
				// the platform's own access-log bucket.
				bucket := e.spec.Ingress.AccessLogsBucket
				if bucket == "" {
					bucket = storage.AccessLogsBucketName(e.spec.ClusterName, engine.AccountID)
				}
				if !strings.Contains(attrs, "access_logs.s3.bucket="+bucket) || !strings.Contains(attrs, "access_logs.s3.enabled=true") {
					t.Errorf("access logs attributes %q, want bucket %q", attrs, bucket)
				}
				if !e.spec.IsProd() && a[p+"inbound-cidrs"] != strings.Join(e.spec.ClusterEndpointPublicAccessCidrs, ",") {
					t.Errorf("dev's internet-facing ALB admits %v", a[p+"inbound-cidrs"])
				}
			})
		}
	}
}

func TestKServeUsesStandardModeAndTheInferenceDomain(t *testing.T) {
	for _, e := range stacks(t) {
		t.Run(e.name, func(t *testing.T) {
			v := values(releases(t, e.g)["kserve"])
			for path, want := range map[string]any{
				"kserve.controller.deploymentMode":                   "Standard",
				"kserve.controller.gateway.domain":                   e.spec.KserveIngressDomain,
				"kserve.controller.gateway.ingressGateway.className": platform.IngressClass,
			} {
				if got, _ := lookup(v, path); got != want {
					t.Errorf("%s = %v, want %v", path, got, want)
				}
			}
		})
	}
}

func TestKubeconfigRunsOurTokenCommand(t *testing.T) {
	for _, c := range []struct {
		name  string
		creds platform.Credentials
		want  string
	}{
		{"ambient credentials", platform.Credentials{}, "eks-token --cluster c1 --region eu-west-1"},
		{"deployer role and profile", platform.Credentials{Profile: "ops", RoleArn: "arn:aws:iam::111122223333:role/deployer"},
			"eks-token --cluster c1 --region eu-west-1 --role-arn arn:aws:iam::111122223333:role/deployer --profile ops"},
		{"role with an external ID and session name", platform.Credentials{RoleArn: "arn:aws:iam::111122223333:role/deployer", ExternalID: "ext-4242", SessionName: "c1-deploy"},
			"eks-token --cluster c1 --region eu-west-1 --role-arn arn:aws:iam::111122223333:role/deployer --external-id ext-4242 --session-name c1-deploy"},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, err := platform.Kubeconfig("c1", "https://x.eks.amazonaws.com", "Q0E=", "eu-west-1", c.creds)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := clientcmd.Load([]byte(text))
			if err != nil {
				t.Fatalf("kubeconfig does not load: %v\n%s", err, text)
			}
			ctx := cfg.Contexts[cfg.CurrentContext]
			if ctx == nil || cfg.Clusters[ctx.Cluster] == nil || cfg.AuthInfos[ctx.AuthInfo] == nil {
				t.Fatalf("current context %q is incomplete: %s", cfg.CurrentContext, text)
			}
			cluster, user := cfg.Clusters[ctx.Cluster], cfg.AuthInfos[ctx.AuthInfo]
			if cluster.Server != "https://x.eks.amazonaws.com" || string(cluster.CertificateAuthorityData) != "CA" {
				t.Errorf("cluster = %s with CA %q", cluster.Server, cluster.CertificateAuthorityData)
			}
			if user.Token != "" || user.Exec == nil || user.Exec.Command != platform.TokenCommand ||
				strings.Join(user.Exec.Args, " ") != c.want {
				t.Errorf("user authenticates with %+v, want mlops %s (no aws CLI)", user.Exec, c.want)
			}
		})
	}
	if _, err := platform.Kubeconfig("c1", "https://x", "not base64!", "eu-west-1", platform.Credentials{}); err == nil {
		t.Error("a malformed certificate authority was accepted")
	}
}
