// Package policy holds the platform's guardrails: Rego policies, embedded
// from rego/, evaluated in process with the OPA Go SDK over the plan
// document `mlops plan --output json` prints (stack, project, spec,
// resources with their inputs, dependencies, provider and protect flag).
//
// Each control of the reference list (third_party/reference/security-controls.md)
// that applies to what the program declares has a rule in a package
// mlops.guardrails.<area>. Catalogue lists every reference row, with the
// reason for each one not implemented, so the count stays honest.
//
// # Policy contract
//
// A policy package under mlops.guardrails defines two sets:
//
//	checked contains {"control": <id>, "urn": <resource URN>}
//	deny contains {"control": <id>, "urn": <resource URN>, "message": <what to change>}
//
// checked records what a control evaluated; a checked pair without a deny
// entry is a pass. Every deny entry is a failure. control is a number (a
// reference row) or a string. Built-in controls take their title, IDs and
// severity from Catalogue; other controls may set "title", "ids" (a list of
// strings), "severity" (critical, high, medium, low) and "advisory" (true:
// reported, never fails the plan) in their deny entries.
//
// # User policies
//
// `mlops plan --policy-dir DIR` adds every DIR/*.rego file (not *_test.rego)
// to the built-in policies: same input, same contract, Rego v1 syntax. Their
// packages must be under mlops.guardrails and must not reuse a built-in
// package name; they may import data.mlops.guardrails.lib for its helpers
// (by_type, deps_of_type, dependents_of_type, doc, statements, cmk_arn,
// public_subnets, ...). For example:
//
//	package mlops.guardrails.team
//
//	import data.mlops.guardrails.lib
//
//	deny contains {"control": "TEAM-1", "severity": "low", "urn": d.urn,
//		"message": "use a Graviton instance class"} if {
//		some d in lib.by_type("aws:rds/instance:Instance")
//		not startswith(d.inputs.instanceClass, "db.t4g")
//	}
//
// The same files run under standard OPA tooling, e.g.
// `opa eval -d internal/policy/rego -i plan.json data.mlops.guardrails`;
// row 5 then also needs data.mlops.reference (eksReleases, nowNs), which
// Evaluate supplies from the spec's EKS release calendar.
//
// # Profiles and exceptions
//
// Every applicable control is mandatory for prod. Accepted deviations of
// dev live in exceptions.yaml, each with a reason; an exception that
// matches no failing result is reported as stale. Report.MandatoryFailed
// tells `mlops plan` to exit with a policy-denied code.
package policy
