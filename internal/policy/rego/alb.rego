# Load balancer controls: reference rows 52-58.
#
# The program declares no aws:lb resources: the AWS Load Balancer Controller
# creates the ALBs at run time. What the plan holds is what the controller
# reads, so that is what these rules judge:
#
#   - every Ingress of a class the controller serves (the UIs), with its
#     alb.ingress.kubernetes.io/* annotations;
#   - the IngressClassParams the controller's Helm release creates
#     (values.ingressClassParams.spec). They override the annotations of
#     every Ingress of the class, and they are the whole configuration of
#     Ingresses the program does not declare (KServe's, one per
#     InferenceService), so the release is judged as an ALB of its own.
#
# Precedence is the controller's: IngressClassParams, then annotations, then
# the controller's defaults (scheme internal; listen port HTTPS:443 when a
# certificate is known, else HTTP:80; the release's defaultSSLPolicy).
#
# No certificate means a plain-HTTP ALB. The platform has no default
# certificate (it needs an ACM certificate of the operator's domain,
# ingress.certificateArn), so rows 52 and 53 are pending on that key: the
# offline plan passes and says so, a deploy refuses until it is set. Dev's
# exception is in exceptions.yaml.
package mlops.guardrails.alb

import data.mlops.guardrails.lib

prefix := "alb.ingress.kubernetes.io/"

# TLS 1.2+ listener policies: TLS13-1-2/1-3 (and their Res/Ext/FIPS
# variants), TLS-1-2 and FS-1-2.
tls12_policy(p) if regex.match(`^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-`, p)

# classes the load balancer controller releases serve.
classes := [c |
	some r in lib.by_type("kubernetes:helm.sh/v3:Release")
	endswith(lib.input_of(r, "chart", ""), "aws-load-balancer-controller")
	v := lib.input_of(r, "values", {})
	c := {
		"name": object.get(v, "ingressClass", "alb"),
		"urn": r.urn,
		"cluster": object.get(v, "clusterName", ""),
		"params": class_params(v),
		"defaultSSL": object.get(v, "defaultSSLPolicy", "ELBSecurityPolicy-2016-08"),
	}
]

class_params(v) := object.get(v, ["ingressClassParams", "spec"], {}) if {
	object.get(v, ["ingressClassParams", "create"], true) == true
} else := {}

ingress_class(i) := object.get(i.inputs, ["spec", "ingressClassName"], "") if {
	object.get(i.inputs, ["spec", "ingressClassName"], "") != ""
} else := object.get(i.inputs, ["metadata", "annotations", "kubernetes.io/ingress.class"], "")

# albs are the ALB configurations: one per controller-served Ingress, one per
# class (the Ingresses the program does not declare).
albs contains config(i.urn, "ingress", object.get(i.inputs, ["metadata", "annotations"], {}), object.get(i.inputs, ["spec", "tls"], []), c) if {
	some i in lib.by_type("kubernetes:networking.k8s.io/v1:Ingress")
	some c in classes
	c.name == ingress_class(i)
}

albs contains config(c.urn, "class", {}, [], c) if some c in classes

ann(a, k) := object.get(a, concat("", [prefix, k]), "")

# pick returns the IngressClassParams value, else the annotation, else def.
pick(params, pk, a, ak, def) := params[pk] if {
	params[pk] != ""
} else := ann(a, ak) if {
	ann(a, ak) != ""
} else := def

split_list(s) := [x | some y in split(s, ","); x := trim_space(y); x != ""]

config(urn, kind, a, tls, c) := {
	"urn": urn,
	"kind": kind,
	"cluster": c.cluster,
	"scheme": pick(c.params, "scheme", a, "scheme", "internal"),
	"certs": certs,
	"tls": count(tls) > 0,
	"sslPolicy": pick(c.params, "sslPolicy", a, "ssl-policy", c.defaultSSL),
	"listen": listen_ports(a, count(certs) + count(tls) > 0),
	"redirect": ann(a, "ssl-redirect"),
	"attrs": object.union(annotation_attrs(a), params_attrs(c.params)),
	"subnets": subnet_selector(c.params, a),
} if {
	certs := cert_list(c.params, a)
}

cert_list(params, a) := lib.as_list(params.certificateArn) if {
	count(lib.as_list(params.certificateArn)) > 0
} else := split_list(ann(a, "certificate-arn"))

# listen_ports lists {"protocol", "port"} pairs.
listen_ports(a, _) := [{"protocol": proto, "port": port} |
	some entry in json.unmarshal(ann(a, "listen-ports"))
	some proto, port in entry
] if json.is_valid(ann(a, "listen-ports"))

# An unreadable listen-ports annotation declares no usable listener.
listen_ports(a, _) := [] if {
	ann(a, "listen-ports") != ""
	not json.is_valid(ann(a, "listen-ports"))
}

listen_ports(a, true) := [{"protocol": "HTTPS", "port": 443}] if ann(a, "listen-ports") == ""

listen_ports(a, false) := [{"protocol": "HTTP", "port": 80}] if ann(a, "listen-ports") == ""

annotation_attrs(a) := {k: v |
	some pair in split_list(ann(a, "load-balancer-attributes"))
	kv := split(pair, "=")
	k := trim_space(kv[0])
	v := trim_space(concat("=", array.slice(kv, 1, count(kv))))
}

# IngressClassParams attributes win over the annotation's.
params_attrs(params) := {x.key: sprintf("%v", [x.value]) | some x in object.get(params, "loadBalancerAttributes", [])}

subnet_selector(params, a) := {"ids": params.subnets.ids} if {
	params.subnets.ids
} else := {"tags": params.subnets.tags} if {
	params.subnets.tags
} else := {"names": split_list(ann(a, "subnets"))} if {
	ann(a, "subnets") != ""
} else := {}

attr(x, k, def) := object.get(x.attrs, k, def)

kind_label(x) := "the IngressClassParams (every ALB of the class, including undeclared Ingresses)" if {
	x.kind == "class"
} else := "the Ingress"

checked contains lib.check(n, x.urn) if {
	some x in albs
	some n in [52, 53, 54, 55, 56, 57, 58]
}

# certificate_key_set holds when the operator named a certificate: an ALB
# without one then fails instead of waiting for the key.
certificate_key_set if object.get(input, ["spec", "ingress", "certificateArn"], "") != ""

# Row 52: an HTTPS listener with a TLS 1.2+ policy.
deny contains lib.pending(52, x.urn, sprintf("%v has no certificate, so its ALB would serve plain HTTP: set ingress.certificateArn to an ACM certificate so it listens on HTTPS:443", [kind_label(x)]), "ingress.certificateArn") if {
	some x in albs
	not has_certificate(x)
	not certificate_key_set
}

deny contains lib.fail(52, x.urn, sprintf("%v has no certificate although ingress.certificateArn is set, so its ALB serves plain HTTP", [kind_label(x)])) if {
	some x in albs
	not has_certificate(x)
	certificate_key_set
}

deny contains lib.fail(52, x.urn, "listen-ports declares no HTTPS listener: add {\"HTTPS\":443}") if {
	some x in albs
	count([l | some l in x.listen; l.protocol == "HTTPS"]) == 0
	count(x.certs) + count([1 | x.tls]) > 0
}

deny contains lib.fail(52, x.urn, sprintf("SSL policy %v admits TLS below 1.2: use ELBSecurityPolicy-TLS13-1-2-2021-06", [x.sslPolicy])) if {
	some x in albs
	not tls12_policy(x.sslPolicy)
}

# Row 53: port 80 only redirects to HTTPS.
deny contains lib.fail(53, x.urn, sprintf("HTTP listener on %v does not redirect: set alb.ingress.kubernetes.io/ssl-redirect to the HTTPS port", [l.port])) if {
	some x in albs
	some l in x.listen
	l.protocol == "HTTP"
	not redirects(x)
	not pending_redirect(x)
}

# Without a certificate there is no HTTPS listener to redirect to: the
# redirect waits for the same key as row 52.
deny contains lib.pending(53, x.urn, sprintf("HTTP listener on %v cannot redirect to HTTPS without a certificate: set ingress.certificateArn", [l.port]), "ingress.certificateArn") if {
	some x in albs
	some l in x.listen
	l.protocol == "HTTP"
	not redirects(x)
	pending_redirect(x)
}

pending_redirect(x) if {
	not has_certificate(x)
	not certificate_key_set
}

has_certificate(x) if count(x.certs) > 0

has_certificate(x) if x.tls

redirects(x) if {
	some l in x.listen
	l.protocol == "HTTPS"
	sprintf("%v", [l.port]) == x.redirect
}

# Row 54: invalid header fields are dropped.
deny contains lib.fail(54, x.urn, "set the load balancer attribute routing.http.drop_invalid_header_fields.enabled=true") if {
	some x in albs
	attr(x, "routing.http.drop_invalid_header_fields.enabled", "false") != "true"
}

# Row 55: access logs to S3. The bucket is the operator's
# (ingress.accessLogsBucket); its SSE-S3 encryption is not in the plan.
deny contains lib.fail(55, x.urn, "enable access logs: set ingress.accessLogsBucket (access_logs.s3.enabled=true, access_logs.s3.bucket=<SSE-S3 bucket>)") if {
	some x in albs
	not access_logs(x)
}

access_logs(x) if {
	attr(x, "access_logs.s3.enabled", "false") == "true"
	attr(x, "access_logs.s3.bucket", "") != ""
}

# Row 56: deletion protection.
deny contains lib.fail(56, x.urn, "set the load balancer attribute deletion_protection.enabled=true") if {
	some x in albs
	attr(x, "deletion_protection.enabled", "false") != "true"
}

# Row 57: desync mitigation defensive (the AWS default when unset) or strictest.
deny contains lib.fail(57, x.urn, sprintf("desync mitigation mode %v: set routing.http.desync_mitigation_mode to defensive or strictest", [m])) if {
	some x in albs
	m := attr(x, "routing.http.desync_mitigation_mode", "defensive")
	not m in {"defensive", "strictest"}
}

# Row 58: UIs on an internal scheme; subnets in 3 zones.
deny contains lib.fail(58, x.urn, sprintf("the UI's ALB is %v: prod UIs use the internal scheme (IngressClassParams scheme wins over the annotation)", [x.scheme])) if {
	some x in albs
	x.kind == "ingress"
	x.scheme != "internal"
}

deny contains lib.fail(58, x.urn, sprintf("the ALB's %v subnets span %d zone(s) (%v): it needs subnets in 3 availability zones", [x.scheme, count(z), concat(", ", z)])) if {
	some x in albs
	z := zones(x)
	count(z) < 3
}

role_tag(scheme) := "kubernetes.io/role/internal-elb" if {
	scheme == "internal"
} else := "kubernetes.io/role/elb"

subnet_tags(s) := lib.input_of(s, "tags", {})

# zones are the zones of the subnets the controller would use: the named
# ones, else the ones tagged for the scheme and this cluster (discovery).
zones(x) := {z |
	some s in lib.by_type("aws:ec2/subnet:Subnet")
	selected(s, x)
	z := lib.input_of(s, "availabilityZone", "")
}

selected(s, x) if {
	some n in object.get(x.subnets, "ids", [])
	n == s.id
}

selected(s, x) if {
	some n in object.get(x.subnets, "names", [])
	n in {s.id, object.get(subnet_tags(s), "Name", "")}
}

selected(s, x) if {
	sel := x.subnets.tags
	every k, vs in sel {
		object.get(subnet_tags(s), k, null) in lib.as_list(vs)
	}
}

selected(s, x) if {
	x.subnets == {}
	object.get(subnet_tags(s), role_tag(x.scheme), null) in {"", "1"}
	for_cluster(s, x.cluster)
}

for_cluster(s, _) if {
	count([k | some k, _ in subnet_tags(s); startswith(k, "kubernetes.io/cluster/")]) == 0
}

for_cluster(s, cluster) if object.get(subnet_tags(s), concat("", ["kubernetes.io/cluster/", cluster]), null) != null
