# IAM and IRSA controls: reference rows 10-13.
package mlops.guardrails.iam

import data.mlops.guardrails.lib

roles := lib.by_type("aws:iam/role:Role")

role_policies := lib.by_type("aws:iam/rolePolicy:RolePolicy")

# Row 10: trust policies. Web-identity trust pins the service account and
# the audience; no role trusts the "*" principal.
checked contains lib.check(10, r.urn) if some r in roles

deny contains lib.fail(10, r.urn, sprintf("statement %d trusts the \"*\" principal: name the service, account or OIDC provider", [i])) if {
	some r in roles
	some i, s in lib.statements(lib.doc(lib.input_of(r, "assumeRolePolicy", "{}")))
	s.Effect == "Allow"
	star_principal(s.Principal)
}

deny contains lib.fail(10, r.urn, sprintf("statement %d: web-identity trust needs StringEquals {\"<issuer>:sub\": \"system:serviceaccount:<ns>:<sa>\", \"<issuer>:aud\": \"sts.amazonaws.com\"}", [i])) if {
	some r in roles
	some i, s in lib.statements(lib.doc(lib.input_of(r, "assumeRolePolicy", "{}")))
	s.Effect == "Allow"
	"sts:AssumeRoleWithWebIdentity" in lib.as_list(s.Action)
	not irsa_pinned(s)
}

star_principal(p) if p == "*"

star_principal(p) if {
	is_object(p)
	some v in p
	"*" in lib.as_list(v)
}

irsa_pinned(s) if {
	conds := s.Condition.StringEquals
	some k, sub in conds
	endswith(k, ":sub")
	regex.match(`^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$`, sub)
	some k2, aud in conds
	endswith(k2, ":aud")
	aud == "sts.amazonaws.com"
}

# Row 11: no "*" or "service:*" actions, no administrator policies.
checked contains lib.check(11, p.urn) if some p in role_policies

checked contains lib.check(11, a.urn) if some a in lib.by_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")

deny contains lib.fail(11, p.urn, sprintf("statement %d allows %q: list the actions the workload needs", [i, act])) if {
	some p in role_policies
	some i, s in lib.statements(lib.doc(lib.input_of(p, "policy", "{}")))
	s.Effect == "Allow"
	some act in lib.as_list(s.Action)
	wildcard_action(act)
}

deny contains lib.fail(11, p.urn, sprintf("statement %d uses NotAction with Allow: list the allowed actions instead", [i])) if {
	some p in role_policies
	some i, s in lib.statements(lib.doc(lib.input_of(p, "policy", "{}")))
	s.Effect == "Allow"
	s.NotAction
}

wildcard_action(a) if a == "*"

wildcard_action(a) if endswith(a, ":*")

admin_policies := {"AdministratorAccess", "IAMFullAccess", "PowerUserAccess"}

deny contains lib.fail(11, a.urn, sprintf("do not attach %v: attach a policy scoped to the workload", [arn])) if {
	some a in lib.by_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
	arn := lib.input_of(a, "policyArn", "")
	some name in admin_policies
	endswith(arn, concat("", ["/", name]))
}

# Row 12: policies attach to roles only, never to IAM users.
user_types := {
	"aws:iam/userPolicy:UserPolicy",
	"aws:iam/userPolicyAttachment:UserPolicyAttachment",
	"aws:iam/policyAttachment:PolicyAttachment",
	"aws:iam/userPoliciesExclusive:UserPoliciesExclusive",
}

checked contains lib.check(12, r.urn) if {
	some r in input.resources
	r.type in (user_types | {"aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"})
}

deny contains lib.fail(12, r.urn, "attach the policy to a role (IRSA or an assumable role), never to an IAM user") if {
	some r in input.resources
	r.type in user_types
	not empty_users(r)
}

empty_users(r) if {
	r.type == "aws:iam/policyAttachment:PolicyAttachment"
	count(lib.as_list(lib.input_of(r, "users", []))) == 0
}

# Row 13: KMS decrypt never on every key; key use scoped by kms:ViaService.
kms_crypto := {"kms:*", "kms:Decrypt", "kms:Decrypt*", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey", "kms:GenerateDataKey*", "*"}

checked contains lib.check(13, p.urn) if some p in role_policies

deny contains lib.fail(13, p.urn, sprintf("statement %d allows %v on Resource \"*\": name the customer-managed key ARN", [i, act])) if {
	some p in role_policies
	some i, s in lib.statements(lib.doc(lib.input_of(p, "policy", "{}")))
	s.Effect == "Allow"
	"*" in lib.as_list(s.Resource)
	some act in lib.as_list(s.Action)
	act in {"kms:*", "kms:Decrypt", "kms:Decrypt*", "*"}
}

deny contains lib.fail(13, p.urn, sprintf("statement %d grants %v without a kms:ViaService condition: scope key use to the AWS service that needs it", [i, act])) if {
	some p in role_policies
	some i, s in lib.statements(lib.doc(lib.input_of(p, "policy", "{}")))
	s.Effect == "Allow"
	some act in lib.as_list(s.Action)
	act in kms_crypto
	act != "*"
	not via_service(s)
}

via_service(s) if {
	some _, kv in s.Condition
	some k, _ in kv
	lower(k) == "kms:viaservice"
}

# A policy document the guardrails cannot read is a failure, not a pass.
deny contains lib.fail(10, r.urn, "assumeRolePolicy is not a readable JSON policy document") if {
	some r in roles
	not is_object(lib.doc(lib.input_of(r, "assumeRolePolicy", "")))
}

deny contains lib.fail(11, p.urn, "policy is not a readable JSON policy document") if {
	some p in role_policies
	not is_object(lib.doc(lib.input_of(p, "policy", "")))
}
