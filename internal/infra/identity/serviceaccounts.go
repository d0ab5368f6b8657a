package identity

// ServiceAccount names one Kubernetes service account that assumes an IAM
// role through IRSA. The in-cluster layer creates the account with these
// exact names; the role's trust is conditioned on them.
type ServiceAccount struct {
	Namespace string
	Name      string
}

// Subject is the OIDC "sub" claim Kubernetes issues for the account.
func (s ServiceAccount) Subject() string {
	return "system:serviceaccount:" + s.Namespace + ":" + s.Name
}

// The service accounts of the platform that call AWS.
var (
	MLflowServiceAccount = ServiceAccount{Namespace: "mlflow", Name: "mlflow"}
	// MLflowDBSetupServiceAccount runs the Job that creates MLflow's
	// database role.
	MLflowDBSetupServiceAccount     = ServiceAccount{Namespace: "mlflow", Name: "mlflow-db-setup"}
	KServeServiceAccount            = ServiceAccount{Namespace: "serving", Name: "kserve-models"}
	LoadBalancerControllerAccount   = ServiceAccount{Namespace: "kube-system", Name: "aws-load-balancer-controller"}
	EBSCSIControllerServiceAccount  = ServiceAccount{Namespace: "kube-system", Name: "ebs-csi-controller-sa"}
	ClusterAutoscalerServiceAccount = ServiceAccount{Namespace: "kube-system", Name: "cluster-autoscaler"}
	CloudWatchAgentServiceAccount   = ServiceAccount{Namespace: "amazon-cloudwatch", Name: "cloudwatch-agent"}
	// AlertmanagerServiceAccount runs kube-prometheus-stack's Alertmanager.
	AlertmanagerServiceAccount = ServiceAccount{Namespace: "monitoring", Name: "alertmanager"}
	// VpcCniServiceAccount is the VPC CNI's aws-node DaemonSet.
	VpcCniServiceAccount = ServiceAccount{Namespace: "kube-system", Name: "aws-node"}
)
