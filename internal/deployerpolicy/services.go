package deployerpolicy

import (
	"slices"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// passRoleTargets are the services the program hands roles to, by the
// resource type that hands them over: the bastion's instance profile and
// RunInstances pass its role to EC2 (N3).
var passRoleTargets = map[string]string{
	typetoken.Cluster:         "eks",
	typetoken.NodeGroup:       "eks",
	typetoken.FlowLog:         "vpc-flow-logs",
	typetoken.DBInstance:      "monitoring.rds",
	typetoken.EC2Instance:     "ec2",
	typetoken.InstanceProfile: "ec2",
}

// serviceLinkedRoles are the service-linked roles AWS creates, with the
// caller's permission, the first time a type is used in an account.
var serviceLinkedRoles = map[string][]string{
	typetoken.Cluster:    {"eks"},
	typetoken.NodeGroup:  {"eks-nodegroup", "autoscaling"},
	typetoken.DBInstance: {"rds"},
}

// keyUsers are the services that use the program's KMS keys with the
// caller's permissions: EKS secrets encryption, RDS storage and its
// managed secret, encrypted log groups, and EC2 for the bastion's root
// volume, which the account's default EBS key (the data key) encrypts.
var keyUsers = map[string][]string{
	typetoken.Cluster:     {"eks"},
	typetoken.DBInstance:  {"rds", "secretsmanager"},
	typetoken.LogGroup:    {"logs"},
	typetoken.EC2Instance: {"ec2"},
}

// ebsKeyActions are what the caller of RunInstances needs on the key of an
// encrypted volume (EBS guide, "Requirements for Amazon EBS encryption":
// CreateGrant, Decrypt, DescribeKey, GenerateDataKeyWithoutPlaintext,
// ReEncrypt*).
var ebsKeyActions = []string{"kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"}

// serviceStatements pass the graph's roles to the services that receive
// them, let AWS create the service-linked roles the types need, and use
// the platform's keys through the services that encrypt with them.
func serviceStatements(g *plan.Graph, e env, types []string) []iampolicy.Statement {
	var out []iampolicy.Statement
	var passedTo, linked, via []string
	for _, t := range types {
		if s, ok := passRoleTargets[t]; ok {
			passedTo = append(passedTo, s)
		}
		linked = append(linked, serviceLinkedRoles[t]...)
		via = append(via, keyUsers[t]...)
	}
	if roles := roleARNs(g, e); len(roles) > 0 && len(passedTo) > 0 {
		s := iampolicy.Allow("PassPlatformRoles", []string{"iam:PassRole"}, roles)
		s.Condition = map[string]map[string]any{"StringEquals": {"iam:PassedToService": e.principals(passedTo)}}
		out = append(out, s)
	}
	if len(linked) > 0 {
		s := iampolicy.Allow("CreateServiceLinkedRoles", []string{"iam:CreateServiceLinkedRole"}, []string{e.arn("iam", "", "role/aws-service-role/*")})
		s.Condition = map[string]map[string]any{"StringEquals": {"iam:AWSServiceName": e.principals(linked)}}
		out = append(out, s)
	}
	if !slices.Contains(types, typetoken.KMSKey) || len(via) == 0 {
		return out
	}
	var vias []string
	for _, s := range uniqueSorted(via) {
		vias = append(vias, e.via(s))
	}
	use := iampolicy.Allow("UseKeysThroughServices", []string{"kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"}, []string{"*"})
	use.Condition = map[string]map[string]any{"StringEquals": {"kms:ViaService": vias}}
	grant := iampolicy.Allow("GrantKeysToServices", []string{"kms:CreateGrant"}, []string{"*"})
	grant.Condition = map[string]map[string]any{"StringEquals": {"kms:ViaService": vias}, "Bool": {"kms:GrantIsForAWSResource": "true"}}
	out = append(out, use, grant)
	if slices.Contains(via, "ec2") {
		s := iampolicy.Allow("EncryptVolumesThroughEC2", ebsKeyActions, []string{"*"})
		s.Condition = map[string]map[string]any{"StringEquals": {"kms:ViaService": []string{e.via("ec2")}}}
		out = append(out, s)
	}
	return out
}

// bastionTagKey is the tag the bastion carries that StartSession is
// scoped by.
const bastionTagKey = "Name"

// defaultShellDocument is the document Session Manager runs when a
// StartSession names none: a shell as ssm-user.
const defaultShellDocument = "SSM-SessionManagerRunShell"

// tunnelStatements let `--tunnel` and the DR drill start sessions on the
// bastion with the platform's own Port documents only, and end or resume
// the caller's own sessions (Session Manager guide, "Sample IAM
// policies"; review N11). The instance is identified by the Name tag the
// graph gives the bastion. ssm:SessionDocumentAccessCheck makes Session
// Manager check the document against this policy even when the request
// names none (the default shell), and an explicit Deny refuses that
// shell whatever another policy of the caller grants.
//
// A session's ID starts with the role session name, not the aws:userid
// ("<role ID>:<session name>") of an assumed role, so
// session/${aws:userid}-* would match none of the deployer's sessions:
// Session Manager tags each session with its starter's aws:userid
// (Session Manager guide, "Additional sample IAM policies", ending only
// the sessions a federated user started).
func tunnelStatements(g *plan.Graph, e env) []iampolicy.Statement {
	var names, docs []string
	for _, i := range g.ByType(typetoken.EC2Instance) {
		if n := i.Tags()[bastionTagKey]; n != "" {
			names = append(names, n)
		}
	}
	for _, d := range g.ByType(typetoken.SSMDocument) {
		if d.String("documentType") == "Session" && d.DeclaredName() != "" {
			docs = append(docs, e.arn("ssm", e.region, "document/"+d.DeclaredName()))
		}
	}
	if len(names) == 0 || len(docs) == 0 {
		return nil
	}
	start := iampolicy.Allow("StartSessionOnBastion", []string{"ssm:StartSession"}, []string{e.arn("ec2", e.region, "instance/*")})
	start.Condition = map[string]map[string]any{
		"StringEquals": {"ssm:resourceTag/" + bastionTagKey: uniqueSorted(names)},
		// A policy-only key, absent from the request: BoolIfExists, as
		// in the Session Manager guide's "Enforce a session document
		// permission check for the AWS CLI".
		"BoolIfExists": {"ssm:SessionDocumentAccessCheck": "true"},
	}
	shell := iampolicy.Statement{Sid: "DenyDefaultShell", Effect: "Deny", Action: []string{"ssm:StartSession"},
		Resource: []string{"arn:" + e.partition + ":ssm:*:*:document/" + defaultShellDocument}}
	end := iampolicy.Allow("EndOwnSessions", []string{"ssm:TerminateSession", "ssm:ResumeSession"}, []string{e.arn("ssm", "*", "session/*")})
	end.Condition = map[string]map[string]any{"StringEquals": {"ssm:resourceTag/aws:ssmmessages:session-id": "${aws:userid}"}}
	return []iampolicy.Statement{
		start,
		iampolicy.Allow("StartPlatformSessionDocuments", []string{"ssm:StartSession"}, uniqueSorted(docs)),
		shell,
		end,
	}
}
