# EKS cluster controls: reference rows 1-9.
package mlops.guardrails.cluster

import data.mlops.guardrails.lib

clusters := lib.by_type("aws:eks/cluster:Cluster")

checked contains lib.check(n, c.urn) if {
	some c in clusters
	some n in [1, 2, 3, 4, 5, 6, 8, 9]
}

public(c) if lib.is_true(lib.input_of(c, ["vpcConfig", "endpointPublicAccess"], false))

# Row 1: private endpoint only.
deny contains lib.fail(1, c.urn, "set vpcConfig.endpointPublicAccess=false (clusterEndpointPublicAccess) so the API server is reachable only inside the VPC") if {
	some c in clusters
	public(c)
}

deny contains lib.fail(1, c.urn, "set vpcConfig.endpointPrivateAccess=true so nodes and operators reach the API server privately") if {
	some c in clusters
	not lib.is_true(lib.input_of(c, ["vpcConfig", "endpointPrivateAccess"], false))
}

# Row 2: a public endpoint admits named CIDRs only (none means 0.0.0.0/0).
deny contains lib.fail(2, c.urn, "the public endpoint admits the whole internet: list your own ranges in clusterEndpointPublicAccessCidrs, never 0.0.0.0/0") if {
	some c in clusters
	public(c)
	cidrs := lib.as_list(lib.input_of(c, ["vpcConfig", "publicAccessCidrs"], []))
	open_cidrs(cidrs)
}

open_cidrs(cidrs) if count(cidrs) == 0

open_cidrs(cidrs) if {
	some x in cidrs
	x in lib.world
}

# Row 3: secrets envelope-encrypted with a customer-managed key.
deny contains lib.fail(3, c.urn, "set encryptionConfig.resources=[\"secrets\"] with provider.keyArn a customer-managed KMS key the program declares") if {
	some c in clusters
	not secrets_encrypted(c)
}

secrets_encrypted(c) if {
	"secrets" in lib.as_list(lib.input_of(c, ["encryptionConfig", "resources"], []))
	lib.uses_cmk(c, ["encryptionConfig", "provider", "keyArn"])
}

# Row 4: all control-plane log types.
log_types := {"api", "audit", "authenticator", "controllerManager", "scheduler"}

deny contains lib.fail(4, c.urn, sprintf("add %v to enabledClusterLogTypes", [missing])) if {
	some c in clusters
	enabled := {t | some t in lib.as_list(lib.input_of(c, "enabledClusterLogTypes", []))}
	missing := log_types - enabled
	count(missing) > 0
}

# Row 5: a version in EKS standard support, on the standard support policy.
# The release calendar and the evaluation time come from data.mlops.reference.
deny contains lib.fail(5, c.urn, "set upgradePolicy.supportType=\"STANDARD\" (extended support costs $0.60 per cluster-hour)") if {
	some c in clusters
	lib.input_of(c, ["upgradePolicy", "supportType"], "") != "STANDARD"
}

deny contains lib.fail(5, c.urn, sprintf("%v: %v", [version_status(v), version_fix])) if {
	some c in clusters
	v := lib.input_of(c, "version", "")
	not v in standard_versions
}

# version_status says why v is not in standard support, with the date its
# standard support ended when the calendar has it.
version_status(v) := sprintf("Kubernetes %v left EKS standard support on %v", [v, substring(r.endOfStandard, 0, 10)]) if {
	some r in data.mlops.reference.eksReleases
	r.version == v
	time.parse_rfc3339_ns(r.endOfStandard) <= data.mlops.reference.nowNs
} else := sprintf("Kubernetes %v is not in EKS standard support", [v])

version_fix := sprintf("set kubernetesVersion to one of %v", [sort(standard_versions)]) if {
	count(standard_versions) > 0
} else := "no version in the release calendar (EKSReleases, internal/spec/versions.go) is in standard support at this date: add the newer EKS releases and their add-on versions, then upgrade"

standard_versions contains r.version if {
	some r in data.mlops.reference.eksReleases
	time.parse_rfc3339_ns(r.released) <= data.mlops.reference.nowNs
	data.mlops.reference.nowNs < time.parse_rfc3339_ns(r.endOfStandard)
}

# Row 6: access entries, not the aws-auth ConfigMap.
deny contains lib.fail(6, c.urn, "set accessConfig.authenticationMode=\"API\" and grant access through access entries") if {
	some c in clusters
	lib.input_of(c, ["accessConfig", "authenticationMode"], "") != "API"
}

# Row 7: DNS support and hostnames on the VPC (private endpoint resolution).
checked contains lib.check(7, v.urn) if some v in lib.by_type("aws:ec2/vpc:Vpc")

deny contains lib.fail(7, v.urn, "set enableDnsSupport=true and enableDnsHostnames=true on the VPC: the private endpoint needs both") if {
	some v in lib.by_type("aws:ec2/vpc:Vpc")
	not dns_on(v)
}

dns_on(v) if {
	lib.is_true(lib.input_of(v, "enableDnsSupport", true))
	lib.is_true(lib.input_of(v, "enableDnsHostnames", false))
}

# Row 8: the VPC CNI enforces NetworkPolicy.
deny contains lib.fail(8, c.urn, "install the vpc-cni add-on with configurationValues {\"enableNetworkPolicy\":\"true\"}") if {
	some c in clusters
	not network_policy_on
}

network_policy_on if {
	some a in lib.by_type("aws:eks/addon:Addon")
	a.inputs.addonName == "vpc-cni"
	cfg := json.unmarshal(lib.input_of(a, "configurationValues", "{}"))
	lib.is_true(object.get(cfg, "enableNetworkPolicy", false))
}

# Row 9: an IAM OIDC provider for the cluster's issuer, audience STS only.
deny contains lib.fail(9, c.urn, "declare an aws:iam/openIdConnectProvider for the cluster's OIDC issuer") if {
	some c in clusters
	count([p | some p in lib.dependents_of_type(c, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")]) == 0
}

checked contains lib.check(9, p.urn) if some p in lib.by_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")

deny contains lib.fail(9, p.urn, "set clientIdLists=[\"sts.amazonaws.com\"] and url to the cluster's OIDC issuer (https://oidc.eks.<region>.amazonaws.com/id/...)") if {
	some p in lib.by_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
	not oidc_ok(p)
}

oidc_ok(p) if {
	lib.as_list(lib.input_of(p, "clientIdLists", [])) == ["sts.amazonaws.com"]
	regex.match(`^https://oidc\.eks\.[a-z0-9-]+\.amazonaws\.com/id/[A-Za-z0-9]+$`, lib.input_of(p, "url", ""))
}
