package policy

import (
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
	"testing"
)

// fromSpec returns a mutation that re-evaluates prod with --set overrides
// instead of editing the document.
func fromSpec(sets ...string) func(*testing.T, map[string]any) {
	return func(t *testing.T, d map[string]any) {
		t.Helper()
		nd, err := planDoc("prod", sets)
		if err != nil {
			t.Fatalf("evaluating prod with %v: %v", sets, err)
		}
		for k := range d {
			delete(d, k)
		}
		for k, v := range nd {
			d[k] = v
		}
	}
}

func networkMutations() []mutation {
	return []mutation{
		{"no flow log", "22", func(t *testing.T, d map[string]any) { removeType(d, typetoken.FlowLog) }},
		{"flow log rejects only", "22", setInput(typetoken.FlowLog, "network-flow-log", "REJECT", "trafficType")},
		{"default SG keeps a rule", "23", setInput(tDefSG, "network-default-sg", []any{map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": true}}, "ingress")},
		{"default SG not adopted", "23", func(t *testing.T, d map[string]any) { removeType(d, tDefSG) }},
		{"subnet maps public IPs", "24", setInput(tSubnet, "network-public-eu-west-1a", true, "mapPublicIpOnLaunch")},
		{"database open to the internet", "25", func(t *testing.T, d map[string]any) {
			addResource(d, map[string]any{"urn": "urn:pulumi:prod::mlops-platform::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::db-world", "type": typetoken.SecurityGroupIngressRule, "name": "db-world", "custom": true,
				"provider": urnOf(t, d, tProvider, "aws"), "dependencies": []any{urnOf(t, d, tSG, "database-sg")},
				"inputs": map[string]any{"cidrIpv4": "0.0.0.0/0", "fromPort": 5432, "toPort": 5432, "ipProtocol": "tcp", "description": "oops"}})
		}},
		{"undocumented open egress", "26", setInput(tSG, "database-sg", []any{map[string]any{"cidrBlocks": []any{"0.0.0.0/0"}, "fromPort": 0, "toPort": 0, "protocol": "-1", "description": "all"}}, "egress")},
		{"security group without description", "27", setInput(tSG, "database-sg", "Managed by Pulumi", "description")},
		{"rule without description", "27", func(t *testing.T, d map[string]any) {
			delete(inputs(t, d, typetoken.SecurityGroupIngressRule, "database-from-nodes"), "description")
		}},
		{"no S3 gateway endpoint", "28", func(t *testing.T, d map[string]any) { removeType(d, typetoken.VpcEndpoint) }},
		{"single NAT gateway (spec)", "29", fromSpec("natGatewayPerAz=false")},
		{"private table without default route", "29", func(t *testing.T, d map[string]any) {
			var kept []any
			for _, r := range d["resources"].([]any) {
				if r.(map[string]any)["name"] != "network-private-eu-west-1b-default" {
					kept = append(kept, r)
				}
			}
			d["resources"] = kept
		}},
	}
}

func dataMutations() []mutation {
	db := func(v any, path ...string) func(*testing.T, map[string]any) {
		return setInput(tDB, "database", v, path...)
	}
	return []mutation{
		{"unencrypted storage", "30", db(false, "storageEncrypted")},
		{"single AZ (spec)", "31", fromSpec("database.multiAz=false")},
		{"one day of backups (spec)", "32", fromSpec("database.backupRetentionDays=1")},
		{"no deletion protection (spec)", "33", fromSpec("database.deletionProtection=false")},
		{"skip final snapshot", "33", db(true, "skipFinalSnapshot")},
		{"unprotected database", "33", func(t *testing.T, d map[string]any) { resource(t, d, tDB, "database")["protect"] = false }},
		{"publicly accessible", "34", db(true, "publiclyAccessible")},
		{"subnet group on public subnets", "34", func(t *testing.T, d map[string]any) {
			g := resource(t, d, typetoken.DBSubnetGroup, "database-subnets")
			g["dependencies"] = []any{urnOf(t, d, tSubnet, "network-public-eu-west-1a"), urnOf(t, d, tSubnet, "network-public-eu-west-1b")}
		}},
		{"upgrade log not exported", "35", db([]any{"postgresql"}, "enabledCloudwatchLogsExports")},
		{"no enhanced monitoring", "36", db(0, "monitoringInterval")},
		{"no IAM auth", "37", db(false, "iamDatabaseAuthenticationEnabled")},
		{"no minor upgrades", "38", db(false, "autoMinorVersionUpgrade")},
		{"tags not copied", "39", db(false, "copyTagsToSnapshot")},
		{"no performance insights", "40", db(false, "performanceInsightsEnabled")},
		{"ssl not forced", "41", setInput(tParams, "database-params", []any{map[string]any{"name": "log_min_duration_statement", "value": "1000"}}, "parameters")},
		{"old CA", "41", db("rds-ca-2019", "caCertIdentifier")},
		{"slow statements not logged", "42", setInput(tParams, "database-params", []any{map[string]any{"name": "rds.force_ssl", "value": "1"}}, "parameters")},
		{"postgres master user", "43", db("postgres", "username")},
		{"password in the program", "43", db(false, "manageMasterUserPassword")},
		{"versioning off (spec)", "44", fromSpec("artifacts.versioning=false")},
		{"public policy allowed", "45", setInput(typetoken.BucketPublicAccessBlock, "artifacts-public-access", false, "blockPublicPolicy")},
		{"SSE-S3 instead of KMS", "46", func(t *testing.T, d map[string]any) {
			rule := inputs(t, d, typetoken.BucketEncryption, "artifacts-encryption")["rules"].([]any)[0].(map[string]any)
			rule["applyServerSideEncryptionByDefault"] = map[string]any{"sseAlgorithm": "AES256"}
		}},
		{"plain HTTP allowed", "47", func(t *testing.T, d map[string]any) {
			editPolicy(t, inputs(t, d, typetoken.BucketPolicy, "artifacts-tls-only"), "policy", func(s []any) { delete(s[0].(map[string]any), "Condition") })
		}},
		{"ACLs enabled", "48", setInput(typetoken.BucketOwnershipControls, "artifacts-ownership", "ObjectWriter", "rule", "objectOwnership")},
		{"no server access logging", "50", func(t *testing.T, d map[string]any) {
			removeType(d, typetoken.BucketLogging)
		}},
		{"uploads never aborted", "49", func(t *testing.T, d map[string]any) {
			rule := inputs(t, d, typetoken.BucketLifecycle, "artifacts-lifecycle")["rules"].([]any)[0].(map[string]any)
			delete(rule, "abortIncompleteMultipartUpload")
		}},
		{"force destroy", "51", setInput(tBucket, "artifacts", true, "forceDestroy")},
		{"nothing protected (spec)", "51", fromSpec("protectStatefulResources=false")},
		{"7-day retention (spec)", "60", fromSpec("logRetentionDays=7")},
		{"container insights group missing", "60", func(t *testing.T, d map[string]any) {
			var kept []any
			for _, r := range d["resources"].([]any) {
				if r.(map[string]any)["name"] != "logs-ci-host" {
					kept = append(kept, r)
				}
			}
			d["resources"] = kept
		}},
		{"log group unencrypted", "61", func(t *testing.T, d map[string]any) { delete(inputs(t, d, tLogGroup, "logs-cluster"), "kmsKeyId") }},
		{"key policy without logs service", "61", func(t *testing.T, d map[string]any) {
			editPolicy(t, inputs(t, d, tKey, "keys-logs"), "policy", func(s []any) {
				s[1].(map[string]any)["Principal"] = map[string]any{"Service": "logs.us-east-1.amazonaws.com"}
			})
		}},
		{"rotation off", "62", setInput(tKey, "keys-data", false, "enableKeyRotation")},
		{"7-day deletion window", "62", setInput(tKey, "keys-logs", 7, "deletionWindowInDays")},
		{"bare star principal", "62", func(t *testing.T, d map[string]any) {
			editPolicy(t, inputs(t, d, tKey, "keys-data"), "policy", func(s []any) { s[0].(map[string]any)["Principal"] = "*" })
		}},
	}
}
