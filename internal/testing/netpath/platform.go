package netpath

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Path is one connection the table judges.
type Path struct {
	What     string
	From, To string
	Proto    string
	Port     int
	// Open is what the platform intends.
	Open bool
}

// Row is a path with its verdict.
type Row struct {
	Path
	Got bool
	By  string
}

// Endpoint names of the platform's table.
const (
	MLflow        = "MLflow"
	ModelServer   = "model server (predictor)"
	Transformer   = "transformer"
	TrainingA     = "training worker 0"
	TrainingB     = "training worker 1"
	Prometheus    = "Prometheus"
	Grafana       = "Grafana"
	KubeDNS       = "kube-dns"
	CertManager   = "cert-manager webhook"
	KServeWebhook = "KServe webhook"
	LBCWebhook    = "LB controller webhook"
	UserPod       = "pod in a user namespace"
	APIServer     = "API server"
	WebhookCaller = "control plane (webhook caller)"
	RDS           = "RDS (MLflow database)"
	S3            = "S3 (gateway endpoint)"
	ALB           = "ALB"
)

// s3Address is an address of S3 in eu-west-1 (the com.amazonaws.<region>.s3
// prefix list), outside the VPC: the gateway endpoint routes to it.
var s3Address = netip.MustParseAddr("52.218.0.10")

// PlatformEndpoints are the table's endpoints in the evaluated graph: the
// platform's pods (namespace and the labels their charts render), and the
// addresses the VPC gives the rest: pods, the control plane's ENIs and RDS
// in the private subnets (node groups, cluster and DB subnet group use
// them), the ALBs in the subnets the load balancer controller discovers
// for the scheme (the internal-elb subnets, or the public ones).
func PlatformEndpoints(g *plan.Graph) (map[string]Endpoint, error) {
	var private, public, internalLB []netip.Prefix
	for _, s := range g.Subnets() {
		p, err := netip.ParsePrefix(s.CIDR)
		if err != nil {
			return nil, fmt.Errorf("subnet %s: %w", s.Resource.Name, err)
		}
		tags := s.Tags
		switch {
		case tags["kubernetes.io/role/elb"] == "1":
			public = append(public, p)
		case tags["kubernetes.io/role/internal-elb"] == "1":
			internalLB = append(internalLB, p)
		default:
			private = append(private, p)
		}
	}
	albs := public
	for _, ing := range g.ByType(typetoken.Ingress) {
		if plan.ObjectOf(ing).Annotations["alb.ingress.kubernetes.io/scheme"] == "internal" {
			albs = internalLB
		}
	}
	if len(private) == 0 || len(albs) == 0 {
		return nil, fmt.Errorf("%d private subnets, %d load balancer subnets in the graph", len(private), len(albs))
	}
	host := func(p netip.Prefix, n int) netip.Addr {
		a := p.Addr()
		for range n {
			a = a.Next()
		}
		return a
	}
	podIP := 10
	pod := func(name, ns string, labels ...string) Endpoint {
		podIP++
		l := map[string]string{}
		for _, kv := range labels {
			k, v, _ := strings.Cut(kv, "=")
			l[k] = v
		}
		return Endpoint{Name: name, Namespace: ns, Labels: l, IP: host(private[podIP%len(private)], podIP)}
	}
	eps := []Endpoint{
		pod(MLflow, "mlflow", "app.kubernetes.io/name=mlflow", "app.kubernetes.io/instance=mlflow"),
		pod(ModelServer, "serving", "serving.kserve.io/inferenceservice=model", "component=predictor"),
		pod(Transformer, "serving", "serving.kserve.io/inferenceservice=model", "component=transformer"),
		pod(TrainingA, "training", "job-name=train", "batch.kubernetes.io/job-completion-index=0"),
		pod(TrainingB, "training", "job-name=train", "batch.kubernetes.io/job-completion-index=1"),
		pod(Prometheus, "monitoring", "app.kubernetes.io/name=prometheus"),
		pod(Grafana, "monitoring", "app.kubernetes.io/name=grafana"),
		pod(KubeDNS, "kube-system", "k8s-app=kube-dns"),
		pod(CertManager, "cert-manager", "app.kubernetes.io/name=webhook"),
		pod(KServeWebhook, "kserve", "control-plane=kserve-controller-manager"),
		pod(LBCWebhook, "kube-system", "app.kubernetes.io/name=aws-load-balancer-controller"),
		pod(UserPod, "team-a", "app=notebook"),
		{Name: APIServer, IP: host(private[0], 200)},
		{Name: WebhookCaller, IP: host(private[len(private)-1], 201)},
		{Name: RDS, IP: host(private[len(private)-1], 300)},
		{Name: S3, IP: s3Address},
		{Name: ALB, IP: host(albs[0], 20)},
	}
	out := map[string]Endpoint{}
	for _, e := range eps {
		out[e.Name] = e
	}
	return out, nil
}

// PlatformPaths are the paths the platform intends open, and a set it
// intends closed.
func PlatformPaths() []Path {
	open := func(what, from, to, proto string, port int) Path {
		return Path{What: what, From: from, To: to, Proto: proto, Port: port, Open: true}
	}
	closed := func(what, from, to, proto string, port int) Path {
		return Path{What: what, From: from, To: to, Proto: proto, Port: port}
	}
	var out []Path
	for _, p := range []string{MLflow, ModelServer, TrainingA} {
		out = append(out,
			open("DNS", p, KubeDNS, "UDP", 53), open("DNS", p, KubeDNS, "TCP", 53),
			open("API server", p, APIServer, "TCP", 443))
	}
	return append(out,
		open("webhook", WebhookCaller, CertManager, "TCP", 10250),
		open("webhook", WebhookCaller, KServeWebhook, "TCP", 9443),
		open("webhook", WebhookCaller, LBCWebhook, "TCP", 9443),
		open("scrape", Prometheus, MLflow, "TCP", 5000),
		open("scrape", Prometheus, ModelServer, "TCP", 8080),
		open("scrape", Prometheus, TrainingA, "TCP", 8080),
		open("database", MLflow, RDS, "TCP", 5432),
		open("artifacts", MLflow, S3, "TCP", 443),
		open("model download", ModelServer, S3, "TCP", 443),
		open("UI", ALB, MLflow, "TCP", 5000),
		open("UI", ALB, Grafana, "TCP", 3000),
		open("inference", ALB, ModelServer, "TCP", 8080),
		open("tracking", TrainingA, MLflow, "TCP", 5000),
		open("tracking", ModelServer, MLflow, "TCP", 5000),
		open("in namespace", Transformer, ModelServer, "TCP", 8080),
		open("in namespace", TrainingA, TrainingB, "TCP", 29500),
		closed("user pod to MLflow", UserPod, MLflow, "TCP", 5000),
		closed("user pod to a model server", UserPod, ModelServer, "TCP", 8080),
		closed("user pod to training", UserPod, TrainingA, "TCP", 29500),
		closed("serving to training", ModelServer, TrainingA, "TCP", 29500),
		closed("training to serving", TrainingA, ModelServer, "TCP", 8080),
		closed("training to the database", TrainingA, RDS, "TCP", 5432),
		closed("serving to the database", ModelServer, RDS, "TCP", 5432),
		closed("MLflow to training", MLflow, TrainingA, "TCP", 8080),
		closed("ALB to training", ALB, TrainingA, "TCP", 8080),
		closed("ALB to MLflow's database port", ALB, MLflow, "TCP", 5432),
		closed("training to the internet over HTTP", TrainingA, S3, "TCP", 80),
	)
}

// Evaluate judges every path.
func (p Policies) Evaluate(eps map[string]Endpoint, paths []Path) ([]Row, error) {
	var out []Row
	for _, pa := range paths {
		from, ok := eps[pa.From]
		to, ok2 := eps[pa.To]
		if !ok || !ok2 {
			return nil, fmt.Errorf("path %s → %s: unknown endpoint", pa.From, pa.To)
		}
		got, by, err := p.Allowed(from, to, pa.Proto, pa.Port)
		if err != nil {
			return nil, err
		}
		out = append(out, Row{Path: pa, Got: got, By: by})
	}
	return out, nil
}

// Markdown renders rows as a table.
func Markdown(rows []Row) string {
	var b strings.Builder
	b.WriteString("| path | from | to | port | intended | derived | decided by |\n|---|---|---|---|---|---|---|\n")
	verdict := func(open bool) string {
		if open {
			return "open"
		}
		return "closed"
	}
	for _, r := range rows {
		by := r.By
		if by == "" {
			by = "no policy isolates either side"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s/%d | %s | %s | %s |\n", r.What, r.From, r.To, r.Proto, r.Port, verdict(r.Open), verdict(r.Got), by)
	}
	return b.String()
}
