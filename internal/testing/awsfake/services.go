package awsfake

import (
	"maps"
	"slices"
)

// services are the AWS services the fake speaks, by SigV4 signing name.
// EC2 (ec2Query) is declared so that adding an operation such as
// DescribeInstances is a handler and a line in ops.
var services = map[string]*service{
	"s3":          {protocol: restXML, s3: s3Handler},
	"acm":         {protocol: awsJSON, target: "CertificateManager", ops: acmOps},
	"kms":         {protocol: awsJSON, target: "TrentService", ops: kmsOps},
	"logs":        {protocol: awsJSON, target: "Logs_20140328", ops: logsOps},
	"ssm":         {protocol: awsJSON, target: "AmazonSSM", ops: ssmOps},
	"eks":         {protocol: restJSON, routes: slices.Concat(eksRoutes, eksAddonRoutes)},
	"rds":         {protocol: query, xmlns: "http://rds.amazonaws.com/doc/2014-10-31/", ops: rdsOps},
	"autoscaling": {protocol: query, xmlns: "http://autoscaling.amazonaws.com/doc/2011-01-01/", ops: autoscalingOps},
	"sts":         {protocol: query, xmlns: "https://sts.amazonaws.com/doc/2011-06-15/", ops: stsOps},
	"ec2":         {protocol: ec2Query, xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/", ops: map[string]handler{}},
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
