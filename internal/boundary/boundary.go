// Package boundary owns the platform's permissions boundary: the one
// customer managed policy per stack that every IAM role the program
// creates carries as its permissionsBoundary, and so the most any of those
// roles may ever do, whatever policies are later put on it.
//
// The boundary is what makes delegated role creation safe (IAM user
// guide, "Permissions boundaries for IAM entities"): the deploying role
// may create and change the platform's roles only with this boundary set
// (internal/deployerpolicy), so a deployer that puts an administrator policy on
// a platform role still gets no more than the boundary allows through it.
//
// Its content is derived from what the roles need:
//   - every service an AWS managed policy the program attaches uses is
//     allowed service-wide (ManagedPolicies), because AWS revises those
//     policies and a boundary pinned to today's actions would break the
//     nodes or the control plane on AWS's next revision;
//   - every other action is allowed exactly as the program's inline
//     policies name it, and the actions of IAM, KMS and STS only ever
//     exactly: no platform role may write IAM, administer a key or assume
//     another role.
//
// The boundary is not a Pulumi resource. A deploying role that could
// create or rewrite it could widen it and then use any platform role
// beyond it, so an account administrator creates it (from `mlops
// deployer-policy`) together with the deploying role, and the deployer
// policy denies every write to it.
package boundary

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
)

// Name is the name of the boundary policy of the stack whose cluster is
// cluster.
func Name(cluster string) string { return cluster + "-permissions-boundary" }

// ARN is the boundary policy's ARN in account and partition.
func ARN(partition, account, cluster string) string {
	return "arn:" + partition + ":iam::" + account + ":policy/" + Name(cluster)
}

// ManagedPolicies are the AWS managed policies the program attaches to its
// roles, by name (the last segment of the ARN), and the service prefixes
// their documents use, from the AWS Managed Policy Reference
// (docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html;
// AmazonEKSClusterPolicy read at v10). IAM, KMS and STS actions are listed
// exactly, never as a service. A row errs on the side of more (the cluster
// policy's kms:CreateGrant): too little breaks a workload at run time,
// too much only widens the bound. Attaching a policy
// without a row here fails the deployer policy until the row is reviewed.
var ManagedPolicies = map[string][]string{
	"AmazonEKSClusterPolicy": {"autoscaling", "ec2", "elasticloadbalancing",
		"iam:CreateServiceLinkedRole", "kms:CreateGrant", "kms:DescribeKey"},
	"AmazonEKSWorkerNodePolicy":          {"ec2", "eks", "eks-auth"},
	"AmazonEC2ContainerRegistryReadOnly": {"ecr"},
	"AmazonEC2ContainerRegistryPullOnly": {"ecr"},
	"AmazonEKS_CNI_Policy":               {"ec2"},
	"AmazonEBSCSIDriverPolicy":           {"ec2"},
	"AmazonSSMManagedInstanceCore":       {"ssm", "ssmmessages", "ec2messages"},
	"CloudWatchAgentServerPolicy":        {"cloudwatch", "ec2", "logs", "ssm", "xray"},
	"AmazonRDSEnhancedMonitoringRole":    {"logs"},
}

// exactOnly are the services the boundary never grants service-wide.
var exactOnly = map[string]bool{"iam": true, "kms": true, "sts": true}

// Document derives the boundary from the managed policies the program
// attaches (by ARN or name) and its inline policy documents. It fails on a
// managed policy without a reviewed row.
func Document(managed []string, inline []iampolicy.Document) (iampolicy.Document, error) {
	services, actions := map[string]bool{}, map[string]bool{}
	add := func(a string) {
		svc, _, ok := strings.Cut(a, ":")
		if !ok {
			services[a] = true
			return
		}
		if exactOnly[strings.ToLower(svc)] || !services[strings.ToLower(svc)] {
			actions[a] = true
		}
	}
	for _, m := range managed {
		name := m[strings.LastIndex(m, "/")+1:]
		row, ok := ManagedPolicies[name]
		if !ok {
			return iampolicy.Document{}, fmt.Errorf("permissions boundary: no reviewed row in internal/boundary for the managed policy %s", m)
		}
		for _, s := range row {
			add(s)
		}
	}
	// iam:PassRole stays on the roles the inline policies pass (Karpenter's
	// node role): on "*", a platform role given more could hand any role,
	// the deployer's included, to a service.
	passable := map[string]bool{}
	for _, d := range inline {
		for _, s := range d.Statement {
			if s.Effect != "Allow" {
				continue
			}
			for _, a := range s.Action {
				if strings.EqualFold(a, "iam:PassRole") {
					for _, r := range s.Resource {
						passable[r] = true
					}
					continue
				}
				add(a)
			}
		}
	}
	var wide, exact []string
	for s := range services {
		if exactOnly[s] {
			return iampolicy.Document{}, fmt.Errorf("permissions boundary: %s may not be granted service-wide", s)
		}
		wide = append(wide, s+":*")
	}
	for a := range actions {
		svc, _, _ := strings.Cut(a, ":")
		if !services[strings.ToLower(svc)] || exactOnly[strings.ToLower(svc)] {
			exact = append(exact, a)
		}
	}
	sort.Strings(wide)
	sort.Strings(exact)
	var out []iampolicy.Statement
	if len(wide) > 0 {
		out = append(out, iampolicy.Allow("ManagedPolicyServices", wide, []string{"*"}))
	}
	if len(exact) > 0 {
		out = append(out, iampolicy.Allow("InlinePolicyActions", exact, []string{"*"}))
	}
	if len(passable) > 0 {
		roles := make([]string, 0, len(passable))
		for r := range passable {
			roles = append(roles, r)
		}
		sort.Strings(roles)
		out = append(out, iampolicy.Allow("PassOnlyPlatformRoles", []string{"iam:PassRole"}, roles))
	}
	return iampolicy.New(out...), nil
}
