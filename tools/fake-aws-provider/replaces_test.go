package main

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Diff takes its replacements from the Terraform AWS provider's schema
// (internal/tfreplace). The cases marked "hand list" were wrong under the
// hand-picked replaceKeys this replaced.
func TestDiffReplacesWhatTheProviderForcesNew(t *testing.T) {
	const cluster, nodeGroup = "aws:eks/cluster:Cluster", "aws:eks/nodeGroup:NodeGroup"
	const role, attachment = "aws:iam/role:Role", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	const sg, rule = "aws:ec2/securityGroup:SecurityGroup", "aws:cloudwatch/eventRule:EventRule"
	const target, doc = "aws:cloudwatch/eventTarget:EventTarget", "aws:ssm/document:Document"
	const logs, queue, topic = "aws:cloudwatch/logGroup:LogGroup", "aws:sqs/queue:Queue", "aws:sns/topic:Topic"
	const alias = "aws:kms/alias:Alias"
	const rta, igw, eip = "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/eip:Eip"
	const lt, inst, bucket = "aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance", "aws:s3/bucketV2:BucketV2"
	const ec2Tag, db = "aws:ec2/tag:Tag", "aws:rds/instance:Instance"
	vpc := func(subnets ...any) map[string]any { return map[string]any{"subnetIds": subnets} }
	tests := []struct {
		name, typ     string
		olds, news    map[string]any
		ignore        []string
		changes       pulumirpc.DiffResponse_DiffChanges
		diffs, replac string
		dbr           bool
	}{
		{"same", cluster, map[string]any{"roleArn": "r"}, map[string]any{"roleArn": "r"}, nil, pulumirpc.DiffResponse_DIFF_NONE, "", "", false},
		{"tags update in place", cluster, map[string]any{"tags": map[string]any{"a": "1"}}, map[string]any{"tags": map[string]any{"a": "2"}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "tags", "", false},
		{"hand list: the cluster role is ForceNew", cluster, map[string]any{"roleArn": "a"}, map[string]any{"roleArn": "b"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "roleArn", "roleArn", false},
		{"cluster subnets update in place", cluster, map[string]any{"vpcConfig": vpc("a")}, map[string]any{"vpcConfig": vpc("a", "b")}, nil, pulumirpc.DiffResponse_DIFF_SOME, "vpcConfig", "", false},
		{"nested ForceNew: the service CIDR", cluster, map[string]any{"kubernetesNetworkConfig": map[string]any{"serviceIpv4Cidr": "10.100.0.0/16"}}, map[string]any{"kubernetesNetworkConfig": map[string]any{"serviceIpv4Cidr": "10.200.0.0/16"}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "kubernetesNetworkConfig", "kubernetesNetworkConfig", false},
		{"adding encryption is conditional, in place", cluster, map[string]any{}, map[string]any{"encryptionConfig": map[string]any{"resources": []any{"secrets"}}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "encryptionConfig", "", false},
		{"hand list: an explicit name deletes before replacing", cluster, map[string]any{"name": "a"}, map[string]any{"name": "b"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "name", "name", true},
		{"instance types replace the node group", nodeGroup, map[string]any{"instanceTypes": []any{"m5.xlarge"}}, map[string]any{"instanceTypes": []any{"m6i.xlarge"}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "instanceTypes", "instanceTypes", false},
		{"hand list: node group subnets are ForceNew", nodeGroup, map[string]any{"subnetIds": []any{"a"}}, map[string]any{"subnetIds": []any{"a", "b"}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "subnetIds", "subnetIds", false},
		{"hand list: the node role is ForceNew", nodeGroup, map[string]any{"nodeRoleArn": "a"}, map[string]any{"nodeRoleArn": "b"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "nodeRoleArn", "nodeRoleArn", false},
		{"hand list: an Optional+Computed AMI type left unset keeps its value", nodeGroup, map[string]any{"amiType": "AL2023_x86_64_STANDARD"}, map[string]any{}, nil, pulumirpc.DiffResponse_DIFF_SOME, "amiType", "", false},
		{"scaling updates in place", nodeGroup, map[string]any{"scalingConfig": map[string]any{"desiredSize": 1}}, map[string]any{"scalingConfig": map[string]any{"desiredSize": 3}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "scalingConfig", "", false},
		{"a role's path is ForceNew", role, map[string]any{"path": "/mlops/"}, map[string]any{"path": "/platform/"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "path", "path", false},
		{"a role's trust policy updates in place", role, map[string]any{"assumeRolePolicy": "{}"}, map[string]any{"assumeRolePolicy": "{\"Version\":\"2012-10-17\"}"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "assumeRolePolicy", "", false},
		{"an attachment's policy is ForceNew", attachment, map[string]any{"policyArn": "arn:a"}, map[string]any{"policyArn": "arn:b"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "policyArn", "policyArn", false},
		{"a security group's description is ForceNew", sg, map[string]any{"description": "bastion"}, map[string]any{"description": "bastion host"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "description", "description", false},
		{"a security group's VPC is ForceNew", sg, map[string]any{"vpcId": "vpc-1"}, map[string]any{"vpcId": "vpc-2"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "vpcId", "vpcId", false},
		{"a security group's rules update in place", sg, map[string]any{"ingress": []any{map[string]any{"fromPort": 22}}}, map[string]any{"ingress": []any{map[string]any{"fromPort": 443}}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "ingress", "", false},
		{"a named security group's description change deletes before replacing", sg, map[string]any{"name": "bastion-sg", "description": "bastion"}, map[string]any{"name": "bastion-sg", "description": "bastion host"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "description", "description", true},
		{"an event rule's pattern updates in place", rule, map[string]any{"name": "dev-spot", "eventPattern": "{}"}, map[string]any{"name": "dev-spot", "eventPattern": "{\"source\":[\"aws.ec2\"]}"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "eventPattern", "", false},
		{"renaming an event rule replaces it", rule, map[string]any{"name": "karpenter-spot"}, map[string]any{"name": "dev-karpenter-spot"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "name", "name", true},
		{"moving a target to another rule replaces it", target, map[string]any{"rule": "karpenter-spot", "arn": "arn:q"}, map[string]any{"rule": "dev-karpenter-spot", "arn": "arn:q"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "rule", "rule", false},
		{"a target's destination updates in place", target, map[string]any{"rule": "r", "arn": "arn:q1"}, map[string]any{"rule": "r", "arn": "arn:q2"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "arn", "", false},
		{"a Session document's content updates in place", doc, map[string]any{"name": "dev-session", "content": "{}"}, map[string]any{"name": "dev-session", "content": "{\"schemaVersion\":\"1.0\"}"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "content", "", false},
		{"renaming a document replaces it", doc, map[string]any{"name": "session"}, map[string]any{"name": "dev-session"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "name", "name", true},
		{"a log group's retention updates in place", logs, map[string]any{"name": "/aws/eks/dev/cluster", "retentionInDays": 30}, map[string]any{"name": "/aws/eks/dev/cluster", "retentionInDays": 90}, nil, pulumirpc.DiffResponse_DIFF_SOME, "retentionInDays", "", false},
		{"a log group's class is ForceNew", logs, map[string]any{"logGroupClass": "STANDARD"}, map[string]any{"logGroupClass": "INFREQUENT_ACCESS"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "logGroupClass", "logGroupClass", false},
		{"a queue's retention updates in place", queue, map[string]any{"name": "dev-interruption", "messageRetentionSeconds": 300}, map[string]any{"name": "dev-interruption", "messageRetentionSeconds": 600}, nil, pulumirpc.DiffResponse_DIFF_SOME, "messageRetentionSeconds", "", false},
		{"making a queue FIFO replaces it", queue, map[string]any{"fifoQueue": false}, map[string]any{"fifoQueue": true}, nil, pulumirpc.DiffResponse_DIFF_SOME, "fifoQueue", "fifoQueue", false},
		{"a topic's display name updates in place", topic, map[string]any{"name": "alerts", "displayName": "a"}, map[string]any{"name": "alerts", "displayName": "b"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "displayName", "", false},
		{"making a topic FIFO replaces it", topic, map[string]any{"fifoTopic": false}, map[string]any{"fifoTopic": true}, nil, pulumirpc.DiffResponse_DIFF_SOME, "fifoTopic", "fifoTopic", false},
		{"pointing an alias at another key updates in place", alias, map[string]any{"name": "alias/dev-eks", "targetKeyId": "k1"}, map[string]any{"name": "alias/dev-eks", "targetKeyId": "k2"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "targetKeyId", "", false},
		{"renaming an alias replaces it", alias, map[string]any{"name": "alias/eks"}, map[string]any{"name": "alias/dev-eks"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "name", "name", true},
		{"moving a subnet to another route table updates in place", rta, map[string]any{"subnetId": "subnet-1", "routeTableId": "rtb-1"}, map[string]any{"subnetId": "subnet-1", "routeTableId": "rtb-2"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "routeTableId", "", false},
		{"associating another subnet replaces the association", rta, map[string]any{"subnetId": "subnet-1", "routeTableId": "rtb-1"}, map[string]any{"subnetId": "subnet-2", "routeTableId": "rtb-1"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "subnetId", "subnetId", false},
		{"an internet gateway moves to another VPC in place", igw, map[string]any{"vpcId": "vpc-1"}, map[string]any{"vpcId": "vpc-2"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "vpcId", "", false},
		{"an EIP's domain is ForceNew", eip, map[string]any{"domain": "vpc"}, map[string]any{"domain": "standard"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "domain", "domain", false},
		{"an EIP's tags update in place", eip, map[string]any{"domain": "vpc", "tags": map[string]any{"a": "1"}}, map[string]any{"domain": "vpc", "tags": map[string]any{"a": "2"}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "tags", "", false},
		{"a launch template's image updates in place (a new version)", lt, map[string]any{"name": "dev-gpu", "imageId": "ami-1"}, map[string]any{"name": "dev-gpu", "imageId": "ami-2"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "imageId", "", false},
		{"a launch template's user data updates in place", lt, map[string]any{"namePrefix": "gpu-", "userData": "a"}, map[string]any{"namePrefix": "gpu-", "userData": "b"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "userData", "", false},
		{"renaming a launch template replaces it", lt, map[string]any{"name": "gpu"}, map[string]any{"name": "dev-gpu"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "name", "name", true},
		{"a launch template's name prefix is ForceNew", lt, map[string]any{"namePrefix": "gpu-"}, map[string]any{"namePrefix": "dev-gpu-"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "namePrefix", "namePrefix", false},
		{"moving an instance to another subnet replaces it", inst, map[string]any{"subnetId": "subnet-1", "instanceType": "t3.micro"}, map[string]any{"subnetId": "subnet-2", "instanceType": "t3.micro"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "subnetId", "subnetId", false},
		{"encrypting an instance's root volume replaces it", inst, map[string]any{"rootBlockDevice": map[string]any{"encrypted": false}}, map[string]any{"rootBlockDevice": map[string]any{"encrypted": true}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "rootBlockDevice", "rootBlockDevice", false},
		{"an instance's root volume type updates in place", inst, map[string]any{"rootBlockDevice": map[string]any{"volumeType": "gp2"}}, map[string]any{"rootBlockDevice": map[string]any{"volumeType": "gp3"}}, nil, pulumirpc.DiffResponse_DIFF_SOME, "rootBlockDevice", "", false},
		{"an instance's security groups and profile update in place", inst, map[string]any{"vpcSecurityGroupIds": []any{"sg-1"}, "iamInstanceProfile": "a"}, map[string]any{"vpcSecurityGroupIds": []any{"sg-2"}, "iamInstanceProfile": "b"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "iamInstanceProfile,vpcSecurityGroupIds", "", false},
		{"an instance's type is conditional, in place", inst, map[string]any{"instanceType": "t3.micro"}, map[string]any{"instanceType": "t3.small"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "instanceType", "", false},
		{"a bucket's prefix is ForceNew", bucket, map[string]any{"bucketPrefix": "mlops-artifacts-"}, map[string]any{"bucketPrefix": "dev-mlops-artifacts-"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "bucketPrefix", "bucketPrefix", false},
		{"turning on object lock replaces a bucket", bucket, map[string]any{"bucketPrefix": "a-"}, map[string]any{"bucketPrefix": "a-", "objectLockEnabled": true}, nil, pulumirpc.DiffResponse_DIFF_SOME, "objectLockEnabled", "objectLockEnabled", false},
		{"a bucket's forceDestroy updates in place", bucket, map[string]any{"bucketPrefix": "a-", "forceDestroy": false}, map[string]any{"bucketPrefix": "a-", "forceDestroy": true}, nil, pulumirpc.DiffResponse_DIFF_SOME, "forceDestroy", "", false},
		{"an EC2 tag's value updates in place", ec2Tag, map[string]any{"resourceId": "sg-1", "key": "karpenter.sh/discovery", "value": "dev"}, map[string]any{"resourceId": "sg-1", "key": "karpenter.sh/discovery", "value": "prod"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "value", "", false},
		{"tagging another resource replaces an EC2 tag", ec2Tag, map[string]any{"resourceId": "sg-1", "key": "k", "value": "v"}, map[string]any{"resourceId": "sg-2", "key": "k", "value": "v"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "resourceId", "resourceId", false},
		{"renaming a database updates it in place", db, map[string]any{"identifier": "mlflow", "engine": "postgres"}, map[string]any{"identifier": "dev-mlflow", "engine": "postgres"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "identifier", "", false},
		{"a database's master username replaces it", db, map[string]any{"identifier": "mlflow", "username": "mlflow"}, map[string]any{"identifier": "mlflow", "username": "admin"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "username", "username", false},
		{"a database's instance class updates in place", db, map[string]any{"instanceClass": "db.t4g.medium"}, map[string]any{"instanceClass": "db.r6g.large"}, nil, pulumirpc.DiffResponse_DIFF_SOME, "instanceClass", "", false},
		{"ignored", nodeGroup, map[string]any{"subnetIds": []any{"a"}}, map[string]any{"subnetIds": []any{"b"}}, []string{"subnetIds"}, pulumirpc.DiffResponse_DIFF_NONE, "", "", false},
	}
	p := configured(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := p.Diff(context.Background(), &pulumirpc.DiffRequest{
				Urn:       urnOf(tt.typ, "x"),
				OldInputs: props(t, resource.NewPropertyMapFromMap(tt.olds)),
				News:      props(t, resource.NewPropertyMapFromMap(tt.news)), IgnoreChanges: tt.ignore,
			})
			if err != nil {
				t.Fatal(err)
			}
			if resp.GetChanges() != tt.changes || strings.Join(resp.GetDiffs(), ",") != tt.diffs ||
				strings.Join(resp.GetReplaces(), ",") != tt.replac || resp.GetDeleteBeforeReplace() != tt.dbr {
				t.Fatalf("got %v diffs %v replaces %v deleteBeforeReplace %v; want diffs %q replaces %q deleteBeforeReplace %v",
					resp.GetChanges(), resp.GetDiffs(), resp.GetReplaces(), resp.GetDeleteBeforeReplace(), tt.diffs, tt.replac, tt.dbr)
			}
		})
	}
}

// A secret replacing input still replaces when it changes.
func TestDiffSeesThroughSecrets(t *testing.T) {
	p := configured(t, "")
	olds := resource.PropertyMap{"roleArn": resource.NewStringProperty("a")}
	for name, v := range map[string]resource.PropertyValue{
		"secret": resource.MakeSecret(resource.NewStringProperty("b")),
	} {
		resp, err := p.Diff(context.Background(), &pulumirpc.DiffRequest{
			Urn: urnOf("aws:eks/cluster:Cluster", "c"), OldInputs: props(t, olds),
			News: props(t, resource.PropertyMap{"roleArn": v}),
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(resp.GetReplaces(), ",") != "roleArn" {
			t.Errorf("%s roleArn: diffs %v replaces %v, want roleArn", name, resp.GetDiffs(), resp.GetReplaces())
		}
	}
}
