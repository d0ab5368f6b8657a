package extract

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
	tfsrc "github.com/mlops-platform/mlops-platform/internal/tfreplace/extract"
	serviceauthorization "github.com/mlops-platform/mlops-platform/third_party/aws-service-authorization"
)

const (
	vendorDir    = "../../../third_party/terraform-provider-aws"
	pulumiSchema = "../../../tools/fake-aws-provider/schema.json"
)

// The committed table is what the recorded call graph says: a hand edit
// of ops.json, or a calls/*.json changed without running go generate
// ./internal/tfcalls, fails here.
func TestCommittedTableIsFresh(t *testing.T) {
	want, err := Generate(vendorDir, pulumiSchema)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../ops.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("internal/tfcalls/ops.json differs from a fresh derivation; run go generate ./internal/tfcalls")
	}
}

// actions is a reference that defines the actions listed.
type actions []string

func (a actions) HasAction(action string) bool {
	for _, s := range a {
		if strings.EqualFold(s, action) {
			return true
		}
	}
	return false
}

func TestOperation(t *testing.T) {
	for method, want := range map[string]string{
		"CreateRole":                          "CreateRole",
		"PutRolePolicyWithContext":            "PutRolePolicy",
		"ListAttachedRolePoliciesPages":       "ListAttachedRolePolicies",
		"ListRolePoliciesPagesWithContext":    "ListRolePolicies",
		"NewListInstanceProfileTagsPaginator": "ListInstanceProfileTags",
		"NewTagResource":                      "NewTagResource",
	} {
		if got := Operation(method); got != want {
			t.Errorf("Operation(%s) = %s, want %s", method, got, want)
		}
	}
}

// walk follows the recorded calls, keeps the conditions and inputs of the
// path, prefers an unconditional path, stops at recursion, and fails on a
// function or an action it cannot resolve.
func TestWalk(t *testing.T) {
	props := map[string]*tfsrc.PulumiType{"role": {}, "tags": {}}
	fns := []Function{
		{Name: "create", Calls: []Step{{Client: "iam", Method: "CreateInstanceProfile"}, {Function: "addRole", When: `d.GetOk("role")`}, {Function: "read"}}},
		{Name: "read", Calls: []Step{{Client: "iam", Method: "GetInstanceProfileWithContext"}, {Function: "read"}}},
		{Name: "addRole", Calls: []Step{{Client: "iam", Method: "AddRoleToInstanceProfile"}, {Client: "iam", Method: "GetInstanceProfile", When: "retry"}}},
		{Name: "missing", Calls: []Step{{Function: "nowhere"}}},
		{Name: "unknownAction", Calls: []Step{{Client: "iam", Method: "FlyToTheMoon"}}},
		{Name: "unknownClient", Calls: []Step{{Client: "lambda", Method: "Invoke"}}},
	}
	ref := actions{"iam:CreateInstanceProfile", "iam:GetInstanceProfile", "iam:AddRoleToInstanceProfile", "lambda:Invoke"}
	g := newGraph(CallsFile{Package: "iam", Functions: fns}, ref)
	g.props = props
	c := collector{}
	if err := g.walk("create", nil, nil, c); err != nil {
		t.Fatal(err)
	}
	got := map[string]tfcalls.Call{}
	for _, call := range c.sorted() {
		got[call.Action] = call
	}
	if len(got) != 3 {
		t.Errorf("calls %v, want CreateInstanceProfile, GetInstanceProfile and AddRoleToInstanceProfile", got)
	}
	if a := got["iam:AddRoleToInstanceProfile"]; fmt.Sprint(a.Inputs) != "[[role]]" || strings.Join(a.Via, ">") != "create>addRole" {
		t.Errorf("AddRoleToInstanceProfile: %+v, want inputs [role] via create>addRole", a)
	}
	if r := got["iam:GetInstanceProfile"]; len(r.When) != 0 || len(r.Inputs) != 0 || r.Function != "read" {
		t.Errorf("GetInstanceProfile: %+v, want the unconditional call of read", r)
	}
	for name, want := range map[string]string{
		"missing":       "missing calls nowhere, which calls/iam.json does not record",
		"unknownAction": "iam:FlyToTheMoon is not an action of the Service Authorization Reference",
		"unknownClient": `client "lambda" has no service prefix`,
	} {
		err := g.walk(name, nil, nil, collector{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("walk(%s) = %v, want an error containing %q", name, err, want)
		}
	}
}

// Every recorded function is reached from some resource; a stale entry
// fails.
func TestUnusedFunctionFails(t *testing.T) {
	g := newGraph(CallsFile{Package: "iam", Functions: []Function{{Name: "stale"}}}, actions{})
	if err := g.unused(); err == nil || !strings.Contains(err.Error(), "stale") {
		t.Errorf("unused() = %v, want it to name stale", err)
	}
}

func TestCallsFileCheck(t *testing.T) {
	tests := map[string]Function{
		"neither a commit nor how it was found": {Name: "f", Path: "p"},
		"is not 40 hex digits":                  {Name: "f", Path: "p", Commit: "0040ea6911af"},
		"either a function or a client":         {Name: "f", Path: "p", Found: "x", Calls: []Step{{Method: "CreateRole"}}},
		"neither a name nor Receiver.Method":    {Name: "(*r).Create", Path: "p", Found: "x"},
	}
	for want, f := range tests {
		err := CallsFile{Functions: []Function{f}}.check()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("check(%+v) = %v, want %q", f, err, want)
		}
	}
	for _, name := range []string{"resourceRoleCreate", "securityGroupRuleResource.Create", "FindRouteTableByID"} {
		if err := (CallsFile{Functions: []Function{{Name: name, Path: "p", Found: "x"}}}).check(); err != nil {
			t.Errorf("check(%s) = %v, want nil", name, err)
		}
	}
}

// A path's conditions become alternatives of inputs: d.GetOk and
// d.HasChange require their attribute, d.HasChanges any one of its own;
// two paths to one action need either path's inputs, none when either
// path tests none.
func TestInputs(t *testing.T) {
	props := map[string]*tfsrc.PulumiType{"role": {}, "tags": {}, "vpcConfig": {}, "version": {}}
	tests := []struct {
		when []string
		want string
	}{
		{nil, "[[]]"},
		{[]string{"retry"}, "[[]]"},
		{[]string{`d.GetOk("role")`, `d.HasChange("tags_all")`}, "[[role tags]]"},
		{[]string{`d.HasChanges("version", "vpc_config.0.subnet_ids")`, `d.GetOk("role")`}, "[[role version] [role vpcConfig]]"},
		{[]string{`d.Get("vpc_config.0.enabled").(bool)`}, "[[vpcConfig]]"},
		{[]string{`!d.Get("vpc_config.0.enabled").(bool)`}, "[[]]"},
	}
	for _, tt := range tests {
		got, err := inputs(props, tt.when)
		if err != nil || fmt.Sprint(got) != tt.want {
			t.Errorf("inputs(%q) = %v, %v; want %s", tt.when, got, err, tt.want)
		}
	}
	if got := fmt.Sprint(mergeInputs([][]string{{"role"}}, [][]string{{"tags"}})); got != "[[role] [tags]]" {
		t.Errorf("merging two paths gives %s, want either path's inputs", got)
	}
	if got := mergeInputs([][]string{{"role"}}, nil); got != nil {
		t.Errorf("merging with an unconditional path gives %v, want none", got)
	}
}

func TestPulumiProperty(t *testing.T) {
	props := map[string]*tfsrc.PulumiType{"inlinePolicies": {}, "clientIdLists": {}, "tags": {}, "role": {}}
	for tf, want := range map[string]string{"inline_policy": "inlinePolicies", "client_id_list": "clientIdLists", "tags_all": "tags", "role": "role"} {
		if got, err := pulumiProperty(props, tf); err != nil || got != want {
			t.Errorf("pulumiProperty(%s) = %s, %v; want %s", tf, got, err, want)
		}
	}
	if _, err := pulumiProperty(props, "no_such_attribute"); err == nil {
		t.Error("an attribute with no Pulumi property maps to one")
	}
}

// The tagging interceptor updates tags on update and lists them after
// create, read and update unless the read function set them; a resource
// annotated @Tags whose resource type has no tagging functions fails.
func TestTags(t *testing.T) {
	fns := []Function{
		{Name: "upd", Calls: []Step{{Client: "iam", Method: "TagRole"}}},
		{Name: "lst", Calls: []Step{{Client: "iam", Method: "ListRoleTags"}}},
	}
	ref := actions{"iam:TagRole", "iam:ListRoleTags"}
	g := newGraph(CallsFile{Package: "iam", Functions: fns, Tagging: []Tagging{{ResourceType: "Role", Update: "upd", List: "lst"}}}, ref)
	g.props = map[string]*tfsrc.PulumiType{"tags": {}}
	reg := Registration{Tags: true, ResourceType: "Role"}
	tests := []struct {
		step         string
		readSetsTags bool
		want         string
	}{
		{tfcalls.Create, false, "iam:ListRoleTags"},
		{tfcalls.Update, false, "iam:ListRoleTags iam:TagRole"},
		{tfcalls.Update, true, "iam:TagRole"},
		{tfcalls.Read, true, ""},
		{tfcalls.Delete, false, ""},
	}
	for _, tt := range tests {
		c := collector{}
		if err := g.tags(ResourceEntry{ReadSetsTags: tt.readSetsTags}, reg, tt.step, c); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, call := range c.sorted() {
			got = append(got, call.Action)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s (readSetsTags %v): %v, want %s", tt.step, tt.readSetsTags, got, tt.want)
		}
	}
	err := g.tags(ResourceEntry{}, Registration{Tags: true, ResourceType: "InstanceProfile"}, tfcalls.Update, collector{})
	if err == nil || !strings.Contains(err.Error(), "names no tagging functions") {
		t.Errorf("an unknown tagging resource type gives %v", err)
	}
}

// An S3 operation maps to the permission its API documentation names,
// not to its own name; every mapped action is one the vendored Service
// Authorization Reference defines.
func TestActionExceptions(t *testing.T) {
	ref, err := serviceauthorization.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ client, method, want string }{
		{"s3", "DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
		{"s3", "GetBucketEncryption", "s3:GetEncryptionConfiguration"},
		{"s3", "PutBucketPolicy", "s3:PutBucketPolicy"},
		{"s3", "PutBucketVersioningWithContext", "s3:PutBucketVersioning"},
	} {
		if _, _, got, err := Action(ref, tt.client, tt.method); err != nil || got != tt.want {
			t.Errorf("Action(%s, %s) = %s, %v; want %s", tt.client, tt.method, got, err, tt.want)
		}
	}
	for op, action := range actionExceptions {
		if !ref.HasAction(action) {
			t.Errorf("%s maps to %s, which the reference does not define", op, action)
		}
	}
}
