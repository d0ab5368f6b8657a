package cost

import (
	"context"
	"fmt"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Variant is one evaluated version of a stack.
type Variant struct {
	Spec     *spec.Spec
	Warnings spec.Errors
	Graph    *plan.Graph
}

// Extra adds resources no spec key declares, to evaluate what-if changes
// the program cannot express yet.
type Extra struct {
	// InterfaceEndpoints are AWS service suffixes ("ecr.api", "sts") to
	// declare as interface VPC endpoints in every private subnet's zone.
	InterfaceEndpoints []string
}

// StackSource rebuilds a stack the way `mlops plan` does: its
// Pulumi.<stack>.yaml in Dir, then Sets, then the variant's own sets.
type StackSource struct {
	Dir   string
	Stack string
	Sets  []string
	Now   time.Time
}

// Evaluate re-resolves the spec with sets appended to the source's and
// evaluates the program, plus extra, under the mock engine.
func (src StackSource) Evaluate(ctx context.Context, sets []string, extra Extra) (*Variant, error) {
	all := append(append([]string{}, src.Sets...), sets...)
	s, warns, _, err := spec.Load(src.Dir, src.Stack, all, src.Now)
	if err != nil {
		return nil, fmt.Errorf("resolving stack %s with %v: %w", src.Stack, sets, err)
	}
	program := infra.Program(s)
	if len(extra.InterfaceEndpoints) > 0 {
		program = withInterfaceEndpoints(program, s, extra.InterfaceEndpoints)
	}
	g, err := plan.EvaluateProgram(ctx, src.Stack, s.Region, program)
	if err != nil {
		return nil, err
	}
	return &Variant{Spec: s, Warnings: warns, Graph: g}, nil
}

// withInterfaceEndpoints runs program, then declares one interface endpoint
// per service with one subnet per zone of s. The VPC and subnet IDs are
// placeholders: only the count of zones matters to the price.
func withInterfaceEndpoints(program pulumi.RunFunc, s *spec.Spec, services []string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		if err := program(ctx); err != nil {
			return err
		}
		// A provider tagged like the program's, as the tagging guardrail asks.
		prov, err := aws.NewProvider(ctx, "whatif-aws", &aws.ProviderArgs{
			Region:      pulumi.String(s.Region),
			DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(s.Tags)},
		})
		if err != nil {
			return fmt.Errorf("declaring what-if provider: %w", err)
		}
		subnets := make([]string, len(s.AvailabilityZones))
		for i, az := range s.AvailabilityZones {
			subnets[i] = "subnet-whatif-" + az
		}
		for _, svc := range services {
			_, err := ec2.NewVpcEndpoint(ctx, "whatif-endpoint-"+svc, &ec2.VpcEndpointArgs{
				VpcId:             pulumi.String("vpc-whatif"),
				ServiceName:       pulumi.String("com.amazonaws." + s.Region + "." + svc),
				VpcEndpointType:   pulumi.String("Interface"),
				SubnetIds:         pulumi.ToStringArray(subnets),
				PrivateDnsEnabled: pulumi.Bool(true),
				Tags:              pulumi.ToStringMap(map[string]string{"Name": s.ClusterName + "-" + svc}),
			}, pulumi.Provider(prov))
			if err != nil {
				return fmt.Errorf("declaring what-if endpoint %s: %w", svc, err)
			}
		}
		return nil
	}
}

// GuardrailVerdict is what a GuardrailChecker says of one variant.
type GuardrailVerdict struct {
	// Green is true when no mandatory guardrail fails.
	Green bool `json:"green"`
	// Failed lists the failing mandatory controls.
	Failed []string `json:"failed,omitempty"`
}

// GuardrailChecker runs the mandatory guardrails over an evaluated variant.
// The CLI passes the internal/policy implementation; nil means unchecked.
type GuardrailChecker interface {
	Check(ctx context.Context, v *Variant) (GuardrailVerdict, error)
}
