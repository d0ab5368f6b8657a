package boundary

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
)

// NewRole declares an IAM role of the platform with the stack's
// permissions boundary, whose ARN is boundaryArn, as its
// PermissionsBoundary: the one way the program creates roles. It refuses
// an empty boundaryArn, so a role never goes out without the boundary. A
// PermissionsBoundary in args is overridden; args itself is not changed.
func NewRole(ctx *pulumi.Context, name, boundaryArn string, args *iam.RoleArgs, opts ...pulumi.ResourceOption) (*iam.Role, error) {
	if boundaryArn == "" {
		return nil, fmt.Errorf("declaring role %s: no permissions boundary", name)
	}
	var in iam.RoleArgs
	if args != nil {
		in = *args
	}
	in.PermissionsBoundary = pulumi.String(boundaryArn)
	role, err := iam.NewRole(ctx, name, &in, opts...)
	if err != nil {
		return nil, fmt.Errorf("declaring role %s: %w", name, err)
	}
	return role, nil
}
