package iamreplay

import "github.com/mlops-platform/mlops-platform/internal/typetoken"

// serviceLinkedRole is a service-linked role AWS creates with the
// caller's permissions the first time the caller uses the service in the
// account: its service and name, under /aws-service-role/<service>/.
type serviceLinkedRole struct{ service, name string }

// serviceLinked are the service-linked roles a create makes AWS create
// (IAM user guide, "AWS services that work with IAM", and each service's
// "Using service-linked roles": EKS clusters, EKS managed node groups and
// the Auto Scaling groups they run, RDS instances).
var serviceLinked = map[string][]serviceLinkedRole{
	typetoken.Cluster:    {{"eks", "AWSServiceRoleForAmazonEKS"}},
	typetoken.NodeGroup:  {{"eks-nodegroup", "AWSServiceRoleForAmazonEKSNodegroup"}, {"autoscaling", "AWSServiceRoleForAutoScaling"}},
	typetoken.DBInstance: {{"rds", "AWSServiceRoleForRDS"}},
}

// serviceLinkedRoles are the iam:CreateServiceLinkedRole authorizations
// of a create, for the roles the replay has not seen created yet (the
// replay starts from an account that has none).
func (r *Replayer) serviceLinkedRoles(op ProviderOp) []Authorization {
	if op.Step != StepCreate {
		return nil
	}
	var out []Authorization
	for _, l := range serviceLinked[op.Type] {
		principal := l.service + "." + r.dnsSuffix()
		arn := r.arn("iam", "", r.Account, "role/aws-service-role/"+principal+"/"+l.name)
		if r.known.linked[arn] {
			continue
		}
		if r.known.linked == nil {
			r.known.linked = map[string]bool{}
		}
		r.known.linked[arn] = true
		a := one("iam:CreateServiceLinkedRole", "role", arn)
		a.Context = map[string][]string{"iam:AWSServiceName": {principal}}
		out = append(out, a)
	}
	return out
}
