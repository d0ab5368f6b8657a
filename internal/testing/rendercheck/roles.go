package rendercheck

// UnusedRoles are IRSA roles a stack declares that nothing assumes yet,
// keyed "stack/role", each with its reason; the tests that look for each
// role's service account skip these and fail when one comes into use.
var UnusedRoles = map[string]string{
	"dev/irsa-cloudwatch-agent": "dev sets containerInsights=false, so no amazon-cloudwatch-observability add-on creates amazon-cloudwatch/cloudwatch-agent; the identity component declares every role regardless (not fixed here: it changes the AWS layer's outputs)",
}
