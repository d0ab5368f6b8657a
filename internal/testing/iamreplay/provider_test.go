package iamreplay

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

const (
	boundaryARN = "arn:aws:iam::123456789012:policy/mlops-platform-dev-permissions-boundary"
	keyARN      = "arn:aws:kms:eu-west-1:123456789012:key/k-1"
)

// providerOps are a role created with a boundary (autonamed: the fake
// reports the logical name, the ID carries the suffix), its inline
// policy, the cluster it is passed to with secrets encrypted by a key
// that has an alias, a database whose storage and master secret that key
// encrypts, and the role's deletion.
var providerOps = []ProviderOp{
	{Type: typetoken.KMSAlias, Step: StepCreate, URN: "urn:pulumi:dev::p::aws:kms/alias:Alias::keys-data", ID: "alias/data",
		Region: "eu-west-1", Inputs: map[string]any{"name": "alias/data", "targetKeyId": "k-1"}},
	{Type: typetoken.Role, Step: StepCreate, URN: "urn:pulumi:dev::p::aws:iam/role:Role::cluster-role", ID: "cluster-role-1a2b3c4",
		Region: "eu-west-1", DefaultTags: map[string]string{"Project": "mlops"},
		Inputs:  map[string]any{"permissionsBoundary": boundaryARN, "tags": map[string]any{"Name": "cluster"}},
		Outputs: map[string]any{"name": "cluster-role", "arn": "arn:aws:iam::123456789012:role/cluster-role"}},
	{Type: typetoken.RolePolicy, Step: StepCreate, URN: "urn:pulumi:dev::p::aws:iam/rolePolicy:RolePolicy::inline", ID: "cluster-role:inline",
		Region: "eu-west-1", Inputs: map[string]any{"role": "cluster-role", "name": "inline"}},
	{Type: typetoken.Cluster, Step: StepCreate, URN: "urn:pulumi:dev::p::aws:eks/cluster:Cluster::cluster", ID: "mlops-dev",
		Region: "eu-west-1", Inputs: map[string]any{"name": "mlops-dev", "roleArn": "arn:aws:iam::123456789012:role/cluster-role",
			"encryptionConfig": map[string]any{"provider": map[string]any{"keyArn": keyARN}, "resources": []any{"secrets"}}}},
	{Type: typetoken.DBInstance, Step: StepCreate, URN: "urn:pulumi:dev::p::aws:rds/instance:Instance::database", ID: "db-1",
		Region: "eu-west-1", Inputs: map[string]any{"identifier": "mlflow", "storageEncrypted": true, "kmsKeyId": keyARN,
			"manageMasterUserPassword": true, "masterUserSecretKmsKeyId": keyARN},
		Outputs: map[string]any{"masterUserSecrets": []any{map[string]any{"secretArn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1"}}}},
	{Type: typetoken.Role, Step: StepDelete, URN: "urn:pulumi:dev::p::aws:iam/role:Role::cluster-role", ID: "cluster-role-1a2b3c4",
		Region: "eu-west-1", DefaultTags: map[string]string{"Project": "mlops"},
		Inputs:  map[string]any{"permissionsBoundary": boundaryARN, "tags": map[string]any{"Name": "cluster"}},
		Outputs: map[string]any{"name": "cluster-role", "arn": "arn:aws:iam::123456789012:role/cluster-role"}},
}

// find returns the authorizations of action on resource that the
// operation on the resource named of needs.
func find(auths []Authorization, of, action, resource string) []Authorization {
	var out []Authorization
	for _, a := range auths {
		if strings.HasSuffix(a.Op, " "+of) && a.Action == action && a.Resource == resource {
			out = append(out, a)
		}
	}
	return out
}

// TestReplayProviderAuthorizations: each operation becomes its Table
// actions on the resource AWS authorizes them on, with the condition keys
// AWS sets: a create's request tags and boundary, the role's boundary on
// later writes and its tags once it exists, iam:PassRole to the service
// the role is passed to, and KMS use through the service that encrypts.
func TestReplayProviderAuthorizations(t *testing.T) {
	r := &Replayer{Env: Env{Partition: "aws", Account: "123456789012"}}
	auths, err := r.ReplayProvider(providerOps)
	if err != nil {
		t.Fatal(err)
	}
	role := "arn:aws:iam::123456789012:role/cluster-role-1a2b3c4"
	tests := []struct {
		name, of, action, resource string
		want                       map[string][]string
		absent                     []string
	}{
		{"role create", "cluster-role", "iam:CreateRole", role, map[string][]string{"iam:PermissionsBoundary": {boundaryARN},
			"aws:RequestTag/Project": {"mlops"}, "aws:RequestTag/Name": {"cluster"}, "aws:TagKeys": {"Name", "Project"}}, []string{"aws:ResourceTag/Project"}},
		{"role read after create", "cluster-role", "iam:GetRole", role, map[string][]string{"aws:ResourceTag/Project": {"mlops"}, "iam:PermissionsBoundary": {boundaryARN}}, nil},
		{"inline policy", "inline", "iam:PutRolePolicy", role, map[string][]string{"iam:PermissionsBoundary": {boundaryARN}}, []string{"aws:RequestTag/Project"}},
		{"passed to EKS", "cluster", "iam:PassRole", role, map[string][]string{"iam:PassedToService": {"eks.amazonaws.com"}}, nil},
		{"EKS grants itself the key", "cluster", "kms:CreateGrant", keyARN, map[string][]string{"kms:ViaService": {"eks.eu-west-1.amazonaws.com"},
			"kms:GrantIsForAWSResource": {"true"}, "kms:ResourceAliases": {"alias/data"}}, nil},
		{"alias on its key", "keys-data", "kms:CreateAlias", keyARN, nil, nil},
		{"RDS grants itself the storage key", "database", "kms:DescribeKey", keyARN, map[string][]string{"kms:ViaService": {"rds.eu-west-1.amazonaws.com"}}, nil},
		{"Secrets Manager encrypts the master secret with the same key", "database", "kms:GenerateDataKey", keyARN,
			map[string][]string{"kms:ViaService": {"secretsmanager.eu-west-1.amazonaws.com"}}, []string{"kms:GrantIsForAWSResource"}},
		{"EKS's service-linked role", "cluster", "iam:CreateServiceLinkedRole", "arn:aws:iam::123456789012:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS",
			map[string][]string{"iam:AWSServiceName": {"eks.amazonaws.com"}}, nil},
		{"alias itself", "keys-data", "kms:CreateAlias", "arn:aws:kms:eu-west-1:123456789012:alias/data", nil, nil},
		{"role delete", "cluster-role", "iam:DeleteRole", role, map[string][]string{"iam:PermissionsBoundary": {boundaryARN}, "aws:ResourceTag/Name": {"cluster"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := find(auths, tt.of, tt.action, tt.resource)
			if len(got) == 0 {
				t.Fatalf("%s needs no %s on %s among:\n%s", tt.of, tt.action, tt.resource, describe(auths))
			}
			for k, v := range tt.want {
				if !slices.Equal(got[0].Context[k], v) {
					t.Errorf("%s: %s = %v, want %v", got[0], k, got[0].Context[k], v)
				}
			}
			for _, k := range tt.absent {
				if _, ok := got[0].Context[k]; ok {
					t.Errorf("%s: has %s", got[0], k)
				}
			}
		})
	}
}

func describe(auths []Authorization) string {
	var b strings.Builder
	for _, a := range auths {
		b.WriteString(a.String() + "\n")
	}
	return b.String()
}

// TestReplayProviderRefusesWhatItCannotMap: a type with no Table row, and
// an action whose resource the operation does not name, fail the replay.
func TestReplayProviderRefusesWhatItCannotMap(t *testing.T) {
	for _, tt := range []struct {
		op   ProviderOp
		want string
	}{
		{ProviderOp{Type: "aws:ec2/keyPair:KeyPair", Step: StepCreate, URN: "urn:pulumi:dev::p::aws:ec2/keyPair:KeyPair::k"}, "no deployer table row for aws:ec2/keyPair:KeyPair"},
		{ProviderOp{Type: typetoken.RolePolicy, Step: StepCreate, URN: "urn:pulumi:dev::p::aws:iam/rolePolicy:RolePolicy::p", Inputs: map[string]any{}}, "iam:PutRolePolicy: no resource of the types [role]"},
		{ProviderOp{Type: typetoken.Role, Step: "import", URN: "urn:pulumi:dev::p::aws:iam/role:Role::r"}, `unknown step "import"`},
	} {
		r := &Replayer{Env: testEnv}
		if _, err := r.ReplayProvider([]ProviderOp{tt.op}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s: %v, want %q", tt.op.Step, tt.op.Type, err, tt.want)
		}
	}
}

// richInputs name every related resource a Table row's action may be
// authorized on.
var richInputs = map[string]any{
	"name": "n", "vpcId": "vpc-1", "subnetId": "subnet-1", "routeTableId": "rtb-1", "securityGroupId": "sg-1",
	"allocationId": "eipalloc-1", "clusterName": "c", "nodeGroupName": "ng", "addonName": "a", "role": "r", "targetKeyId": "k-1",
	"bucket": "b", "queueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/q", "rule": "rule-1",
	"principalArn": "arn:aws:iam::123456789012:role/admin", "autoscalingGroupName": "asg", "resourceId": "sg-1",
	"identifier": "db", "url": "https://oidc.example", "policyArn": "arn:aws:iam::aws:policy/P", "arn": "arn:aws:sqs:eu-west-1:123456789012:q",
	"masterUserSecrets": []any{map[string]any{"secretArn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1"}},
}

// TestEveryTableRowReplays: every action of every row of the deployer
// table, at every step, maps to a resource of a type the vendored Service
// Authorization Reference authorizes it on (ReplayProvider checks each),
// so a provider operation of any type the program declares replays.
func TestEveryTableRowReplays(t *testing.T) {
	for _, token := range slices.Sorted(maps.Keys(deployerpolicy.Table)) {
		for _, step := range []string{StepCreate, StepRead, StepUpdate, StepDelete} {
			r := &Replayer{Env: testEnv}
			op := ProviderOp{Type: token, Step: step, URN: "urn:pulumi:dev::p::" + token + "::x", ID: "x-1", Region: "eu-west-1",
				DefaultTags: map[string]string{"Project": "p"}, Inputs: richInputs}
			if _, err := r.ReplayProvider([]ProviderOp{op}); err != nil {
				t.Errorf("%v", err)
			}
		}
	}
}

// TestReadProviderLogIsStrict: a line with a field the log does not have
// fails, naming the line; a log never written holds nothing.
func TestReadProviderLogIsStrict(t *testing.T) {
	dir := t.TempDir()
	if ops, err := ReadProviderLog(filepath.Join(dir, "none.jsonl")); err != nil || len(ops) != 0 {
		t.Errorf("a missing log: %v, %v", ops, err)
	}
	f := filepath.Join(dir, "calls.jsonl")
	lines := `{"type":"aws:iam/role:Role","step":"create","urn":"u","id":"r","region":"eu-west-1","inputs":{},"outputs":{}}` + "\n" +
		`{"type":"aws:iam/role:Role","step":"create","urn":"u","id":"r","region":"eu-west-1","input":{}}` + "\n"
	if err := os.WriteFile(f, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadProviderLog(f); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a line with an unknown field: %v", err)
	}
}

// A type internal/tfcalls derives replays the operations the provider's
// source makes, conditions decided by the op's inputs; others replay the
// deployer table's row.
// bastionInputs are the inputs internal/infra/bastion sets on its
// instance.
var bastionInputs = map[string]any{
	"ami": "ami-1", "instanceType": "t3.micro", "subnetId": "subnet-1", "vpcSecurityGroupIds": []any{"sg-1"},
	"iamInstanceProfile": "p", "associatePublicIpAddress": false, "metadataOptions": map[string]any{"httpTokens": "required"},
	"rootBlockDevice": map[string]any{"volumeType": "gp3", "encrypted": true},
}

func instance(step string, in map[string]any) ProviderOp {
	return ProviderOp{Type: typetoken.EC2Instance, Step: step, Inputs: in}
}

func TestActionsForFollowTheProviderSource(t *testing.T) {
	key := func(in map[string]any) ProviderOp {
		return ProviderOp{Type: typetoken.KMSKey, Step: StepCreate, Inputs: in}
	}
	db := func(step string, in map[string]any) ProviderOp {
		return ProviderOp{Type: typetoken.DBInstance, Step: step, Inputs: in}
	}
	tests := []struct {
		name      string
		op        ProviderOp
		want, not []string
	}{
		{"a key created enabled", key(map[string]any{"enableKeyRotation": true}),
			[]string{"kms:CreateKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy"}, []string{"kms:DisableKey", "kms:PutKeyPolicy"}},
		{"a key created disabled", key(map[string]any{"isEnabled": false}), []string{"kms:CreateKey", "kms:DisableKey"}, nil},
		{"a role's delete lists its instance profiles", ProviderOp{Type: typetoken.Role, Step: StepDelete},
			[]string{"iam:DeleteRole", "iam:ListInstanceProfilesForRole"}, []string{"iam:CreateRole"}},
		{"a role's inline policies only when set", ProviderOp{Type: typetoken.Role, Step: StepCreate},
			[]string{"iam:CreateRole", "iam:GetRole"}, []string{"iam:PutRolePolicy", "iam:AttachRolePolicy"}},
		{"a database with a managed secret: RDS creates it with the caller's permissions", db(StepCreate, map[string]any{"manageMasterUserPassword": true}),
			[]string{"rds:CreateDBInstance", "secretsmanager:CreateSecret", "secretsmanager:TagResource"},
			[]string{"rds:RestoreDBInstanceFromDBSnapshot", "rds:CreateDBInstanceReadReplica", "rds:RebootDBInstance"}},
		{"a database restored from a snapshot", db(StepCreate, map[string]any{"snapshotIdentifier": "s"}),
			[]string{"rds:CreateDBInstance", "rds:RestoreDBInstanceFromDBSnapshot"}, []string{"secretsmanager:CreateSecret"}},
		{"a protected database's delete leaves its protection on", db(StepDelete, map[string]any{"deletionProtection": true, "applyImmediately": true}),
			[]string{"rds:DeleteDBInstance"}, []string{"rds:ModifyDBInstance"}},
		{"an unprotected database's delete lifts a protection set outside", db(StepDelete, map[string]any{"deletionProtection": false, "applyImmediately": true}),
			[]string{"rds:DeleteDBInstance", "rds:ModifyDBInstance"}, nil},
		{"a database's update without blue/green", db(StepUpdate, nil),
			[]string{"rds:ModifyDBInstance"}, []string{"rds:CreateBlueGreenDeployment", "rds:PromoteReadReplica"}},
		{"an instance's create makes no update of an existing instance", instance(StepCreate, bastionInputs),
			[]string{"ec2:RunInstances", "ec2:DescribeImages", "ec2:DescribeTags"}, []string{"ec2:ModifyVolume", "ec2:ReplaceIamInstanceProfileAssociation", "ec2:ModifyNetworkInterfaceAttribute"}},
		{"an instance's update does", instance(StepUpdate, bastionInputs),
			[]string{"ec2:ModifyVolume", "ec2:ReplaceIamInstanceProfileAssociation", "ec2:ModifyNetworkInterfaceAttribute"}, nil},
		{"an instance's delete lifts protection only with forceDestroy", instance(StepDelete, nil),
			[]string{"ec2:TerminateInstances"}, []string{"ec2:ModifyInstanceAttribute"}},
		{"a forceDestroy instance's delete does", instance(StepDelete, map[string]any{"forceDestroy": true}),
			[]string{"ec2:TerminateInstances", "ec2:ModifyInstanceAttribute"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := actionsFor(tc.op, false)
			if err != nil {
				t.Fatal(err)
			}
			if tc.op.Step == StepCreate && got[0] != deployerpolicy.Table[tc.op.Type].Create[0] {
				t.Errorf("first action %s, want the create call %s", got[0], deployerpolicy.Table[tc.op.Type].Create[0])
			}
			for _, a := range tc.want {
				if !slices.Contains(got, a) {
					t.Errorf("%v lacks %s", got, a)
				}
			}
			for _, a := range tc.not {
				if slices.Contains(got, a) {
					t.Errorf("%v has %s", got, a)
				}
			}
		})
	}
}

// A forceDestroy bucket's delete empties it first; another bucket's does
// not.
func TestBucketEmptyingOnlyWithForceDestroy(t *testing.T) {
	for _, force := range []bool{true, false} {
		r := &Replayer{Env: Env{Partition: "aws", Account: "123456789012", Region: "eu-west-1"}}
		op := ProviderOp{Type: typetoken.Bucket, Step: StepDelete, ID: "b-1", Inputs: map[string]any{"forceDestroy": force}}
		var got []string
		for _, a := range r.bucketEmptying(op) {
			got = append(got, a.Action+" "+a.Resource)
		}
		want := []string{}
		if force {
			want = []string{"s3:ListBucketVersions arn:aws:s3:::b-1", "s3:DeleteObjectVersion arn:aws:s3:::b-1/" + emptyingKey,
				"s3:DeleteObject arn:aws:s3:::b-1/" + emptyingKey}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("forceDestroy %v: %v, want %v", force, got, want)
		}
	}
}

// A data source call is authorized as deployerpolicy.Invokes says, on the
// resource its arguments name; an invoke the policy does not list fails.
func TestReplayInvokes(t *testing.T) {
	r := &Replayer{Env: testEnv}
	got, err := r.ReplayProvider([]ProviderOp{
		{Type: typetoken.GetRole, Step: StepInvoke, Region: "eu-west-1", Inputs: map[string]any{"name": "admin"}},
		{Type: typetoken.GetCallerIdentity, Step: StepInvoke, Region: "eu-west-1"},
		{Type: typetoken.GetPartition, Step: StepInvoke, Region: "eu-west-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, a := range got {
		lines = append(lines, a.Op+": "+a.Action+" "+a.Resource)
	}
	want := []string{
		"invoke " + typetoken.GetRole + ": iam:GetRole arn:aws:iam::" + testEnv.Account + ":role/admin",
		"invoke " + typetoken.GetCallerIdentity + ": sts:GetCallerIdentity *",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if _, err := r.ReplayProvider([]ProviderOp{{Type: "aws:ec2/getAmi:getAmi", Step: StepInvoke}}); err == nil || !strings.Contains(err.Error(), "no deployerpolicy.Invokes entry") {
		t.Errorf("an unlisted invoke replayed: %v", err)
	}
}
