# In-cluster controls over the Kubernetes objects the program declares:
# Pod Security Standards (the reference's unnumbered "restricted" section)
# and the default-deny half of row 8.
#
# Pod specs are rendered by Helm at deploy time and are not in the plan:
# Pod Security Admission enforces the restricted profile on them, so what
# the plan can prove is that every namespace pods land in carries the right
# labels, and that each exemption says why.
package mlops.guardrails.kubernetes

import data.mlops.guardrails.lib

psa := "pod-security.kubernetes.io/"

# exemption_annotation justifies a namespace below restricted
# (platform.PSAExemptionAnnotation).
exemption_annotation := "mlops-platform/psa-exemption"

# eks_namespaces are created and run by EKS itself, privileged by design
# (VPC CNI, kube-proxy, EBS CSI node plugin); the program does not declare
# them. The load balancer controller and the cluster autoscaler run in
# kube-system because their IRSA trusts name it.
eks_namespaces := {"kube-system"}

namespaces := lib.by_type("kubernetes:core/v1:Namespace")

meta(r, k, def) := object.get(r.inputs, ["metadata", k], def)

ns_name(n) := meta(n, "name", n.name)

declared := {ns_name(n) | some n in namespaces}

# workload namespaces run users' models and jobs: serving and training, and
# any namespace given a quota or a limit range.
workload := {"serving", "training"} | {ns |
	some t in ["kubernetes:core/v1:ResourceQuota", "kubernetes:core/v1:LimitRange"]
	some r in lib.by_type(t)
	ns := meta(r, "namespace", "")
}

# level is a mode's level; an unlabelled mode is privileged (the
# admission controller's default).
level(n, mode) := object.get(meta(n, "labels", {}), concat("", [psa, mode]), "privileged")

below_restricted(n) := [sprintf("%v=%v", [m, l]) | some m in ["enforce", "warn", "audit"]; l := level(n, m); l != "restricted"]

checked contains lib.check("PSS", n.urn) if some n in namespaces

# Workload namespaces take no exemption.
deny contains lib.fail("PSS", n.urn, sprintf("workload namespace %v is labelled %v: label it pod-security.kubernetes.io/{enforce,warn,audit}=restricted; workloads take no exemption", [ns_name(n), concat(", ", below_restricted(n))])) if {
	some n in namespaces
	ns_name(n) in workload
	count(below_restricted(n)) > 0
}

# Other namespaces are restricted unless the exemption annotation says why.
deny contains lib.fail("PSS", n.urn, sprintf("namespace %v is labelled %v without a %v annotation: label it restricted, or say which component needs host access and why", [ns_name(n), concat(", ", below_restricted(n)), exemption_annotation])) if {
	some n in namespaces
	not ns_name(n) in workload
	count(below_restricted(n)) > 0
	trim_space(object.get(meta(n, "annotations", {}), exemption_annotation, "")) == ""
}

# Every namespace states its enforce level explicitly.
deny contains lib.fail("PSS", n.urn, sprintf("namespace %v has no %venforce label: state its level explicitly", [ns_name(n), psa])) if {
	some n in namespaces
	not meta(n, "labels", {})[concat("", [psa, "enforce"])]
}

# Pods land only in declared (labelled) namespaces or EKS's own.
releases := lib.by_type("kubernetes:helm.sh/v3:Release")

checked contains lib.check("PSS", r.urn) if some r in releases

deny contains lib.fail("PSS", r.urn, sprintf("release %v installs pods into namespace %v, which the program does not declare with Pod Security labels: declare it (platform.Namespaces)", [lib.input_of(r, "name", r.name), ns])) if {
	some r in releases
	ns := lib.input_of(r, "namespace", "default")
	not ns in declared
	not ns in eks_namespaces
}

# Row 8 (second half): each workload namespace has a default-deny policy.
netpols := lib.by_type("kubernetes:networking.k8s.io/v1:NetworkPolicy")

checked contains lib.check(8, n.urn) if {
	some n in namespaces
	ns_name(n) in workload
}

deny contains lib.fail(8, n.urn, sprintf("workload namespace %v has no default-deny NetworkPolicy: declare one with podSelector {}, policyTypes [Ingress, Egress] and no rules", [ns_name(n)])) if {
	some n in namespaces
	ns_name(n) in workload
	count([p | some p in netpols; meta(p, "namespace", "default") == ns_name(n); default_deny(p)]) == 0
}

default_deny(p) if {
	spec := lib.input_of(p, "spec", {})
	sel := object.get(spec, "podSelector", {})
	count(object.get(sel, "matchLabels", {})) == 0
	count(object.get(sel, "matchExpressions", [])) == 0
	types := {t | some t in object.get(spec, "policyTypes", [])}
	{"Ingress", "Egress"} & types == {"Ingress", "Egress"}
	count(object.get(spec, "ingress", [])) == 0
	count(object.get(spec, "egress", [])) == 0
}
