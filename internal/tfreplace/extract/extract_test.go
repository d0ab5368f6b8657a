package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/tfreplace"
)

// manifestDir holds sources.json, the record of which upstream file and
// commit each resource's rules were read from.
const manifestDir = "../../../third_party/terraform-provider-aws"

// The committed table and the manifest name the same resources, each from
// the file and commit the manifest records: a hand-added resource, or one
// re-read at another commit without updating sources.json, fails here.
// (Re-extracting needs the upstream files, which are not committed:
// go run ./internal/tfreplace/gen -src DIR -check.)
func TestTableNamesItsSources(t *testing.T) {
	m, err := ReadManifest(manifestDir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../replaces.json")
	if err != nil {
		t.Fatal(err)
	}
	var table tfreplace.Table
	if err := json.Unmarshal(b, &table); err != nil {
		t.Fatal(err)
	}
	if table.Repository != m.Repository {
		t.Errorf("replaces.json is from %s, sources.json from %s", table.Repository, m.Repository)
	}
	seen := map[string]bool{}
	for _, s := range m.Sources {
		seen[s.Token] = true
		r, ok := table.Resources[s.Token]
		switch {
		case !ok:
			t.Errorf("%s: in sources.json, not in replaces.json: run go generate ./internal/tfreplace", s.Token)
		case r.Terraform != s.Resource || r.Source != s.Path+"@"+s.Commit:
			t.Errorf("%s: replaces.json says %s from %s, sources.json %s from %s@%s", s.Token, r.Terraform, r.Source, s.Resource, s.Path, s.Commit)
		case len(s.Commit) != 40:
			t.Errorf("%s: commit %q is not a full commit id", s.Token, s.Commit)
		}
	}
	for tok := range table.Resources {
		if !seen[tok] {
			t.Errorf("%s: in replaces.json with no source in sources.json", tok)
		}
	}
}

func TestAttrConstName(t *testing.T) {
	for in, want := range map[string]string{
		"RoleARN":          "role_arn",
		"SubnetIDs":        "subnet_ids",
		"VPCConfig":        "vpc_config",
		"KMSKeyID":         "kms_key_id",
		"IPv6CIDRBlock":    "ipv6_cidr_block",
		"SecurityGroupIDs": "security_group_ids",
		"Name":             "name",
		"TagsAll":          "tags_all",
		"ARNs":             "arns",
	} {
		if got := attrConstName(in); got != want {
			t.Errorf("attrConstName(%q) = %q, want %q", in, got, want)
		}
	}
}

// extractSource writes src as the excerpt of a one-resource manifest and
// extracts it against a Pulumi type.
func extractSource(t *testing.T, kind, src string, pt *PulumiType) (tfreplace.Resource, error) {
	t.Helper()
	return extractFunction(t, kind, "", src, pt)
}

// extractFunction is extractSource for a manifest entry naming the
// constructor that registers the resource (an excerpt older than the
// annotations).
func extractFunction(t *testing.T, kind, function, src string, pt *PulumiType) (tfreplace.Resource, error) {
	t.Helper()
	dir := t.TempDir()
	s := Source{Token: "aws:test/thing:Thing", Resource: "aws_test_thing", Kind: kind, Path: "internal/service/test/thing.go", Function: function}
	p := SourcePath(dir, s)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return Resource(dir, s, map[string]*PulumiType{s.Token: pt})
}

func str() *PulumiType { return &PulumiType{Type: "string"} }

func TestExtract(t *testing.T) {
	sdk := `// @SDKResource("aws_test_thing", name="Thing")
func resourceThing() *schema.Resource {
	return &schema.Resource{
		CustomizeDiff: customdiff.ForceNewIfChange("size", nil),
		Schema: map[string]*schema.Schema{
			names.AttrName: {Type: schema.TypeString, Required: true, ForceNew: true},
			"size":         {Type: schema.TypeInt, Optional: true},
			"rule": {
				Type: schema.TypeList,
				Elem: &schema.Resource{Schema: map[string]*schema.Schema{
					"prefix": {Type: schema.TypeString, Optional: true, Computed: true, ForceNew: true},
				}},
			},
		},
	}
}
`
	fw := `// @FrameworkResource("aws_test_thing", name="Thing")
func (r *thingResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"size": schema.Int64Attribute{PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplaceIf(f, "", "")}},
		},
		Blocks: map[string]schema.Block{
			"rule": schema.ListNestedBlock{NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
				"prefix": schema.StringAttribute{Optional: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
			}}},
		},
	}
}
`
	pt := &PulumiType{Type: "object", Properties: map[string]*PulumiType{
		"name": str(), "size": {Type: "integer"},
		"rules": {Type: "array", Items: &PulumiType{Type: "object", Properties: map[string]*PulumiType{"prefix": str()}}},
	}}
	for _, tc := range []struct {
		kind, src, want string
	}{
		{"sdkv2", sdk, "name rules[].prefix(computed) size(conditional)"},
		{"framework", fw, "rules[].prefix size(conditional)"},
	} {
		r, err := extractSource(t, tc.kind, tc.src, pt)
		if err != nil {
			t.Fatalf("%s: %v", tc.kind, err)
		}
		var got []string
		for _, p := range r.Replaces {
			s := p.Path
			if p.Computed {
				s += "(computed)"
			}
			if p.Conditional {
				s += "(conditional)"
			}
			got = append(got, s)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: replaces %v, want %s", tc.kind, got, tc.want)
		}
	}
}

// An attribute, and a nested block's Elem, kept in a package variable
// (aws_security_group's "egress": securityGroupRuleSetNestedBlock) are
// read through the variable.
func TestExtractReadsAttributesKeptInVariables(t *testing.T) {
	src := `// @SDKResource("aws_test_thing", name="Thing")
func resourceThing() *schema.Resource {
	return &schema.Resource{Schema: map[string]*schema.Schema{
		"rule": ruleSetBlock,
	}}
}

var (
	ruleSetBlock = &schema.Schema{Type: schema.TypeSet, Optional: true, Elem: ruleBlock}

	ruleBlock = &schema.Resource{Schema: map[string]*schema.Schema{
		"prefix": {Type: schema.TypeString, Optional: true, ForceNew: true},
	}}
)
`
	pt := &PulumiType{Type: "object", Properties: map[string]*PulumiType{
		"rules": {Type: "array", Items: &PulumiType{Type: "object", Properties: map[string]*PulumiType{"prefix": str()}}},
	}}
	r, err := extractSource(t, "sdkv2", src, pt)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Replaces) != 1 || r.Replaces[0].Path != "rules[].prefix" {
		t.Errorf("replaces %+v, want rules[].prefix", r.Replaces)
	}
}

// A replacing attribute the pinned Pulumi schema does not have (another
// provider version, a wrong name rule) fails the extraction.
func TestExtractFailsOnUnmappedName(t *testing.T) {
	src := `// @SDKResource("aws_test_thing", name="Thing")
func resourceThing() *schema.Resource {
	return &schema.Resource{Schema: map[string]*schema.Schema{
		"brand_new": {Type: schema.TypeString, Required: true, ForceNew: true},
	}}
}
`
	_, err := extractSource(t, "sdkv2", src, &PulumiType{Type: "object", Properties: map[string]*PulumiType{"name": str()}})
	if err == nil || !strings.Contains(err.Error(), `"brand_new" maps to no Pulumi property`) {
		t.Errorf("err = %v, want an unmapped-name error", err)
	}
}

// An excerpt that registers another resource than the manifest says fails.
func TestExtractChecksTheAnnotation(t *testing.T) {
	src := `// @SDKResource("aws_other", name="Other")
func resourceOther() *schema.Resource { return &schema.Resource{Schema: map[string]*schema.Schema{}} }
`
	if _, err := extractSource(t, "sdkv2", src, &PulumiType{Type: "object"}); err == nil {
		t.Error("an excerpt registering aws_other was accepted as aws_test_thing")
	}
}

// An excerpt older than the annotations is identified by the constructor
// the manifest names: defining it is accepted, defining another is not.
func TestExtractChecksTheConstructor(t *testing.T) {
	src := `func ResourceThing() *schema.Resource {
	return &schema.Resource{Schema: map[string]*schema.Schema{
		"name": {Type: schema.TypeString, Required: true, ForceNew: true},
	}}
}
`
	pt := &PulumiType{Type: "object", Properties: map[string]*PulumiType{"name": str()}}
	r, err := extractFunction(t, "sdkv2", "ResourceThing", src, pt)
	if err != nil || len(r.Replaces) != 1 || r.Replaces[0].Path != "name" {
		t.Errorf("ResourceThing: replaces %v, err %v; want name", r.Replaces, err)
	}
	for _, fn := range []string{"", "ResourceOther"} {
		if _, err := extractFunction(t, "sdkv2", fn, src, pt); err == nil {
			t.Errorf("function %q: an excerpt defining ResourceThing was accepted", fn)
		}
	}
}

// An attribute name kept in a package constant (aws_route's
// routeDestinationCIDRBlock: {...}) is read through the constant.
func TestExtractReadsAttributeNamesKeptInConstants(t *testing.T) {
	src := `const (
	thingDestination = "destination_cidr_block"
)

// @SDKResource("aws_test_thing")
func ResourceThing() *schema.Resource {
	return &schema.Resource{Schema: map[string]*schema.Schema{
		thingDestination: {Type: schema.TypeString, Optional: true, ForceNew: true},
		"gateway_id":     {Type: schema.TypeString, Optional: true},
	}}
}
`
	pt := &PulumiType{Type: "object", Properties: map[string]*PulumiType{"destinationCidrBlock": str(), "gatewayId": str()}}
	r, err := extractSource(t, "sdkv2", src, pt)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Replaces) != 1 || r.Replaces[0].Path != "destinationCidrBlock" {
		t.Errorf("replaces %+v, want destinationCidrBlock", r.Replaces)
	}
}

// A nested block kept in a variable another excerpt of the same upstream
// package declares (aws_default_security_group's "ingress":
// securityGroupRuleSetNestedBlock, from vpc_security_group.go) is read
// through that file; the file's own declaration wins.
func TestExtractReadsVariablesOfTheSamePackage(t *testing.T) {
	dir := t.TempDir()
	s := Source{Token: "aws:test/thing:Thing", Resource: "aws_test_thing", Kind: "sdkv2", Path: "internal/service/test/thing.go"}
	files := map[string]string{
		SourcePath(dir, s): `// @SDKResource("aws_test_thing")
func resourceThing() *schema.Resource {
	return &schema.Resource{Schema: map[string]*schema.Schema{
		"rule":  ruleBlock,
		"other": otherBlock,
	}}
}

var otherBlock = &schema.Schema{Type: schema.TypeString, Optional: true}
`,
		filepath.Join(dir, "internal/service/test/sibling.go"): `var (
	ruleBlock  = &schema.Schema{Type: schema.TypeString, Optional: true, ForceNew: true}
	otherBlock = &schema.Schema{Type: schema.TypeString, Optional: true, ForceNew: true}
)
`,
	}
	for p, src := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pt := &PulumiType{Type: "object", Properties: map[string]*PulumiType{"rule": str(), "other": str()}}
	r, err := Resource(dir, s, map[string]*PulumiType{s.Token: pt})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Replaces) != 1 || r.Replaces[0].Path != "rule" {
		t.Errorf("replaces %+v, want rule only", r.Replaces)
	}
}

// A framework resource's timeouts block (timeouts.Block) is a known
// helper that replaces nothing; the RequiresReplace attributes beside it
// still replace.
func TestExtractFrameworkTimeoutsBlock(t *testing.T) {
	src := `// @FrameworkResource("aws_test_thing", name="Thing")
func (r *thingResource) Schema(ctx context.Context, request resource.SchemaRequest, response *resource.SchemaResponse) {
	response.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			names.AttrBucket: schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
		},
		Blocks: map[string]schema.Block{
			names.AttrTimeouts: timeouts.Block(ctx, timeouts.Opts{Create: true}),
		},
	}
}
`
	r, err := extractSource(t, "framework", src, &PulumiType{Type: "object", Properties: map[string]*PulumiType{"bucket": str()}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Replaces) != 1 || r.Replaces[0].Path != "bucket" {
		t.Errorf("replaces %+v, want bucket", r.Replaces)
	}
}
