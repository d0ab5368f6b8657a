package main

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// inAccount is a provider in region whose account is dir.
func inAccount(t *testing.T, dir, region string) *Provider {
	t.Helper()
	p := configured(t, "")
	p.region = region
	var err error
	if p.account, err = newAccount(dir); err != nil {
		t.Fatal(err)
	}
	return p
}

func deleteOf(t *testing.T, p *Provider, typ, name, id string, in map[string]any) error {
	t.Helper()
	m := props(t, resource.NewPropertyMapFromMap(in))
	_, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: urnOf(typ, name), Id: id, Properties: m, OldInputs: m})
	return err
}

// TestAccountRefusesDuplicateNames creates a second resource with the
// first's physical name, in the same account (a second plugin process of
// the same directory): AWS's create error, or what AWS's create does
// instead (names.go). A name in another scope, or freed by a delete, is
// accepted.
func TestAccountRefusesDuplicateNames(t *testing.T) {
	tests := []struct {
		name, typ string
		first     map[string]any
		second    map[string]any
		region    string // of the second
		want      string // the error's code, or "" when the create passes
		sameID    bool   // the second create reports the first's ID (AWS returns the existing resource)
	}{
		{"IAM role", "aws:iam/role:Role", map[string]any{"name": "r"}, map[string]any{"name": "r"}, "eu-west-1", "StatusCode: 409, RequestID: 00000000-0000-0000-0000-000000000000, api error EntityAlreadyExists: Role with name r already exists.", false},
		{"IAM role, another region: IAM is global", "aws:iam/role:Role", map[string]any{"name": "r"}, map[string]any{"name": "r"}, "us-west-2", "EntityAlreadyExists", false},
		{"IAM policy", "aws:iam/policy:Policy", map[string]any{"name": "p"}, map[string]any{"name": "p"}, "eu-west-1", "EntityAlreadyExists", false},
		{"instance profile", "aws:iam/instanceProfile:InstanceProfile", map[string]any{"name": "p"}, map[string]any{"name": "p"}, "eu-west-1", "EntityAlreadyExists", false},
		{"OIDC provider", "aws:iam/openIdConnectProvider:OpenIdConnectProvider", map[string]any{"url": "https://oidc.example"}, map[string]any{"url": "https://oidc.example"}, "eu-west-1", "EntityAlreadyExists", false},
		{"EKS cluster", "aws:eks/cluster:Cluster", map[string]any{"name": "c"}, map[string]any{"name": "c"}, "eu-west-1", "api error ResourceInUseException: Cluster already exists with name: c", false},
		{"EKS cluster, another region", "aws:eks/cluster:Cluster", map[string]any{"name": "c"}, map[string]any{"name": "c"}, "us-west-2", "", false},
		{"node group", "aws:eks/nodeGroup:NodeGroup", map[string]any{"clusterName": "c", "nodeGroupName": "g"}, map[string]any{"clusterName": "c", "nodeGroupName": "g"}, "eu-west-1", "ResourceInUseException: NodeGroup already exists with name g and cluster name c", false},
		{"node group, another cluster", "aws:eks/nodeGroup:NodeGroup", map[string]any{"clusterName": "c", "nodeGroupName": "g"}, map[string]any{"clusterName": "d", "nodeGroupName": "g"}, "eu-west-1", "", false},
		{"addon", "aws:eks/addon:Addon", map[string]any{"clusterName": "c", "addonName": "vpc-cni"}, map[string]any{"clusterName": "c", "addonName": "vpc-cni"}, "eu-west-1", "ResourceInUseException", false},
		{"RDS instance", "aws:rds/instance:Instance", map[string]any{"identifier": "db", "skipFinalSnapshot": true}, map[string]any{"identifier": "db"}, "eu-west-1", "StatusCode: 400, RequestID: 00000000-0000-0000-0000-000000000000, api error DBInstanceAlreadyExists", false},
		{"DB subnet group", "aws:rds/subnetGroup:SubnetGroup", map[string]any{"name": "g"}, map[string]any{"name": "g"}, "eu-west-1", "DBSubnetGroupAlreadyExists", false},
		{"DB parameter group", "aws:rds/parameterGroup:ParameterGroup", map[string]any{"name": "g"}, map[string]any{"name": "g"}, "eu-west-1", "DBParameterGroupAlreadyExists", false},
		{"KMS alias", "aws:kms/alias:Alias", map[string]any{"name": "alias/a"}, map[string]any{"name": "alias/a"}, "eu-west-1", "AlreadyExistsException: An alias with the name arn:aws:kms:eu-west-1:123456789012:alias/a already exists", false},
		{"log group", "aws:cloudwatch/logGroup:LogGroup", map[string]any{"name": "/l"}, map[string]any{"name": "/l"}, "eu-west-1", "ResourceAlreadyExistsException", false},
		{"bucket, BucketV2 then Bucket: one namespace", "aws:s3/bucketV2:BucketV2", map[string]any{"bucket": "b"}, map[string]any{"bucket": "b"}, "eu-west-1", "StatusCode: 409, RequestID: 00000000-0000-0000-0000-000000000000, api error BucketAlreadyOwnedByYou", false},
		{"bucket in us-east-1: 200 OK", "aws:s3/bucketV2:BucketV2", map[string]any{"bucket": "b"}, map[string]any{"bucket": "b"}, "us-east-1", "", true},
		{"bucket by prefix", "aws:s3/bucketV2:BucketV2", map[string]any{"bucketPrefix": "b-"}, map[string]any{"bucketPrefix": "b-"}, "eu-west-1", "", false},
		{"SNS topic: idempotent", "aws:sns/topic:Topic", map[string]any{"name": "t"}, map[string]any{"name": "t", "displayName": "other"}, "eu-west-1", "", true},
		{"SQS queue, same attributes", "aws:sqs/queue:Queue", map[string]any{"name": "q", "delaySeconds": 5}, map[string]any{"name": "q", "delaySeconds": 5, "tags": map[string]any{"a": "b"}}, "eu-west-1", "", true},
		{"SQS queue, other attributes", "aws:sqs/queue:Queue", map[string]any{"name": "q", "delaySeconds": 5}, map[string]any{"name": "q", "delaySeconds": 6}, "eu-west-1", "api error QueueAlreadyExists", false},
		{"EventBridge rule: PutRule upserts", "aws:cloudwatch/eventRule:EventRule", map[string]any{"name": "r"}, map[string]any{"name": "r"}, "eu-west-1", "", false},
		{"security group", "aws:ec2/securityGroup:SecurityGroup", map[string]any{"name": "sg", "vpcId": "vpc-1"}, map[string]any{"name": "sg", "vpcId": "vpc-1"}, "eu-west-1", "InvalidGroup.Duplicate: The security group 'sg' already exists for VPC 'vpc-1'", false},
		{"security group, another VPC", "aws:ec2/securityGroup:SecurityGroup", map[string]any{"name": "sg", "vpcId": "vpc-1"}, map[string]any{"name": "sg", "vpcId": "vpc-2"}, "eu-west-1", "", false},
		{"launch template", "aws:ec2/launchTemplate:LaunchTemplate", map[string]any{"name": "lt"}, map[string]any{"name": "lt"}, "eu-west-1", "InvalidLaunchTemplateName.AlreadyExistsException", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			first := inAccount(t, dir, "eu-west-1")
			id, _, err := create(t, first, tt.typ, "first", tt.first)
			if err != nil {
				t.Fatalf("first create: %v", err)
			}
			typ := tt.typ
			if strings.HasPrefix(tt.name, "bucket, BucketV2 then Bucket") {
				typ = "aws:s3/bucket:Bucket"
			}
			second := inAccount(t, dir, tt.region)
			got, _, err := create(t, second, typ, "second", tt.second)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("second create: %v, want it to pass", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("second create: %v, want %q", err, tt.want)
			case tt.sameID && got != id:
				t.Errorf("second create's ID %q, want the first's %q", got, id)
			}
			if tt.want == "" {
				return
			}
			if err := deleteOf(t, first, tt.typ, "first", id, tt.first); err != nil {
				t.Fatal(err)
			}
			if _, _, err := create(t, second, typ, "second", tt.second); err != nil {
				t.Errorf("create after the first's delete: %v", err)
			}
		})
	}
}

// TestAccountOptIn: without EnvAccount the fake keeps no names.
func TestAccountOptIn(t *testing.T) {
	p := configured(t, "")
	for i := 0; i < 2; i++ {
		if _, _, err := create(t, p, "aws:iam/role:Role", "r", map[string]any{"name": "r"}); err != nil {
			t.Fatalf("create %d without an account: %v", i, err)
		}
	}
}

// TestAccountConcurrentClaims: plugin processes creating one name at once
// (here goroutines on one directory): exactly one create succeeds.
func TestAccountConcurrentClaims(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 16)
	for i := range errs {
		p := inAccount(t, dir, "eu-west-1")
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = p.account.claim(resource.URN(urnOf("aws:iam/role:Role", "r")), "eu-west-1", "r", resource.NewPropertyMapFromMap(map[string]any{"name": "r"}))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !strings.Contains(err.Error(), "EntityAlreadyExists") {
			t.Errorf("claim: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent creates of one name succeeded, want 1", ok, len(errs))
	}
}

// TestAccountRenameInPlace: an update that renames a resource (where the
// provider does so in place) takes the new name, refused if held, and
// frees the old one.
func TestAccountRenameInPlace(t *testing.T) {
	p := inAccount(t, t.TempDir(), "eu-west-1")
	typ := "aws:rds/instance:Instance"
	a, _, err := create(t, p, typ, "a", map[string]any{"identifier": "one"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := create(t, p, typ, "b", map[string]any{"identifier": "two"}); err != nil {
		t.Fatal(err)
	}
	update := func(from, to string) error {
		_, err := p.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: urnOf(typ, "a"), Id: a,
			OldInputs: props(t, resource.NewPropertyMapFromMap(map[string]any{"identifier": from})),
			News:      props(t, resource.NewPropertyMapFromMap(map[string]any{"identifier": to}))})
		return err
	}
	if err := update("one", "two"); err == nil || !strings.Contains(err.Error(), "DBInstanceAlreadyExists") {
		t.Errorf("renaming onto a held name: %v, want DBInstanceAlreadyExists", err)
	}
	if err := update("one", "three"); err != nil {
		t.Fatalf("rename: %v", err)
	}
	if _, _, err := create(t, p, typ, "c", map[string]any{"identifier": "one"}); err != nil {
		t.Errorf("the old name is still held: %v", err)
	}
	if _, _, err := create(t, p, typ, "d", map[string]any{"identifier": "three"}); err == nil {
		t.Error("the new name is not held")
	}
}

// TestAccountHoldsGeneratedBucketNames: a bucket named from a prefix holds
// the name the provider generated (its ID), as any bucket does: a bucket
// of that name is refused until the first is deleted.
func TestAccountHoldsGeneratedBucketNames(t *testing.T) {
	const typ = "aws:s3/bucketV2:BucketV2"
	p := inAccount(t, t.TempDir(), "eu-west-1")
	prefixed := map[string]any{"bucketPrefix": "mlops-artifacts-"}
	id, _, err := create(t, p, typ, "artifacts", prefixed)
	if err != nil || !strings.HasPrefix(id, "mlops-artifacts-") {
		t.Fatalf("create: %q, %v", id, err)
	}
	named := map[string]any{"bucket": id}
	if _, _, err := create(t, p, typ, "copy", named); err == nil || !strings.Contains(err.Error(), "BucketAlreadyOwnedByYou") {
		t.Fatalf("a bucket of the generated name: %v, want BucketAlreadyOwnedByYou", err)
	}
	if err := deleteOf(t, p, typ, "artifacts", id, prefixed); err != nil {
		t.Fatal(err)
	}
	if _, _, err := create(t, p, typ, "copy", named); err != nil {
		t.Errorf("a bucket of the generated name after the delete: %v", err)
	}
}
