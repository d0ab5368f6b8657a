# Platform tagging control MLOPS-TAGS (from the requirements document, not a
# reference row): every AWS resource goes through a provider whose default
# tags carry the platform's tag keys.
package mlops.guardrails.tags

import data.mlops.guardrails.lib

required := {"Environment", "Project", "CostCenter", "Criticality", "ManagedBy"}

providers := {p.urn: p | some p in lib.by_type("pulumi:providers:aws")}

aws_resources := [r | some r in input.resources; r.custom; startswith(r.type, "aws:")]

checked contains lib.check("MLOPS-TAGS", p.urn) if some p in providers

checked contains lib.check("MLOPS-TAGS", r.urn) if some r in aws_resources

deny contains lib.fail("MLOPS-TAGS", p.urn, sprintf("add %v to the provider's defaultTags.tags", [missing])) if {
	some p in providers
	tags := lib.input_of(p, ["defaultTags", "tags"], {})
	missing := {k | some k in required; object.get(tags, k, "") == ""}
	count(missing) > 0
}

deny contains lib.fail("MLOPS-TAGS", r.urn, "create the resource through the platform's AWS provider so it carries the default tags") if {
	some r in aws_resources
	not providers[provider_urn(r)]
}

provider_urn(r) := u if {
	u := object.get(r, "provider", "")
	u != ""
} else := ""
