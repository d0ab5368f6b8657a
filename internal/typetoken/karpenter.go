package typetoken

// Karpenter's custom resources (karpenter-crd 1.14.1) and the AWS resources
// of its interruption handling.
const (
	NodePool     = "kubernetes:karpenter.sh/v1:NodePool"
	EC2NodeClass = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"

	SQSQueue       = "aws:sqs/queue:Queue"
	SQSQueuePolicy = "aws:sqs/queuePolicy:QueuePolicy"
	EventRule      = "aws:cloudwatch/eventRule:EventRule"
	EventTarget    = "aws:cloudwatch/eventTarget:EventTarget"
	EC2Tag         = "aws:ec2/tag:Tag"
)

// ConfigMap holds the GPU dashboard Grafana's sidecar provisions.
const ConfigMap = "kubernetes:core/v1:ConfigMap"
