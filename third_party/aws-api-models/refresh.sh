#!/usr/bin/env bash
# Re-extracts the request shapes internal/awsrules reads from AWS's Smithy
# models. Usage: refresh.sh DIR, where DIR is a checkout of
# github.com/aws/api-models-aws (or a copy of its <service>/service/...
# files). Each output keeps the model's "smithy" version and only the
# listed shapes; a listed structure keeps only the listed members. Values
# are copied unchanged.
set -euo pipefail
src=${1:?usage: refresh.sh DIR (a checkout of aws/api-models-aws)}
here=$(cd "$(dirname "$0")" && pwd)

# extract OUT MODEL SHAPE[::MEMBER]...
extract() {
	local out=$1 model=$2
	shift 2
	jq --sort-keys --argjson want "$(printf '%s\n' "$@" | jq -R . | jq -s .)" '
	  . as $m
	  | {smithy: .smithy, shapes: (reduce $want[] as $w ({};
	      ($w | split("::")) as $p
	      | if ($p | length) == 1 then .[$p[0]] = $m.shapes[$p[0]]
	        else .[$p[0]].type = $m.shapes[$p[0]].type
	          | .[$p[0]].members[$p[1]] = $m.shapes[$p[0]].members[$p[1]]
	        end))}' "$src/$model" >"$here/$out"
}

extract iam.json iam/service/2010-05-08/iam-2010-05-08.json \
	'com.amazonaws.iam#roleNameType' 'com.amazonaws.iam#pathType' \
	'com.amazonaws.iam#instanceProfileNameType' 'com.amazonaws.iam#policyNameType' \
	'com.amazonaws.iam#roleDescriptionType' 'com.amazonaws.iam#tagKeyType' \
	'com.amazonaws.iam#tagValueType'
extract kms.json kms/service/2014-11-01/kms-2014-11-01.json \
	'com.amazonaws.kms#AliasNameType' 'com.amazonaws.kms#DescriptionType' \
	'com.amazonaws.kms#CreateAliasRequest::AliasName'
extract cloudwatch-logs.json cloudwatch-logs/service/2014-03-28/cloudwatch-logs-2014-03-28.json \
	'com.amazonaws.cloudwatchlogs#LogGroupName'
extract eks.json eks/service/2017-11-01/eks-2017-11-01.json \
	'com.amazonaws.eks#ClusterName'
extract rds.json rds/service/2014-10-31/rds-2014-10-31.json \
	'com.amazonaws.rds#CreateDBInstanceMessage::DBInstanceIdentifier' \
	'com.amazonaws.rds#DeleteDBInstanceMessage::FinalDBSnapshotIdentifier' \
	'com.amazonaws.rds#CreateDBParameterGroupMessage::DBParameterGroupName' \
	'com.amazonaws.rds#CreateDBSubnetGroupMessage::DBSubnetGroupName'
extract sns.json sns/service/2010-03-31/sns-2010-03-31.json \
	'com.amazonaws.sns#CreateTopicInput::Name'
extract s3.json s3/service/2006-03-01/s3-2006-03-01.json \
	'com.amazonaws.s3#CreateBucketRequest::Bucket'
extract acm.json acm/service/2015-12-08/acm-2015-12-08.json \
	'com.amazonaws.acm#Arn'

# The operations internal/testing/awsfake serves, each model trimmed by
# operations/trim.jq to those operations and the closure of their input and
# error shapes (see README.md). A test in internal/testing/awsfake fails
# when this list and the fake's operation tables differ.
trim() {
	local out=$1 model=$2
	shift 2
	jq --sort-keys --argjson ops "$(printf '%s\n' "$@" | jq -R . | jq -s .)" \
		-f "$here/operations/trim.jq" "$src/$model" >"$here/operations/$out"
}

trim acm.json acm/service/2015-12-08/acm-2015-12-08.json DescribeCertificate
trim autoscaling.json auto-scaling/service/2011-01-01/auto-scaling-2011-01-01.json \
	DescribeAutoScalingGroups
trim eks.json eks/service/2017-11-01/eks-2017-11-01.json \
	DescribeCluster ListNodegroups DescribeNodegroup UpdateNodegroupVersion ListUpdates \
	DescribeUpdate ListAddons DescribeAddon DescribeAddonVersions ListInsights DescribeInsight
trim kms.json kms/service/2014-11-01/kms-2014-11-01.json \
	CreateKey DescribeKey ListKeys GetKeyRotationStatus EnableKeyRotation CreateAlias \
	Encrypt Decrypt
trim logs.json cloudwatch-logs/service/2014-03-28/cloudwatch-logs-2014-03-28.json \
	DescribeLogGroups
trim rds.json rds/service/2014-10-31/rds-2014-10-31.json \
	DescribeDBInstances RestoreDBInstanceToPointInTime DeleteDBInstance
trim s3.json s3/service/2006-03-01/s3-2006-03-01.json \
	ListBuckets HeadBucket CreateBucket GetBucketVersioning GetBucketPolicy \
	GetBucketEncryption GetPublicAccessBlock GetBucketLifecycleConfiguration \
	PutBucketPolicy PutBucketVersioning PutBucketEncryption PutPublicAccessBlock \
	PutBucketLifecycleConfiguration ListObjectVersions ListObjectsV2 GetObject HeadObject \
	PutObject CopyObject DeleteObject
trim ssm.json ssm/service/2014-11-06/ssm-2014-11-06.json StartSession TerminateSession
trim sts.json sts/service/2011-06-15/sts-2011-06-15.json GetCallerIdentity AssumeRole
