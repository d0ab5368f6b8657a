package identity

import (
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
)

// OwnershipTag is the tag the AWS Load Balancer Controller puts on every
// load balancer, target group and security group it creates; its
// permissions to change or delete a resource hinge on it.
const OwnershipTag = "elbv2.k8s.aws/cluster"

// loadBalancerControllerPolicy is upstream's policy for the pinned
// controller (v2.17.1, third_party/reference/iam), statement for statement,
// with two deliberate differences (see TestLoadBalancerControllerCoversUpstream):
//   - upstream's "*" region and account in resource ARNs are this stack's
//     region and account, and its "arn:aws:" is the stack's partition;
//   - two Deny statements keep the ownership tag: it can be set only when
//     a load balancer, target group or security group is created, and
//     never removed. Upstream conditions AddTags/RemoveTags on
//     aws:RequestTag, which a remove request never carries, so upstream
//     lets the controller remove the tag from a resource it owns.
//
// size: one policy document, statement by statement as upstream writes
// it (reviewed against the vendored reference); splitting it would scatter
// the comparison.
func loadBalancerControllerPolicy(args *Args) iampolicy.Document {
	arn := func(service, resource string) string {
		return fmt.Sprintf("arn:%s:%s:%s:%s:%s", args.Partition, service, args.Region, args.AccountID, resource)
	}
	requestTag, resourceTag := "aws:RequestTag/"+OwnershipTag, "aws:ResourceTag/"+OwnershipTag
	securityGroups := []string{arn("ec2", "security-group/*")}
	balancers := []string{arn("elasticloadbalancing", "targetgroup/*/*"),
		arn("elasticloadbalancing", "loadbalancer/net/*/*"), arn("elasticloadbalancing", "loadbalancer/app/*/*")}
	with := func(s iampolicy.Statement, c map[string]map[string]any) iampolicy.Statement {
		s.Condition = c
		return s
	}
	ownedOnly := map[string]map[string]any{"Null": {resourceTag: "false"}}
	taggedAtCreate := map[string]map[string]any{"Null": {requestTag: "false"}}
	retagOwned := map[string]map[string]any{"Null": {requestTag: "true", resourceTag: "false"}}
	return iampolicy.New(
		with(iampolicy.Allow("ServiceLinkedRole", []string{"iam:CreateServiceLinkedRole"}, []string{"*"}),
			map[string]map[string]any{"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}}),
		iampolicy.Allow("Describe", []string{
			"ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
			"ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
			"ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
			"ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
			"ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:DescribeRouteTables",
			"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
			"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
			"elasticloadbalancing:DescribeSSLPolicies", "elasticloadbalancing:DescribeRules",
			"elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
			"elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
			"elasticloadbalancing:DescribeTrustStores", "elasticloadbalancing:DescribeListenerAttributes",
			"elasticloadbalancing:DescribeCapacityReservation",
		}, []string{"*"}),
		iampolicy.Allow("CertificatesAndFirewalls", []string{
			"cognito-idp:DescribeUserPoolClient", "acm:ListCertificates", "acm:DescribeCertificate",
			"iam:ListServerCertificates", "iam:GetServerCertificate",
			"waf-regional:GetWebACL", "waf-regional:GetWebACLForResource", "waf-regional:AssociateWebACL", "waf-regional:DisassociateWebACL",
			"wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL",
			"shield:GetSubscriptionState", "shield:DescribeProtection", "shield:CreateProtection", "shield:DeleteProtection",
		}, []string{"*"}),
		// Opening any security group to the ALB, the cluster's included
		// (target-type ip registers pods behind the cluster security group).
		iampolicy.Allow("SecurityGroupIngress", []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"}, []string{"*"}),
		iampolicy.Allow("CreateSecurityGroup", []string{"ec2:CreateSecurityGroup"}, []string{"*"}),
		with(iampolicy.Allow("TagSecurityGroupAtCreate", []string{"ec2:CreateTags"}, securityGroups),
			map[string]map[string]any{"StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"}, "Null": {requestTag: "false"}}),
		with(iampolicy.Allow("RetagOwnedSecurityGroups", []string{"ec2:CreateTags", "ec2:DeleteTags"}, securityGroups), retagOwned),
		with(iampolicy.Allow("ManageOwnedSecurityGroups", []string{
			"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup",
		}, []string{"*"}), ownedOnly),
		with(iampolicy.Allow("CreateTagged", []string{
			"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup",
		}, []string{"*"}), taggedAtCreate),
		iampolicy.Allow("ListenersAndRules", []string{
			"elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
			"elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule",
		}, []string{"*"}),
		with(iampolicy.Allow("RetagOwned", []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"}, balancers), retagOwned),
		iampolicy.Allow("TagListenersAndRules", []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"}, []string{
			arn("elasticloadbalancing", "listener/net/*/*/*"), arn("elasticloadbalancing", "listener/app/*/*/*"),
			arn("elasticloadbalancing", "listener-rule/net/*/*/*"), arn("elasticloadbalancing", "listener-rule/app/*/*/*"),
		}),
		with(iampolicy.Allow("ManageOwned", []string{
			"elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
			"elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
			"elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
			"elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
			"elasticloadbalancing:ModifyListenerAttributes", "elasticloadbalancing:ModifyCapacityReservation",
			"elasticloadbalancing:ModifyIpPools",
		}, []string{"*"}), ownedOnly),
		with(iampolicy.Allow("TagAtCreate", []string{"elasticloadbalancing:AddTags"}, balancers),
			map[string]map[string]any{
				"StringEquals": {"elasticloadbalancing:CreateAction": []string{"CreateTargetGroup", "CreateLoadBalancer"}},
				"Null":         {requestTag: "false"},
			}),
		iampolicy.Allow("Targets", []string{"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"},
			[]string{arn("elasticloadbalancing", "targetgroup/*/*")}),
		iampolicy.Allow("ListenerSettings", []string{
			"elasticloadbalancing:SetWebAcl", "elasticloadbalancing:ModifyListener",
			"elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
			"elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
		}, []string{"*"}),
		keepOwnershipTag("KeepOwnershipTag", []string{"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"},
			balancers, "elasticloadbalancing:CreateAction"),
		keepOwnershipTag("KeepSecurityGroupOwnershipTag", []string{"ec2:CreateTags", "ec2:DeleteTags"},
			securityGroups, "ec2:CreateAction"),
		// ec2:DeleteTags without keys deletes every tag, the ownership tag included.
		with(iampolicy.Statement{Sid: "NoDeleteAllTags", Effect: "Deny", Action: []string{"ec2:DeleteTags"}, Resource: securityGroups},
			map[string]map[string]any{"Null": {"aws:TagKeys": "true"}}),
	)
}

// keepOwnershipTag denies setting or removing the ownership tag except in
// the request that creates the resource (createKey is then present).
func keepOwnershipTag(sid string, actions, resources []string, createKey string) iampolicy.Statement {
	return iampolicy.Statement{
		Sid: sid, Effect: "Deny", Action: actions, Resource: resources,
		Condition: map[string]map[string]any{
			"ForAnyValue:StringEquals": {"aws:TagKeys": []string{OwnershipTag}},
			"Null":                     {createKey: "true"},
		},
	}
}
