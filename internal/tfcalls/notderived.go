package tfcalls

import "sort"

// NotDerived names the types third_party/terraform-provider-aws records
// (sources.json) whose call graph is not recorded yet, so ops.json has no
// row for them and the deployer policy's row for them is reviewed by hand.
// TestVendoredTypesAreDerivedOrListed fails when a recorded type is in
// neither; the set only shrinks.
var NotDerived = map[string]bool{
	"aws:autoscaling/tag:Tag":                                              true,
	"aws:ebs/defaultKmsKey:DefaultKmsKey":                                  true,
	"aws:ebs/encryptionByDefault:EncryptionByDefault":                      true,
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":                    true,
	"aws:ec2/eip:Eip":                                                      true,
	"aws:ec2/instance:Instance":                                            true,
	"aws:ec2/flowLog:FlowLog":                                              true,
	"aws:ec2/internetGateway:InternetGateway":                              true,
	"aws:ec2/launchTemplate:LaunchTemplate":                                true,
	"aws:ec2/route:Route":                                                  true,
	"aws:ec2/routeTable:RouteTable":                                        true,
	"aws:ec2/routeTableAssociation:RouteTableAssociation":                  true,
	"aws:ec2/tag:Tag":                                                      true,
	"aws:ec2/vpcEndpoint:VpcEndpoint":                                      true,
	"aws:rds/instance:Instance":                                            true,
	"aws:rds/parameterGroup:ParameterGroup":                                true,
	"aws:rds/subnetGroup:SubnetGroup":                                      true,
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": true,
	"aws:s3/bucketLoggingV2:BucketLoggingV2":                               true,
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":               true,
	"aws:s3/bucketPolicy:BucketPolicy":                                     true,
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":               true,
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": true,
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               true,
	"aws:s3/bucketV2:BucketV2":                                  true,
	"aws:sqs/queuePolicy:QueuePolicy":                           true,
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": true,
}

func sortStrings(s []string) { sort.Strings(s) }
