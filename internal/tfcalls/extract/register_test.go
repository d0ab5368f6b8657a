package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
	tfsrc "github.com/mlops-platform/mlops-platform/internal/tfreplace/extract"
)

// Register reads the CRUD functions a schema excerpt registers, in the
// older (Create) and newer (CreateWithoutTimeout) forms, skips timeouts
// given as calls, reads the @Tags annotation, and fails on an excerpt that
// registers no create, read and delete.
func TestRegister(t *testing.T) {
	tests := []struct {
		name, src, want, wantErr string
		tags                     bool
		resourceType             string
	}{
		{
			name: "legacy",
			src: "func ResourceRole() *schema.Resource {\n\treturn &schema.Resource{Create: resourceRoleCreate, Read: resourceRoleRead, " +
				"Delete: resourceRoleDelete, Timeouts: &schema.ResourceTimeout{Create: schema.DefaultTimeout(1)}}\n}\n",
			want: "create=resourceRoleCreate delete=resourceRoleDelete read=resourceRoleRead",
		},
		{
			name: "annotated",
			src: "// @SDKResource(\"aws_iam_openid_connect_provider\")\n// @Tags(identifierAttribute=\"arn\", resourceType=\"OIDCProvider\")\n" +
				"func r() *schema.Resource {\n\treturn &schema.Resource{CreateWithoutTimeout: c, ReadWithoutTimeout: r, UpdateWithoutTimeout: u, DeleteWithoutTimeout: d}\n}\n",
			want: "create=c delete=d read=r update=u", tags: true, resourceType: "OIDCProvider",
		},
		{
			name:    "no delete",
			src:     "func r() *schema.Resource {\n\treturn &schema.Resource{Create: c, Read: r}\n}\n",
			wantErr: "registers no create, read and delete",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := tfsrc.Source{Token: "aws:x/y:Y", Path: "internal/service/x/y.go"}
			path := tfsrc.ExcerptPath(dir, s)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(tt.src), 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := Register(dir, s)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Register = %v, want an error containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, step := range []string{tfcalls.Create, tfcalls.Delete, tfcalls.Read, tfcalls.Update} {
				if fn, ok := r.Steps[step]; ok {
					got = append(got, step+"="+fn)
				}
			}
			if strings.Join(got, " ") != tt.want || r.Tags != tt.tags || r.ResourceType != tt.resourceType {
				t.Errorf("Register = %v tags=%v %q, want %s tags=%v %q", got, r.Tags, r.ResourceType, tt.want, tt.tags, tt.resourceType)
			}
		})
	}
}
