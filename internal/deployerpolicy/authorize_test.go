package deployerpolicy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/engine"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/bastion"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// The deploying session as IAM sees it: its account and aws:userid.
const (
	testAccount = engine.AccountID
	testUserID  = "AROAEXAMPLEDEPLOYER:mlops"
	suffix      = "-1a2b3c4" // the random part of an autoname
)

// authorizer evaluates requests against every document of r, substituting
// the policy variables as IAM does for the deploying session.
func authorizer(t *testing.T, r *Result) func(iampolicy.Request) iampolicy.Decision {
	t.Helper()
	vars := strings.NewReplacer("${aws:PrincipalAccount}", testAccount, "${aws:userid}", testUserID)
	var docs []iampolicy.Document
	for _, p := range r.Policies {
		b, err := json.Marshal(p.Document)
		if err != nil {
			t.Fatal(err)
		}
		d, err := iampolicy.Parse([]byte(vars.Replace(string(b))))
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	return func(req iampolicy.Request) iampolicy.Decision {
		out := iampolicy.ImplicitDeny
		for _, d := range docs {
			got, err := d.Evaluate(req)
			if err != nil {
				t.Fatalf("%s: %v", req, err)
			}
			if got == iampolicy.ExplicitDeny {
				return got
			}
			if got == iampolicy.Allowed {
				out = got
			}
		}
		return out
	}
}

func build(t *testing.T, g *plan.Graph) *Result {
	t.Helper()
	r, err := Build(g, ManagedPolicyLimit)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func ctx(kv ...string) map[string][]string {
	m := map[string][]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = append(m[kv[i]], kv[i+1])
	}
	return m
}

// keyContext is what KMS sets for a request on one of the graph's keys:
// its aliases, and the provider's default tags it carries.
func keyContext(g *plan.Graph, withAliases bool) map[string][]string {
	m := map[string][]string{}
	if withAliases {
		for _, a := range g.ByType(typetoken.KMSAlias) {
			m["kms:ResourceAliases"] = append(m["kms:ResourceAliases"], a.Inputs["name"].(string))
		}
	}
	for _, p := range g.ByType(providerType) {
		for k, v := range p.StringMap("defaultTags.tags") {
			m["aws:ResourceTag/"+k] = []string{v}
		}
	}
	return m
}

// programRequests are the requests the provider makes for every resource
// of g, one per action of its row, on the resource the action names.
func programRequests(g *plan.Graph) []iampolicy.Request {
	var out []iampolicy.Request
	for _, r := range g.Resources {
		row, ok := Table[r.Type]
		if !ok {
			continue
		}
		for _, a := range row.All() {
			req := iampolicy.Request{Action: a, Resource: "arn:aws:" + strings.Split(a, ":")[0] + ":eu-west-1:" + testAccount + ":other"}
			switch {
			case strings.HasPrefix(a, "s3:"):
				name, _ := r.Inputs["bucket"].(string)
				if name == "" {
					name = r.Inputs["bucketPrefix"].(string) + "0a1b2c3d"
				}
				req.Resource = "arn:aws:s3:::" + name
			case r.Type == typetoken.Role && a == "iam:RemoveRoleFromInstanceProfile":
				// Deleting a role takes it out of its instance profiles, an
				// action on the profile (the reference's instance-profile row).
				p, ok := profileOf(g, r.Name)
				if !ok {
					continue
				}
				req.Resource = "arn:aws:iam::" + testAccount + ":instance-profile/" + p + suffix
			case r.Type == typetoken.Role && strings.HasPrefix(a, "iam:"):
				req.Resource = "arn:aws:iam::" + testAccount + ":role/" + r.Name + suffix
				req.Context = ctx("iam:PermissionsBoundary", r.Inputs["permissionsBoundary"].(string))
			case (r.Type == typetoken.RolePolicy || r.Type == typetoken.RolePolicyAttachment) && strings.HasPrefix(a, "iam:"):
				req.Resource = "arn:aws:iam::" + testAccount + ":role/" + r.Inputs["role"].(string) + suffix
				req.Context = ctx("iam:PermissionsBoundary", testBoundary(g))
				if a == "iam:AttachRolePolicy" {
					req.Context["iam:PolicyARN"] = []string{r.Inputs["policyArn"].(string)}
				}
			case r.Type == typetoken.InstanceProfile && strings.HasPrefix(a, "iam:"):
				req.Resource = "arn:aws:iam::" + testAccount + ":instance-profile/" + r.Name + suffix
			case r.Type == typetoken.SQSQueue || r.Type == typetoken.SQSQueuePolicy:
				// The queue policy's queueUrl is the queue's name here.
				name, _ := r.Inputs["name"].(string)
				if name == "" {
					name, _ = r.Inputs["queueUrl"].(string)
				}
				req.Resource = "arn:aws:sqs:eu-west-1:" + testAccount + ":" + name
			case r.Type == typetoken.EventRule || r.Type == typetoken.EventTarget:
				// A target is authorized on its rule, which it names.
				name, _ := r.Inputs["name"].(string)
				if r.Type == typetoken.EventTarget {
					name, _ = r.Inputs["rule"].(string)
				}
				req.Resource = "arn:aws:events:eu-west-1:" + testAccount + ":rule/" + name
				if a == "events:PutTargets" {
					req.Context = ctx("events:TargetArn", stackQueue(g))
				}
			case r.Type == typetoken.SSMDocument:
				req.Resource = "arn:aws:ssm:eu-west-1:" + testAccount + ":document/" + r.Inputs["name"].(string)
			case r.Type == typetoken.KMSAlias:
				req.Resource = "arn:aws:kms:eu-west-1:" + testAccount + ":" + r.Inputs["name"].(string)
			case r.Type == typetoken.KMSKey:
				req.Resource = "arn:aws:kms:eu-west-1:" + testAccount + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
				req.Context = keyContext(g, a != "kms:ScheduleKeyDeletion")
			}
			out = append(out, req)
		}
	}
	return out
}

// profileOf is the name of g's instance profile holding role.
func profileOf(g *plan.Graph, role string) (string, bool) {
	for _, p := range g.ByType(typetoken.InstanceProfile) {
		if p.Inputs["role"] == role {
			return p.Name, true
		}
	}
	return "", false
}

// stackQueue is the ARN of g's interruption queue.
func stackQueue(g *plan.Graph) string {
	for _, q := range g.ByType(typetoken.SQSQueue) {
		return "arn:aws:sqs:eu-west-1:" + testAccount + ":" + q.Inputs["name"].(string)
	}
	return ""
}

// TestDeployerCanMakeTheProgramsCalls evaluates, with internal/iampolicy,
// every call the provider makes for every resource of each stack, and the
// calls that depend on other resources: roles passed to the services that
// receive them (N3: the bastion's to EC2), the default EBS key used
// through EC2 for the bastion's root volume (N3), the data key through S3
// for the drill's artifact copy (N6), Session Manager for --tunnel (N7)
// and the emptying of forceDestroy buckets (N8).
func TestDeployerCanMakeTheProgramsCalls(t *testing.T) {
	for stack, g := range stackGraphs(t) {
		allow := authorizer(t, build(t, g))
		reqs := programRequests(g)
		prod := !strings.HasPrefix(stack, "dev")
		via := func(svc string) string { return svc + ".eu-west-1.amazonaws.com" }
		key := "arn:aws:kms:eu-west-1:" + testAccount + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
		role := func(n string) string { return "arn:aws:iam::" + testAccount + ":role/" + n + suffix }
		env := "mlops-platform-" + strings.Split(stack, "+")[0]
		pass := map[string]string{"cluster-role": "eks", "nodes-node-role": "eks", "logs-flow-logs": "vpc-flow-logs", "database-monitoring": "monitoring.rds"}
		if prod {
			pass["bastion-role"] = "ec2"
		}
		for name, svc := range pass {
			reqs = append(reqs, iampolicy.Request{Action: "iam:PassRole", Resource: role(name), Context: ctx("iam:PassedToService", svc+".amazonaws.com")})
		}
		for _, a := range []string{"kms:Decrypt", "kms:GenerateDataKey"} {
			reqs = append(reqs, iampolicy.Request{Action: a, Resource: key, Context: ctx("kms:ViaService", via("s3"), "kms:ResourceAliases", "alias/"+env+"-keys-data")})
		}
		if prod {
			for _, a := range []string{"kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"} {
				reqs = append(reqs, iampolicy.Request{Action: a, Resource: key, Context: ctx("kms:ViaService", via("ec2"))})
			}
			reqs = append(reqs,
				// root_block_device set: the provider reads the AMI's root device name.
				iampolicy.Request{Action: "ec2:DescribeImages", Resource: "arn:aws:ec2:eu-west-1::image/ami-0123456789abcdef0"},
				iampolicy.Request{Action: "kms:CreateGrant", Resource: key, Context: ctx("kms:ViaService", via("ec2"), "kms:GrantIsForAWSResource", "true")},
				iampolicy.Request{Action: "ssm:StartSession", Resource: "arn:aws:ec2:eu-west-1:" + testAccount + ":instance/i-0123456789abcdef0",
					Context: ctx("ssm:resourceTag/Name", env+"-bastion", "ssm:SessionDocumentAccessCheck", "true")},
				iampolicy.Request{Action: "ssm:StartSession", Resource: "arn:aws:ssm:eu-west-1:" + testAccount + ":document/" + bastion.TunnelDocumentName(env)},
				iampolicy.Request{Action: "ssm:StartSession", Resource: "arn:aws:ssm:eu-west-1:" + testAccount + ":document/" + bastion.DrillDocumentName(env)},
				// A session's ID starts with the role session name; Session
				// Manager tags it with the starter's aws:userid.
				iampolicy.Request{Action: "ssm:TerminateSession", Resource: "arn:aws:ssm:eu-west-1:" + testAccount + ":session/mlops-0a1b2c3d4e5f",
					Context: ctx("ssm:resourceTag/aws:ssmmessages:session-id", testUserID)},
				iampolicy.Request{Action: "ssm:ResumeSession", Resource: "arn:aws:ssm:eu-west-1:" + testAccount + ":session/mlops-0a1b2c3d4e5f",
					Context: ctx("ssm:resourceTag/aws:ssmmessages:session-id", testUserID)})
		} else {
			for _, b := range []string{env + "-access-logs-" + testAccount, env + "-artifacts-0a1b2c3d"} {
				reqs = append(reqs,
					iampolicy.Request{Action: "s3:ListBucketVersions", Resource: "arn:aws:s3:::" + b},
					iampolicy.Request{Action: "s3:DeleteObjectVersion", Resource: "arn:aws:s3:::" + b + "/AWSLogs/x"},
					iampolicy.Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::" + b + "/AWSLogs/x"})
			}
		}
		for _, req := range reqs {
			if got := allow(req); got != iampolicy.Allowed {
				t.Errorf("%s: %s: %s", stack, req, got)
			}
		}
		t.Logf("%s: %d calls allowed", stack, len(reqs))
	}
}

// TestDeployerCannotGrantItselfMore tries what an admin-equivalent policy
// allows and this one must not (N9).
func TestDeployerCannotGrantItselfMore(t *testing.T) {
	g := stackGraphs(t)["prod"]
	allow := authorizer(t, build(t, g))
	self := "arn:aws:iam::" + testAccount + ":role/platform-deployer"
	own := "arn:aws:iam::" + testAccount + ":role/cluster-role" + suffix
	admin := "arn:aws:iam::aws:policy/AdministratorAccess"
	otherKey := "arn:aws:kms:eu-west-1:" + testAccount + ":key/0000aaaa-12ab-34cd-56ef-1234567890ab"
	rule := "arn:aws:events:eu-west-1:" + testAccount + ":rule/mlops-platform-prod-spot"
	for _, c := range []struct {
		name string
		req  iampolicy.Request
	}{
		{"attach AdministratorAccess to its own role", iampolicy.Request{Action: "iam:AttachRolePolicy", Resource: self, Context: ctx("iam:PolicyARN", admin)}},
		{"attach AdministratorAccess to a platform role", iampolicy.Request{Action: "iam:AttachRolePolicy", Resource: own, Context: ctx("iam:PolicyARN", admin)}},
		{"put an inline policy on its own role", iampolicy.Request{Action: "iam:PutRolePolicy", Resource: self}},
		{"rewrite its own role's trust", iampolicy.Request{Action: "iam:UpdateAssumeRolePolicy", Resource: self}},
		{"create a role outside the stack's names", iampolicy.Request{Action: "iam:CreateRole", Resource: "arn:aws:iam::" + testAccount + ":role/backdoor"}},
		{"pass its own role to EC2", iampolicy.Request{Action: "iam:PassRole", Resource: self, Context: ctx("iam:PassedToService", "ec2.amazonaws.com")}},
		{"rewrite the account's shell preferences document", iampolicy.Request{Action: "ssm:UpdateDocument", Resource: "arn:aws:ssm:eu-west-1:" + testAccount + ":document/SSM-SessionManagerRunShell"}},
		{"create a Session document of another name", iampolicy.Request{Action: "ssm:CreateDocument", Resource: "arn:aws:ssm:eu-west-1:" + testAccount + ":document/any-host-forward"}},
		{"put a policy on another key", iampolicy.Request{Action: "kms:PutKeyPolicy", Resource: otherKey, Context: ctx("kms:ResourceAliases", "alias/other")}},
		{"put a policy on a key without aliases", iampolicy.Request{Action: "kms:PutKeyPolicy", Resource: otherKey}},
		{"schedule another key's deletion", iampolicy.Request{Action: "kms:ScheduleKeyDeletion", Resource: otherKey, Context: ctx("aws:ResourceTag/Project", "mlops-platform")}},
		{"schedule the dev stack's key's deletion", iampolicy.Request{Action: "kms:ScheduleKeyDeletion", Resource: otherKey, Context: keyContext(stackGraphs(t)["dev"], true)}},
		{"point another alias at a key", iampolicy.Request{Action: "kms:UpdateAlias", Resource: "arn:aws:kms:eu-west-1:" + testAccount + ":alias/aws/ebs"}},
		{"put a bucket policy on another bucket", iampolicy.Request{Action: "s3:PutBucketPolicy", Resource: "arn:aws:s3:::someone-elses-bucket"}},
		{"delete another bucket", iampolicy.Request{Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::mlops-platform-dev-artifacts-0a1b2c3d"}},
		{"empty prod's log bucket, which keeps forceDestroy off", iampolicy.Request{Action: "s3:DeleteObjectVersion", Resource: "arn:aws:s3:::mlops-platform-prod-access-logs-" + testAccount + "/AWSLogs/x"}},
		{"delete artifacts outside the drill's prefix", iampolicy.Request{Action: "s3:DeleteObjectVersion", Resource: "arn:aws:s3:::mlops-platform-prod-artifacts-0a1b2c3d/models/m"}},
		{"start a session on another instance", iampolicy.Request{Action: "ssm:StartSession", Resource: "arn:aws:ec2:eu-west-1:" + testAccount + ":instance/i-0fedcba9876543210", Context: ctx("ssm:resourceTag/Name", "db-admin-host")}},
		{"terminate someone else's session", iampolicy.Request{Action: "ssm:TerminateSession", Resource: "arn:aws:ssm:eu-west-1:" + testAccount + ":session/alice-0a1b2c3d4e5f",
			Context: ctx("ssm:resourceTag/aws:ssmmessages:session-id", "AROAOTHER:alice")}},
		{"terminate a session of the same session name started by another role", iampolicy.Request{Action: "ssm:TerminateSession",
			Resource: "arn:aws:ssm:eu-west-1:" + testAccount + ":session/mlops-0a1b2c3d4e5f", Context: ctx("ssm:resourceTag/aws:ssmmessages:session-id", "AROAOTHER:mlops")}},
		{"delete another queue", iampolicy.Request{Action: "sqs:DeleteQueue", Resource: "arn:aws:sqs:eu-west-1:" + testAccount + ":someone-elses-queue"}},
		{"rewrite the dev stack's queue policy", iampolicy.Request{Action: "sqs:SetQueueAttributes", Resource: "arn:aws:sqs:eu-west-1:" + testAccount + ":mlops-platform-dev"}},
		{"point another rule at a target", iampolicy.Request{Action: "events:PutTargets", Resource: "arn:aws:events:eu-west-1:" + testAccount + ":rule/someone-elses-rule"}},
		{"point the stack's rule at another target", iampolicy.Request{Action: "events:PutTargets", Resource: rule,
			Context: ctx("events:TargetArn", "arn:aws:lambda:eu-west-1:"+testAccount+":function:exfiltrate")}},
		{"point the stack's rule at its queue and another target", iampolicy.Request{Action: "events:PutTargets", Resource: rule,
			Context: map[string][]string{"events:TargetArn": {stackQueue(g), "arn:aws:sqs:eu-west-1:" + testAccount + ":someone-elses-queue"}}}},
		{"overwrite the dev stack's rule in a shared account", iampolicy.Request{Action: "events:PutRule", Resource: devRule(t)}},
		{"delete another rule", iampolicy.Request{Action: "events:DeleteRule", Resource: "arn:aws:events:eu-west-1:" + testAccount + ":rule/someone-elses-rule"}},
		{"grant the data key to itself through no service", iampolicy.Request{Action: "kms:CreateGrant", Resource: otherKey}},
	} {
		if got := allow(c.req); got == iampolicy.Allowed {
			t.Errorf("%s: %s is allowed", c.name, c.req)
		}
	}
}

// devRule is the ARN of the dev stack's spot-interruption rule: its name,
// or its logical name and the suffix Pulumi's auto-naming adds.
func devRule(t *testing.T) string {
	for _, r := range stackGraphs(t)["dev"].ByType(typetoken.EventRule) {
		if strings.HasSuffix(r.Name, "-spot") || strings.HasSuffix(r.Name, "-spot-interruption") {
			name, _ := r.Inputs["name"].(string)
			if name == "" {
				name = r.Name + suffix
			}
			return "arn:aws:events:eu-west-1:" + testAccount + ":rule/" + name
		}
	}
	t.Fatal("dev declares no spot-interruption rule")
	return ""
}
