// Package engine is the offline cloud boundary: it runs a Pulumi program
// under the SDK's mock monitor, in process (no Pulumi CLI, no credentials,
// no network), answers every registration with the IDs, ARNs and outputs
// AWS would report for its type token, and records what the program
// declared as a plan.Graph.
package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	ptokens "github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/awsaccount"
	"github.com/mlops-platform/mlops-platform/internal/plan"
)

// AccountID is the AWS account the offline evaluation pretends to be in.
const AccountID = awsaccount.AccountID

// Partition is the AWS partition the offline evaluation answers for.
const Partition = "aws"

// Evaluate runs program as stack of project in region under the offline
// engine and returns the graph of what it declared.
func Evaluate(ctx context.Context, project, stack, region string, program pulumi.RunFunc, opts ...Option) (*plan.Graph, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rec := &recorder{project: project, stack: stack, region: region, subnetVPC: map[string]string{}}
	for _, o := range opts {
		o(rec)
	}
	if err := pulumi.RunErr(program, pulumi.WithMocks(project, stack, rec)); err != nil {
		return nil, fmt.Errorf("evaluating stack %q: %w", stack, err)
	}
	g := plan.NewGraph(stack, project, rec.resources)
	g.Account, g.Region, g.Partition = AccountID, region, Partition
	return g, nil
}

// Option changes what the offline engine answers.
type Option func(*recorder)

// FreshAccount makes the offline account one that has never used a service
// with a service-linked role (Auto Scaling, ELB, EKS): getRoles finds none.
func FreshAccount() Option {
	return func(r *recorder) { r.freshAccount = true }
}

// StackReferenceType is the type token of a StackReference.
const StackReferenceType = "pulumi:pulumi:StackReference"

// StackOutputs makes every StackReference the program reads answer with
// outputs, as a deployed stack would (the cluster layer reads the AWS
// layer's stack).
func StackOutputs(outputs map[string]any) Option {
	return func(r *recorder) { r.stackOutputs = outputs }
}

// recorder answers the engine's resource registrations and invokes, and
// records what the program declared.
type recorder struct {
	project, stack, region string
	// freshAccount answers as an account that has never used a service
	// with a service-linked role (see FreshAccount).
	freshAccount bool
	// stackOutputs answer StackReference reads (see StackOutputs).
	stackOutputs map[string]any

	mu        sync.Mutex
	resources []plan.Resource
	// subnetVPC maps each subnet's ID to its VPC's ID, so that resources
	// placed in subnets (an EKS cluster) report the VPC as AWS would.
	subnetVPC map[string]string
}

var _ pulumi.MockResourceMonitor = (*recorder)(nil)

// NewResource records a registration and returns a realistic state.
func (r *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	rpc := args.RegisterRPC
	rec := plan.Resource{
		URN:            r.urn(rpc.GetParent(), args.TypeToken, args.Name),
		Type:           args.TypeToken,
		Name:           args.Name,
		Parent:         rpc.GetParent(),
		Custom:         args.Custom,
		Provider:       ProviderURN(args.Provider),
		Protect:        rpc.GetProtect(),
		RetainOnDelete: rpc.GetRetainOnDelete(),
		Inputs:         plainMap(args.Inputs),
		Dependencies:   uniqueSorted(rpc.GetDependencies()),
		IgnoreChanges:  rpc.GetIgnoreChanges(),
	}
	if args.TypeToken == StackReferenceType {
		r.add(rec)
		return args.Name, resource.NewPropertyMapFromMap(map[string]any{
			"name": args.Name, "outputs": r.stackOutputs, "secretOutputNames": []any{},
		}), nil
	}
	if !args.Custom {
		r.add(rec)
		return "", resource.PropertyMap{}, nil
	}
	id := r.physicalID(args.TypeToken, args.Name, args.Inputs)
	state := r.outputs(args.TypeToken, args.Name, id, args.Inputs)

	rec.ID = id
	r.add(rec)
	return id, state, nil
}

// Call answers the data-source invokes the program makes.
func (r *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if out, ok, err := r.callAccount(args); ok {
		return out, err
	}
	return nil, fmt.Errorf("offline evaluation has no answer for invoke %s", args.Token)
}

func (r *recorder) add(res plan.Resource) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.resources = append(r.resources, res)
}

// urn builds the URN the same way the engine does.
func (r *recorder) urn(parent, typ, name string) string {
	parentType := ptokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(ptokens.QName(r.stack), ptokens.PackageName(r.project), parentType, ptokens.Type(typ), name))
}

// ProviderURN returns the URN of a provider reference "<urn>::<id>". A
// URN has three "::" separators; a fourth starts the ID.
func ProviderURN(ref string) string {
	if strings.Count(ref, "::") > 3 {
		return ref[:strings.LastIndex(ref, "::")]
	}
	return ref
}
