package tfcalls_test

import (
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
	tfsrc "github.com/mlops-platform/mlops-platform/internal/tfreplace/extract"
)

const vendorDir = "../../third_party/terraform-provider-aws"

// Every type vendored under third_party/terraform-provider-aws has its
// operations derived, or is named in NotDerived; NotDerived names only
// vendored types ops.json does not hold.
func TestVendoredTypesAreDerivedOrListed(t *testing.T) {
	m, err := tfsrc.ReadManifest(vendorDir)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := tfcalls.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	vendored := map[string]bool{}
	for _, s := range m.Sources {
		vendored[s.Token] = true
		_, derived := tab.Resources[s.Token]
		switch {
		case derived && tfcalls.NotDerived[s.Token]:
			t.Errorf("%s is derived and in NotDerived", s.Token)
		case !derived && !tfcalls.NotDerived[s.Token]:
			t.Errorf("%s is recorded in sources.json but neither derived nor in NotDerived", s.Token)
		}
	}
	for typ := range tfcalls.NotDerived {
		if !vendored[typ] {
			t.Errorf("NotDerived names %s, which sources.json does not vendor", typ)
		}
	}
}

// Ops answers each step of a derived type with its calls, file and
// function named, and nothing for a type the table does not hold.
func TestOps(t *testing.T) {
	tests := []struct {
		token, step, action, function string
	}{
		{"aws:iam/role:Role", tfcalls.Create, "iam:CreateRole", "retryCreateRole"},
		{"aws:iam/role:Role", tfcalls.Delete, "iam:RemoveRoleFromInstanceProfile", "deleteRoleInstanceProfiles"},
		{"aws:iam/rolePolicy:RolePolicy", tfcalls.Update, "iam:PutRolePolicy", "resourceRolePolicyPut"},
		{"aws:iam/openIdConnectProvider:OpenIdConnectProvider", tfcalls.Update, "iam:TagOpenIDConnectProvider", "openIDConnectProviderUpdateTags"},
		{"aws:s3/bucketV2:BucketV2", tfcalls.Read, "s3:GetReplicationConfiguration", "findReplicationConfiguration"},
		{"aws:s3/bucketV2:BucketV2", tfcalls.Delete, "s3:ListBucketVersions", "emptyBucket"},
	}
	for _, tt := range tests {
		var found *tfcalls.Call
		for _, c := range tfcalls.Ops(tt.token, tt.step) {
			if c.Action == tt.action {
				found = &c
			}
		}
		if found == nil {
			t.Errorf("%s %s: no %s in %v", tt.token, tt.step, tt.action, tfcalls.Ops(tt.token, tt.step))
			continue
		}
		if found.Function != tt.function || found.File == "" || len(found.Via) == 0 {
			t.Errorf("%s %s %s: %+v, want function %s with its file and path", tt.token, tt.step, tt.action, *found, tt.function)
		}
	}
	if ops := tfcalls.Ops("aws:iam/rolePolicyAttachment:RolePolicyAttachment", tfcalls.Update); ops != nil {
		t.Errorf("a resource that registers no update has update calls: %v", ops)
	}
	if ops := tfcalls.Ops("aws:ecr/repository:Repository", tfcalls.Create); ops != nil {
		t.Errorf("an underived type has calls: %v", ops)
	}
}
