package main

import (
	"context"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlops-platform/mlops-platform/internal/awsaccount"
)

func urnOf(typ, name string) string {
	return "urn:pulumi:dev::mlops-platform::" + typ + "::" + name
}

func props(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(m, marshal)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func unprops(t *testing.T, s *structpb.Struct) resource.PropertyMap {
	t.Helper()
	m, err := plugin.UnmarshalProperties(s, marshal)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func configured(t *testing.T, fail string) *Provider {
	t.Helper()
	p, err := New(fail)
	if err != nil {
		t.Fatal(err)
	}
	args, _ := structpb.NewStruct(map[string]any{"region": "eu-west-1"})
	if _, err := p.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: args}); err != nil {
		t.Fatal(err)
	}
	return p
}

func create(t *testing.T, p *Provider, typ, name string, in map[string]any) (string, resource.PropertyMap, error) {
	t.Helper()
	resp, err := p.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urnOf(typ, name), Properties: props(t, resource.NewPropertyMapFromMap(in)),
	})
	if err != nil {
		return "", nil, err
	}
	return resp.GetId(), unprops(t, resp.GetProperties()), nil
}

// TestCreateSynthesizesWhatTheProgramReads checks the computed attributes
// the platform program reads from the fake cloud.
func TestCreateSynthesizesWhatTheProgramReads(t *testing.T) {
	tests := []struct {
		typ, name string
		in        map[string]any
		path      string
		want      string // regexp
	}{
		{"aws:eks/cluster:Cluster", "cluster", map[string]any{"name": "mlops-dev"}, "endpoint", `^https://[0-9A-F]{32}\.gr7\.eu-west-1\.eks\.amazonaws\.com$`},
		{"aws:eks/cluster:Cluster", "cluster", map[string]any{"name": "mlops-dev"}, "certificateAuthority.data", `^LS0tLS1CRUdJTi`},
		{"aws:eks/cluster:Cluster", "cluster", map[string]any{"name": "mlops-dev"}, "identities[0].oidcs[0].issuer", `^https://oidc\.eks\.eu-west-1\.amazonaws\.com/id/[0-9A-F]{32}$`},
		{"aws:rds/instance:Instance", "db", map[string]any{"identifier": "mlflow"}, "address", `^mlflow\.[a-z0-9]+\.eu-west-1\.rds\.amazonaws\.com$`},
		{"aws:rds/instance:Instance", "db", map[string]any{"identifier": "mlflow"}, "masterUserSecrets[0].secretArn", `^arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-`},
		{"aws:s3/bucketV2:BucketV2", "artifacts", map[string]any{"bucketPrefix": "mlops-artifacts-"}, "arn", `^arn:aws:s3:::mlops-artifacts-[0-9a-f]{12}$`},
		{"aws:iam/role:Role", "node-role", map[string]any{}, "arn", `^arn:aws:iam::123456789012:role/node-role$`},
		{"aws:kms/key:Key", "state", map[string]any{}, "arn", `^arn:aws:kms:eu-west-1:123456789012:key/[0-9a-f]{8}-[0-9a-f]{4}-`},
		{"aws:ec2/vpc:Vpc", "vpc", map[string]any{"cidrBlock": "10.0.0.0/16"}, "id", `^vpc-[0-9a-f]{17}$`},
		{"aws:ec2/vpc:Vpc", "vpc", map[string]any{"cidrBlock": "10.0.0.0/16"}, "cidrBlock", `^10\.0\.0\.0/16$`},
		{"aws:sqs/queue:Queue", "any-type", map[string]any{}, "arn", `^arn:aws:sqs:eu-west-1:123456789012:any-type$`},
	}
	p := configured(t, "")
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.path, func(t *testing.T) {
			id, out, err := create(t, p, tt.typ, tt.name, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if id == "" || out["id"].StringValue() != id {
				t.Fatalf("id %q, state id %v", id, out["id"])
			}
			got, ok := lookup(out.Mappable(), tt.path)
			if !ok || !regexp.MustCompile(tt.want).MatchString(got) {
				t.Fatalf("%s = %q (present %v), want match %s", tt.path, got, ok, tt.want)
			}
		})
	}
}

func lookup(m map[string]any, path string) (string, bool) {
	var cur any = m
	for _, seg := range strings.Split(path, ".") {
		name, idx, _ := strings.Cut(seg, "[")
		obj, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		cur = obj[name]
		if idx != "" {
			list, ok := cur.([]any)
			if !ok || len(list) == 0 || idx != "0]" {
				return "", false
			}
			cur = list[0]
		}
	}
	s, ok := cur.(string)
	return s, ok
}

func TestSecretInputStaysSecret(t *testing.T) {
	p := configured(t, "")
	in := resource.PropertyMap{"password": resource.MakeSecret(resource.NewStringProperty("hunter2"))}
	resp, err := p.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urnOf("aws:rds/instance:Instance", "db"), Properties: props(t, in),
	})
	if err != nil {
		t.Fatal(err)
	}
	if out := unprops(t, resp.GetProperties()); !out["password"].IsSecret() {
		t.Fatalf("password output is not a secret: %v", out["password"])
	}
}

func TestPreviewCreateLeavesComputedUnknown(t *testing.T) {
	p := configured(t, "")
	resp, err := p.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urnOf("aws:s3/bucketV2:BucketV2", "b"), Preview: true,
		Properties: props(t, resource.NewPropertyMapFromMap(map[string]any{"bucketPrefix": "x-"})),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetId() != "" || unprops(t, resp.GetProperties()).HasValue("arn") {
		t.Fatalf("preview reported id %q and state %v", resp.GetId(), resp.GetProperties())
	}
}

func TestReplacementGetsANewID(t *testing.T) {
	p := configured(t, "")
	a, _, _ := create(t, p, "aws:ec2/subnet:Subnet", "s", map[string]any{})
	b, _, _ := create(t, p, "aws:ec2/subnet:Subnet", "s", map[string]any{})
	if a == b {
		t.Fatalf("two creations of one resource got the same id %q", a)
	}
}

func TestInjectedFailures(t *testing.T) {
	p := configured(t, "cluster, delete:"+urnOf("aws:s3/bucketV2:BucketV2", "logs"))
	if _, _, err := create(t, p, "aws:eks/cluster:Cluster", "cluster", map[string]any{"name": "c"}); err == nil || !strings.Contains(err.Error(), "injected failure: create of cluster") {
		t.Fatalf("create of cluster: err %v, want injected failure", err)
	}
	if _, _, err := create(t, p, "aws:eks/nodeGroup:NodeGroup", "general", map[string]any{}); err != nil {
		t.Fatalf("create of an unnamed resource failed: %v", err)
	}
	_, err := p.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: urnOf("aws:eks/cluster:Cluster", "cluster"), Id: "c"})
	if err == nil {
		t.Fatal("update of cluster succeeded, want injected failure")
	}
	if _, err := p.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: urnOf("aws:eks/cluster:Cluster", "cluster"), Id: "c", Preview: true}); err != nil {
		t.Fatalf("preview of an update failed: %v", err)
	}
	if _, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: urnOf("aws:s3/bucketV2:BucketV2", "logs")}); err == nil {
		t.Fatal("delete of logs succeeded, want injected failure")
	}
	if _, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: urnOf("aws:eks/cluster:Cluster", "cluster")}); err != nil {
		t.Fatalf("delete of cluster failed: %v (only create and update were injected)", err)
	}
	if _, err := New("destroy:x"); err == nil {
		t.Fatal("an unknown operation in the failure list was accepted")
	}
}

func TestInvoke(t *testing.T) {
	p := configured(t, "")
	resp, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: "aws:index/getCallerIdentity:getCallerIdentity"})
	if err != nil {
		t.Fatal(err)
	}
	if got := unprops(t, resp.GetReturn())["accountId"].StringValue(); got != AccountID {
		t.Fatalf("accountId %q", got)
	}
	if _, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: "aws:ec2/getAmi:getAmi"}); err == nil {
		t.Fatal("an invoke the fake cloud cannot answer succeeded")
	}
}

// TestVersionMatchesMainModule reads the main module's go.mod: the plugin
// must report the pulumi-aws version the program is built against.
func TestVersionMatchesMainModule(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`github.com/pulumi/pulumi-aws/sdk/v6 v(\S+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("go.mod does not require pulumi-aws/sdk/v6")
	}
	info, _ := (&Provider{}).GetPluginInfo(context.Background(), &emptypb.Empty{})
	if info.GetVersion() != string(m[1]) {
		t.Fatalf("plugin reports %s, go.mod pins pulumi-aws %s", info.GetVersion(), m[1])
	}
}

// TestInvokeAccount: the fake account answers the program's lookups from
// the fixture the offline engine answers from (internal/awsaccount), and
// refuses what it lacks.
func TestInvokeAccount(t *testing.T) {
	p := configured(t, "")
	tests := []struct {
		tok  string
		args map[string]any
		key  string
		want string
	}{
		{"aws:iam/getSessionContext:getSessionContext", map[string]any{"arn": "arn:aws:sts::" + AccountID + ":assumed-role/platform-deployer/ci"}, "issuerArn", "arn:aws:iam::" + AccountID + ":role/platform-deployer"},
		{"aws:ssm/getParameter:getParameter", map[string]any{"name": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"}, "value", awsaccount.AmiID},
		// Cloud Control cannot read ACM certificates, even one that exists.
		{"aws:cloudcontrol/getResource:getResource", map[string]any{"typeName": "AWS::CertificateManager::Certificate", "identifier": awsaccount.CertificateArn}, "", ""},
		{"aws:iam/getRole:getRole", map[string]any{"name": "platform-admin"}, "arn", "arn:aws:iam::" + AccountID + ":role/platform-admin"},
		{"aws:iam/getUser:getUser", map[string]any{"userName": "alice"}, "arn", "arn:aws:iam::" + AccountID + ":user/alice"},
		{"aws:ec2/getSecurityGroup:getSecurityGroup", map[string]any{"id": awsaccount.SecurityGroupID}, "id", awsaccount.SecurityGroupID},
		{"aws:iam/getRole:getRole", map[string]any{"name": "nobody"}, "", ""},
		{"aws:ssm/getParameter:getParameter", map[string]any{"name": "/private/x"}, "", ""},
	}
	for _, tt := range tests {
		resp, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: tt.tok, Args: props(t, resource.NewPropertyMapFromMap(tt.args))})
		if tt.key == "" {
			if err == nil {
				t.Errorf("%s %v: found, want not found", tt.tok, tt.args)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.tok, err)
			continue
		}
		if got := unprops(t, resp.GetReturn())[resource.PropertyKey(tt.key)]; !got.IsString() || got.StringValue() != tt.want {
			t.Errorf("%s %s = %v, want %s", tt.tok, tt.key, got, tt.want)
		}
	}
	resp, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: "aws:eks/getClusters:getClusters"})
	if err != nil || len(unprops(t, resp.GetReturn())["names"].ArrayValue()) != 0 {
		t.Errorf("getClusters: %v, want no cluster", err)
	}
}

// TestReadReportsInjectedDrift: a refresh reads the patched values of the
// resources EnvDrift names, and the state as given of the others.
func TestReadReportsInjectedDrift(t *testing.T) {
	p := configured(t, "")
	var err error
	if p.drift, err = parseDrift(`{"logs":{"retentionInDays":7,"tags":{"Team":"b","Name":null}},"aws:cloudwatch/logGroup:LogGroup::gone":{"kmsKeyId":null},"aws:s3/bucketV2:BucketV2::other":{"kmsKeyId":null}}`); err != nil {
		t.Fatal(err)
	}
	state := props(t, resource.NewPropertyMapFromMap(map[string]any{"retentionInDays": 30, "tags": map[string]any{"Team": "a", "Name": "n"}, "kmsKeyId": "k"}))
	for _, tc := range []struct {
		name string
		want map[string]any
	}{
		{"logs", map[string]any{"retentionInDays": 7.0, "tags": map[string]any{"Team": "b"}, "kmsKeyId": "k"}},
		{"gone", map[string]any{"retentionInDays": 30.0, "tags": map[string]any{"Team": "a", "Name": "n"}}},
		{"other", map[string]any{"retentionInDays": 30.0, "tags": map[string]any{"Team": "a", "Name": "n"}, "kmsKeyId": "k"}},
	} {
		res, err := p.Read(context.Background(), &pulumirpc.ReadRequest{Urn: urnOf("aws:cloudwatch/logGroup:LogGroup", tc.name), Id: "x", Properties: state, Inputs: state})
		if err != nil {
			t.Fatal(err)
		}
		for what, got := range map[string]*structpb.Struct{"outputs": res.GetProperties(), "inputs": res.GetInputs()} {
			if g := unprops(t, got).Mappable(); !reflect.DeepEqual(g, tc.want) {
				t.Errorf("%s: %s %v, want %v", tc.name, what, g, tc.want)
			}
		}
	}
	if _, err := parseDrift(`{"logs":7}`); err == nil {
		t.Error("a patch that is not an object parsed")
	}
}
