package simdeploy

// Substitute is one part of a real cluster the simulation does not run,
// and what takes its place.
type Substitute struct {
	What, Instead string
}

// Substitutes lists, in one place, everything the simulated deploy
// stands in for or leaves out; the test prints it beside its results.
var Substitutes = []Substitute{
	{"the admission webhooks of every release (load balancer controller, cert-manager, KServe, Prometheus operator): kwok pods serve nothing, and a fail-closed webhook with no server refuses everything it sees",
		"each Validating/MutatingWebhookConfiguration is applied with its rules, selectors, failure policy and timeout as rendered, but its clientConfig points at an in-test HTTPS server (StandIn) that admits every request unchanged and counts them; the webhooks' own validation and mutation are not exercised (rendercheck's TestNoReleaseNeedsItsOwnWebhook checks the install-order problem they cause)"},
	{"the APIService v1beta1.metrics.k8s.io (metrics-server): its pod serves nothing, so the aggregated API stays unavailable",
		"applied last, after every release, so that no discovery during the deploy sees a failing group"},
	{"prometheus-operator: its Deployment runs, but as a kwok pod it reconciles nothing, so no Prometheus or Alertmanager StatefulSet appears",
		"OperatorWorkloads models the StatefulSets the operator makes from each Prometheus and Alertmanager resource; they are applied and judged like every other workload"},
	{"the EBS CSI driver (an EKS add-on and an AWS API) that provisions the gp3 volumes",
		"Provisioner creates a volume in the chosen node's zone for each claim the scheduler has placed, as the driver's external provisioner does; the PV controller binds it"},
	{"containers: kwok runs none",
		"kwok marks every scheduled pod Running and Ready and completes Job pods; images, probes, volume contents and what hook Jobs do (kube-webhook-certgen's certificates, cert-manager's startupapicheck, MLflow's database setup) are not checked"},
	{"the load balancers behind the Ingresses",
		"Ingresses are applied and admitted; no controller gives them an address and nothing waits for one"},
	{"EKS add-ons (VPC CNI, kube-proxy, CoreDNS, EBS CSI, CloudWatch agent)",
		"not deployed; the service accounts EKS creates for them are reported, not looked up"},
}
