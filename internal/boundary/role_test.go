package boundary

import (
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
)

// recordingMocks keeps the inputs of every resource registered.
type recordingMocks struct {
	mu     sync.Mutex
	inputs map[string]resource.PropertyMap
}

func (m *recordingMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inputs[args.TypeToken+"::"+args.Name] = args.Inputs
	return args.Name + "-id", args.Inputs, nil
}

func (m *recordingMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

// TestNewRoleSetsTheBoundary: the typed role carries the boundary ARN as
// its permissionsBoundary, over one the caller put in args, and leaves the
// caller's args alone.
func TestNewRoleSetsTheBoundary(t *testing.T) {
	const arn = "arn:aws:iam::123456789012:policy/demo-permissions-boundary"
	mocks := &recordingMocks{inputs: map[string]resource.PropertyMap{}}
	args := &iam.RoleArgs{
		AssumeRolePolicy:    pulumi.String(`{"Version":"2012-10-17","Statement":[]}`),
		PermissionsBoundary: pulumi.String("arn:aws:iam::aws:policy/AdministratorAccess"),
	}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := NewRole(ctx, "cluster-role", arn, args)
		return err
	}, pulumi.WithMocks("p", "s", mocks))
	if err != nil {
		t.Fatal(err)
	}
	in, ok := mocks.inputs["aws:iam/role:Role::cluster-role"]
	if !ok {
		t.Fatalf("no aws:iam/role:Role cluster-role registered; got %v", mocks.inputs)
	}
	if got := in["permissionsBoundary"]; !got.IsString() || got.StringValue() != arn {
		t.Errorf("permissionsBoundary = %v, want %s", got, arn)
	}
	if got := in["assumeRolePolicy"]; !got.IsString() || !strings.Contains(got.StringValue(), "2012-10-17") {
		t.Errorf("assumeRolePolicy = %v, want the caller's document", got)
	}
	if args.PermissionsBoundary != pulumi.String("arn:aws:iam::aws:policy/AdministratorAccess") {
		t.Errorf("NewRole changed the caller's args")
	}
}

// TestNewRoleRefusesNoBoundary: a typed role without the boundary is
// refused before anything is registered.
func TestNewRoleRefusesNoBoundary(t *testing.T) {
	role, err := NewRole(nil, "cluster-role", "", &iam.RoleArgs{})
	if err == nil || role != nil || !strings.Contains(err.Error(), "cluster-role") {
		t.Errorf("NewRole without a boundary: %v, %v; want an error naming the role", role, err)
	}
}
