# RDS PostgreSQL controls: reference rows 30-43.
package mlops.guardrails.rds

import data.mlops.guardrails.lib

dbs := lib.by_type("aws:rds/instance:Instance")

checked contains lib.check(n, d.urn) if {
	some d in dbs
	some n in numbers.range(30, 43)
}

# Row 30: storage encrypted with the customer-managed key.
deny contains lib.fail(30, d.urn, "set storageEncrypted=true and kmsKeyId=<customer-managed key>") if {
	some d in dbs
	not encrypted(d)
}

encrypted(d) if {
	lib.is_true(lib.input_of(d, "storageEncrypted", false))
	lib.uses_cmk(d, "kmsKeyId")
}

# Row 31: a synchronous standby in another zone.
deny contains lib.fail(31, d.urn, "set multiAz=true (database.multiAz)") if {
	some d in dbs
	not lib.is_true(lib.input_of(d, "multiAz", false))
}

# Row 32: seven days of automated backups.
deny contains lib.fail(32, d.urn, sprintf("set backupRetentionPeriod to at least 7 days (database.backupRetentionDays), not %v", [lib.input_of(d, "backupRetentionPeriod", 0)])) if {
	some d in dbs
	lib.input_of(d, "backupRetentionPeriod", 0) < 7
}

# Row 33: the database cannot be deleted by accident.
deny contains lib.fail(33, d.urn, "set deletionProtection=true (database.deletionProtection)") if {
	some d in dbs
	not lib.is_true(lib.input_of(d, "deletionProtection", false))
}

deny contains lib.fail(33, d.urn, "set skipFinalSnapshot=false with a finalSnapshotIdentifier") if {
	some d in dbs
	lib.is_true(lib.input_of(d, "skipFinalSnapshot", false))
}

deny contains lib.fail(33, d.urn, "protect the resource (protectStatefulResources=true) so the engine refuses to delete it") if {
	some d in dbs
	not d.protect
}

# Row 34: private only.
deny contains lib.fail(34, d.urn, "set publiclyAccessible=false") if {
	some d in dbs
	lib.is_true(lib.input_of(d, "publiclyAccessible", false))
}

deny contains lib.fail(34, d.urn, sprintf("the DB subnet group uses public subnets %v: use the private subnets", [pub])) if {
	some d in dbs
	some g in lib.deps_of_type(d, "aws:rds/subnetGroup:SubnetGroup")
	pub := lib.public_subnets_of(g)
	count(pub) > 0
}

deny contains lib.fail(34, d.urn, "set dbSubnetGroupName to a subnet group of private subnets") if {
	some d in dbs
	count(lib.deps_of_type(d, "aws:rds/subnetGroup:SubnetGroup")) == 0
}

# Row 35: engine logs exported to CloudWatch.
deny contains lib.fail(35, d.urn, sprintf("add %v to enabledCloudwatchLogsExports", [missing])) if {
	some d in dbs
	missing := {"postgresql", "upgrade"} - {x | some x in lib.as_list(lib.input_of(d, "enabledCloudwatchLogsExports", []))}
	count(missing) > 0
}

# Row 36: enhanced monitoring with a role.
deny contains lib.fail(36, d.urn, "set monitoringInterval to 1, 5, 10, 15, 30 or 60 and monitoringRoleArn to the monitoring role") if {
	some d in dbs
	not monitored(d)
}

monitored(d) if {
	lib.input_of(d, "monitoringInterval", 0) in {1, 5, 10, 15, 30, 60}
	lib.input_of(d, "monitoringRoleArn", "") != ""
}

# Row 37: IAM database authentication.
deny contains lib.fail(37, d.urn, "set iamDatabaseAuthenticationEnabled=true") if {
	some d in dbs
	not lib.is_true(lib.input_of(d, "iamDatabaseAuthenticationEnabled", false))
}

# Row 38: minor version upgrades applied (the default is on).
deny contains lib.fail(38, d.urn, "set autoMinorVersionUpgrade=true") if {
	some d in dbs
	lib.input_of(d, "autoMinorVersionUpgrade", true) in {false, "false"}
}

# Row 39: snapshots keep the tags.
deny contains lib.fail(39, d.urn, "set copyTagsToSnapshot=true") if {
	some d in dbs
	not lib.is_true(lib.input_of(d, "copyTagsToSnapshot", false))
}

# Row 40: Performance Insights, encrypted with the customer-managed key.
deny contains lib.fail(40, d.urn, "set performanceInsightsEnabled=true and performanceInsightsKmsKeyId=<customer-managed key>") if {
	some d in dbs
	not insights(d)
}

insights(d) if {
	lib.is_true(lib.input_of(d, "performanceInsightsEnabled", false))
	lib.uses_cmk(d, "performanceInsightsKmsKeyId")
}

# Rows 41-42: parameter group forces TLS and logs slow statements.
params(d) := {p.name: p.value |
	some g in lib.deps_of_type(d, "aws:rds/parameterGroup:ParameterGroup")
	some p in lib.as_list(lib.input_of(g, "parameters", []))
}

current_cas := {"rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"}

deny contains lib.fail(41, d.urn, "use a parameter group that sets rds.force_ssl=1") if {
	some d in dbs
	object.get(params(d), "rds.force_ssl", "0") != "1"
}

deny contains lib.fail(41, d.urn, sprintf("set caCertIdentifier to a current CA (%v)", [current_cas])) if {
	some d in dbs
	not lib.input_of(d, "caCertIdentifier", "") in current_cas
}

deny contains lib.fail(42, d.urn, "use a parameter group that sets log_min_duration_statement (milliseconds, not -1)") if {
	some d in dbs
	object.get(params(d), "log_min_duration_statement", "-1") in {"-1", ""}
}

# Row 43: no default master user; its password lives in Secrets Manager.
deny contains lib.fail(43, d.urn, "set username to something other than \"postgres\"") if {
	some d in dbs
	lib.input_of(d, "username", "postgres") == "postgres"
}

deny contains lib.fail(43, d.urn, "set manageMasterUserPassword=true and drop password: RDS keeps the password in Secrets Manager") if {
	some d in dbs
	not lib.is_true(lib.input_of(d, "manageMasterUserPassword", false))
}
