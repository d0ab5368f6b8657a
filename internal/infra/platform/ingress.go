package platform

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra/storage"
	"github.com/mlops-platform/mlops-platform/internal/kubenames"
	networkingv1 "github.com/mlops-platform/mlops-platform/internal/sdk/kubernetes/networking/v1"
)

// ALB settings of the security controls (rows 52-58).
const (
	// IngressClass is the class the load balancer controller serves.
	IngressClass = "alb"
	// SSLPolicy is the TLS 1.2+ listener policy of row 52.
	SSLPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// albPrefix prefixes the controller's annotations.
	albPrefix = "alb.ingress.kubernetes.io/"
)

// LoadBalancerAttributes returns the ALB attributes of rows 54-57.
func LoadBalancerAttributes(in Inputs) map[string]string {
	attrs := map[string]string{
		"routing.http.drop_invalid_header_fields.enabled": "true",
		"routing.http.desync_mitigation_mode":             "defensive",
		"deletion_protection.enabled":                     strconv.FormatBool(in.ALBDeletionProtection),
	}
	if in.AccessLogsBucket != "" {
		attrs["access_logs.s3.enabled"] = "true"
		attrs["access_logs.s3.bucket"] = in.AccessLogsBucket
		attrs["access_logs.s3.prefix"] = storage.ALBLogsPrefix
	}
	return attrs
}

// attributeList is LoadBalancerAttributes as IngressClassParams spell it.
func attributeList(in Inputs) []any {
	var out []any
	for _, k := range sortedKeys(LoadBalancerAttributes(in)) {
		out = append(out, map[string]any{"key": k, "value": LoadBalancerAttributes(in)[k]})
	}
	return out
}

// IngressAnnotations returns the load balancer controller annotations of a
// UI's Ingress: scheme, IP targets, health check, the attributes, and HTTPS
// with a redirect from HTTP when a certificate is configured.
func IngressAnnotations(in Inputs, healthPath string) map[string]string {
	attrs := LoadBalancerAttributes(in)
	pairs := make([]string, 0, len(attrs))
	for _, k := range sortedKeys(attrs) {
		pairs = append(pairs, k+"="+attrs[k])
	}
	a := map[string]string{
		albPrefix + "scheme":                   in.ALBScheme,
		albPrefix + "target-type":              "ip",
		albPrefix + "healthcheck-path":         healthPath,
		albPrefix + "load-balancer-attributes": strings.Join(pairs, ","),
		albPrefix + "listen-ports":             `[{"HTTP":80}]`,
	}
	// Internet-facing ALBs admit only Inputs.InboundCidrs; internal ones
	// (row 58) are reached from the VPC.
	if in.internetFacing() && len(in.InboundCidrs) > 0 {
		a[albPrefix+"inbound-cidrs"] = strings.Join(in.InboundCidrs, ",")
	}
	if in.CertificateArn != "" {
		a[albPrefix+"listen-ports"] = `[{"HTTP":80},{"HTTPS":443}]`
		a[albPrefix+"certificate-arn"] = in.CertificateArn
		a[albPrefix+"ssl-policy"] = SSLPolicy
		a[albPrefix+"ssl-redirect"] = "443"
	}
	return a
}

// UI is one web UI behind an ALB Ingress.
type UI struct {
	Name, Namespace, Service string
	Port                     int
	HealthPath               string
	// Release is the Helm release that creates the Service.
	Release string
}

// UIs lists the Ingresses the platform declares.
func UIs() []UI {
	return []UI{
		{Name: "mlflow", Namespace: kubenames.NSMLflow, Service: "mlflow", Port: MLflowPort, HealthPath: "/health", Release: "mlflow"},
		{Name: "grafana", Namespace: kubenames.NSMonitoring, Service: "kube-prometheus-stack-grafana", Port: GrafanaPort, HealthPath: "/api/health", Release: "kube-prometheus-stack"},
	}
}

// ingresses declares the UIs' Ingresses. Each waits for the load balancer
// controller, whose webhook validates it, and for the release that creates
// its backend Service: the Kubernetes provider's Ingress await needs that
// Service and its endpoints, and an Ingress created first would wait out
// the whole release (MLflow's waits on RDS, about 18 minutes in prod) and
// time out.
func (b *builder) ingresses() error {
	in := b.staticInputs()
	// The load balancer controller's webhook validates Ingresses of its
	// class and its release creates the IngressClass and IngressClassParams
	// they name; cert-manager's webhooks never see an Ingress.
	lbc := b.released[LoadBalancerControllerRelease]
	b.ingressed = map[string]*networkingv1.Ingress{}
	for _, ui := range UIs() {
		backendRelease, ok := b.released[ui.Release]
		if !ok {
			return fmt.Errorf("ingress %s: its release %s is not declared", ui.Name, ui.Release)
		}
		annotations := IngressAnnotations(in, ui.HealthPath)
		backend := &networkingv1.IngressBackendArgs{Service: &networkingv1.IngressServiceBackendArgs{
			Name: pulumi.String(ui.Service),
			Port: &networkingv1.ServiceBackendPortArgs{Number: pulumi.Int(ui.Port)},
		}}
		meta := objectMeta(ui.Name, ui.Namespace)
		meta.Annotations = pulumi.ToStringMap(annotations)
		ing, err := networkingv1.NewIngress(b.ctx, b.name+"-ingress-"+ui.Name, &networkingv1.IngressArgs{
			Metadata: meta,
			Spec: &networkingv1.IngressSpecArgs{
				IngressClassName: pulumi.String(IngressClass),
				DefaultBackend:   backend,
			},
		}, b.inNamespace(ui.Namespace, pulumi.DependsOn(append([]pulumi.Resource{lbc, backendRelease}, b.args.Ready.Ingresses...)))...)
		if err != nil {
			return fmt.Errorf("declaring ingress %s: %w", ui.Name, err)
		}
		b.ingressed[ui.Name] = ing
	}
	return nil
}

// URL is the address of a UI once its ALB exists: the load balancer's DNS
// name the Ingress reports, https when the listeners have a certificate.
// Until the controller has reported one it is empty.
func (p *Platform) URL(ui string, https bool) pulumi.StringOutput {
	ing, ok := p.Ingresses[ui]
	if !ok {
		return pulumi.String("").ToStringOutput()
	}
	scheme := "http://"
	if https {
		scheme = "https://"
	}
	return ing.Status.ApplyT(func(st *networkingv1.IngressStatus) string {
		if host := loadBalancerHostname(st); host != "" {
			return scheme + host
		}
		return ""
	}).(pulumi.StringOutput)
}

// loadBalancerHostname is the first hostname of an Ingress status
// (status.loadBalancer.ingress[].hostname), "" while there is none.
func loadBalancerHostname(st *networkingv1.IngressStatus) string {
	if st == nil || st.LoadBalancer == nil {
		return ""
	}
	for _, entry := range st.LoadBalancer.Ingress {
		if entry.Hostname != nil && *entry.Hostname != "" {
			return *entry.Hostname
		}
	}
	return ""
}
