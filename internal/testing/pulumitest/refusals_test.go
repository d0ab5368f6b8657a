package pulumitest

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// rawResource is a resource registered by type token, past the SDK's own
// client-side checks, as a program that registers by token does.
type rawResource struct {
	pulumi.CustomResourceState
}

// TestFakeProviderCheckRefuses runs programs whose inputs pulumi-aws's
// schema or AWS refuses through the real engine: the fake provider's Check
// fails the up, naming the input.
func TestFakeProviderCheckRefuses(t *testing.T) {
	tools := Require(t)
	rawDB := func(inputs pulumi.Map) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			var r rawResource
			return ctx.RegisterResource("aws:rds/instance:Instance", "db", inputs, &r)
		}
	}
	tests := []struct {
		name    string
		program pulumi.RunFunc
		want    string
	}{
		{"a required input missing", rawDB(pulumi.Map{"engine": pulumi.String("postgres"), "allocatedStorage": pulumi.Int(20)}),
			`The argument "instanceClass" is required`},
		{"a value of the wrong type", rawDB(pulumi.Map{"instanceClass": pulumi.String("db.t4g.micro"), "allocatedStorage": pulumi.String("twenty")}),
			"allocatedStorage: expected a number, got string"},
		{"a security-group description EC2 refuses (N1)", func(ctx *pulumi.Context) error {
			_, err := ec2.NewSecurityGroup(ctx, "mlflow-db", &ec2.SecurityGroupArgs{Description: pulumi.String("MLflow's database")})
			return err
		}, "description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			s := Stack(ctx, t, tools, "mlops-test", "dev", tt.program, nil)
			res, err := s.Up(ctx)
			if err == nil {
				t.Fatalf("up succeeded: %v", res.Summary.ResourceChanges)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("up failed without %q:\n%v", tt.want, err)
			}
		})
	}
}

// TestFakeProviderDeleteRefuses destroys what AWS refuses to delete through
// the real engine: a protected database, a bucket holding objects without
// forceDestroy. Lifting the protection (an update) lets the destroy pass.
func TestFakeProviderDeleteRefuses(t *testing.T) {
	tools := Require(t)
	program := func(ctx *pulumi.Context) error {
		protect := config.GetBool(ctx, "protect")
		_, err := rds.NewInstance(ctx, "db", &rds.InstanceArgs{
			Identifier: pulumi.String("mlflow"), Engine: pulumi.String("postgres"), InstanceClass: pulumi.String("db.t4g.micro"),
			AllocatedStorage: pulumi.Int(20), Username: pulumi.String("mlflow"), Password: pulumi.String("not-a-secret-here"),
			SkipFinalSnapshot: pulumi.Bool(true), DeletionProtection: pulumi.Bool(protect),
		})
		if err != nil {
			return err
		}
		_, err = s3.NewBucketV2(ctx, "artifacts", &s3.BucketV2Args{
			BucketPrefix: pulumi.String("mlops-artifacts-"), ForceDestroy: pulumi.Bool(!protect),
		})
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s := Stack(ctx, t, tools, "mlops-test", "dev", program, map[string]string{"MLOPS_FAKE_AWS_OBJECTS": "artifacts"})
	set := func(v string) {
		if err := s.SetConfig(ctx, "protect", auto.ConfigValue{Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	set("true")
	if res, err := s.Up(ctx); err != nil {
		t.Fatalf("up: %v\n%s", err, res.StdErr)
	}
	_, err := s.Destroy(ctx)
	for _, want := range []string{"Cannot delete protected DB Instance", "BucketNotEmpty"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("destroy: want an error containing %q, got %v", want, err)
		}
	}
	set("false")
	if res, err := s.Up(ctx); err != nil {
		t.Fatalf("up lifting the protection: %v\n%s", err, res.StdErr)
	}
	if _, err := s.Destroy(ctx); err != nil {
		t.Fatalf("destroy after lifting the protection: %v", err)
	}
}

// TestFakeProviderDuplicateNames creates a physical name twice in one
// account through the real engine: two resources of one program, and two
// stacks of one backend (which know nothing of each other's state). AWS
// refuses the second create, and so does the fake (its account store).
func TestFakeProviderDuplicateNames(t *testing.T) {
	tools := Require(t)
	role := func(ctx *pulumi.Context, name string) error {
		var r rawResource
		return ctx.RegisterResource("aws:iam/role:Role", name, pulumi.Map{
			"name":             pulumi.String("mlops-dev-cluster"),
			"assumeRolePolicy": pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
		}, &r)
	}
	const want = "api error EntityAlreadyExists: Role with name mlops-dev-cluster already exists."
	t.Run("two resources of one program", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		s := Stack(ctx, t, tools, "mlops-test", "dev", func(ctx *pulumi.Context) error {
			return errors.Join(role(ctx, "cluster-role"), role(ctx, "cluster-role-copy"))
		}, nil)
		if _, err := s.Up(ctx); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("up: %v, want %q", err, want)
		}
	})
	t.Run("two stacks of one account", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		backend := filepath.Join(t.TempDir(), "state")
		program := func(ctx *pulumi.Context) error { return role(ctx, "cluster-role") }
		first := StackIn(ctx, t, tools, backend, "mlops-test", "dev", program, nil)
		if _, err := first.Up(ctx); err != nil {
			t.Fatalf("first stack: %v", err)
		}
		second := StackIn(ctx, t, tools, backend, "mlops-test", "staging", program, nil)
		if _, err := second.Up(ctx); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("second stack: %v, want %q", err, want)
		}
		held, err := Holdings(filepath.Join(filepath.Dir(backend), "aws-account"), "aws:iam/role:Role")
		if err != nil || len(held) != 1 || held[0].Name != "mlops-dev-cluster" || !strings.Contains(held[0].URN, ":dev::") {
			t.Errorf("the account holds %+v (%v), want the dev stack's role only", held, err)
		}
	})
}
