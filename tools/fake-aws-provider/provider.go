package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/mlops-platform/mlops-platform/internal/awsaccount"
)

const (
	// PackageName is the Pulumi package the plugin stands in for.
	PackageName = "aws"
	// Version is the pulumi-aws release the main module's go.mod pins; the
	// engine records it as the plugin version in the state.
	Version = "6.83.4"
	// EnvFail lists the resources to fail, comma-separated. An entry is a
	// resource name or URN, optionally prefixed by the operation to fail
	// ("create:", "update:" or "delete:"); without a prefix, creates and
	// updates of that resource fail. After "update:" or "delete:" it may
	// also be a physical ID, failing that one resource only (e.g. the old
	// resource of a replacement).
	EnvFail = "MLOPS_FAKE_AWS_FAIL"
	// EnvObjects lists the buckets that hold objects, comma-separated, by
	// bucket name or resource name: deleting one without forceDestroy
	// fails with BucketNotEmpty, as S3 refuses (see refusals.go).
	EnvObjects = "MLOPS_FAKE_AWS_OBJECTS"
	// AccountID is the account the fake cloud reports.
	AccountID = awsaccount.AccountID
	// defaultRegion is used when the provider configuration sets none.
	defaultRegion = "us-east-1"
)

// marshal keeps secrets, unknowns and resource references as they are, so
// a secret input stays a secret output.
var marshal = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}

// Provider is the fake aws resource provider.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer

	region string
	fail   map[string]bool // "op:name-or-urn"
	// drift are the patches a refresh reads back (EnvDrift).
	drift map[string]map[string]any
	// account holds the physical names taken (EnvAccount); nil keeps none.
	account *account
	// log records the operations carried out (EnvCallLog); nil records
	// none. defaultTags are the configuration's default tags it names.
	log         *callLog
	defaultTags map[string]string
}

// New returns a provider that fails the operations failSpec names (see
// EnvFail).
func New(failSpec string) (*Provider, error) {
	p := &Provider{region: defaultRegion, fail: map[string]bool{}}
	for _, e := range strings.Split(failSpec, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		op, target, ok := strings.Cut(e, ":")
		switch {
		case ok && (op == "create" || op == "update" || op == "delete"):
			p.fail[op+":"+target] = true
		case strings.HasPrefix(e, "urn:") || !ok:
			p.fail["create:"+e] = true
			p.fail["update:"+e] = true
		default:
			return nil, fmt.Errorf("%s: entry %q: operation must be create, update or delete", EnvFail, e)
		}
	}
	return p, nil
}

// injected returns the failure configured for op on the resource urn, or
// on the resource with physical ID id.
func (p *Provider) injected(op, urn, id string) error {
	u := resource.URN(urn)
	if p.fail[op+":"+urn] || (u.IsValid() && p.fail[op+":"+u.Name()]) || (id != "" && p.fail[op+":"+id]) {
		return fmt.Errorf("injected failure: %s of %s (%s)", op, u.Name(), EnvFail)
	}
	return nil
}

// GetPluginInfo reports the pinned pulumi-aws version.
func (p *Provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// GetSchema returns an empty schema: the program uses the typed SDK and
// never asks the provider for one.
func (p *Provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: `{"name":"aws","version":"` + Version + `"}`}, nil
}

// CheckConfig accepts any provider configuration.
func (p *Provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig reports which configuration keys changed; none forces a
// replacement of the provider.
func (p *Provider) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return diff("", req.GetOldInputs(), req.GetNews(), nil)
}

// Configure records the region and announces what the provider accepts.
func (p *Provider) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	r := req.GetArgs().GetFields()["region"].GetStringValue()
	if r == "" {
		//lint:ignore SA1019 engines that predate ConfigureRequest.args send the region only in the deprecated variables map
		r = req.GetVariables()["aws:config:region"]
	}
	if r != "" {
		p.region = r
	}
	tags, err := configuredTags(req.GetArgs().GetFields()["defaultTags"])
	if err != nil {
		return nil, fmt.Errorf("configure: defaultTags: %w", err)
	}
	p.defaultTags = tags
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

// Check refuses inputs AWS or the provider would refuse: a missing
// required input or a value of the wrong type (schema.go, from pulumi-aws
// 6.83.4's schema), and a value AWS's request rules refuse (catalogue.go,
// internal/awsrules). The engine stops the resource there, as it does with
// pulumi-aws's own Check failures.
func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	urn := resource.URN(req.GetUrn())
	news, err := plugin.UnmarshalProperties(req.GetNews(), marshal)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", urn, err)
	}
	failures, err := checkSchema(string(urn.Type()), news)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", urn, err)
	}
	rules, err := checkCatalogue(urn, news)
	if err != nil {
		return nil, fmt.Errorf("check %s: %w", urn, err)
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: append(failures, rules...)}, nil
}

// Diff compares the new inputs with the old ones. A change to a property
// the Terraform AWS provider marks ForceNew replaces the resource
// (replaces.go, internal/tfreplace).
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds := req.GetOldInputs()
	if olds == nil {
		olds = req.GetOlds()
	}
	return diff(string(resource.URN(req.GetUrn()).Type()), olds, req.GetNews(), req.GetIgnoreChanges())
}

// Create synthesizes the resource's state. A preview gets the inputs only:
// everything AWS would compute stays unknown until the update.
func (p *Provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: req.GetProperties()}, nil
	}
	if err := p.injected("create", req.GetUrn(), ""); err != nil {
		return nil, err
	}
	in, err := plugin.UnmarshalProperties(req.GetProperties(), marshal)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", req.GetUrn(), err)
	}
	urn := resource.URN(req.GetUrn())
	id, err := p.account.claim(urn, p.region, physicalID(urn, in), in)
	if err != nil {
		return nil, fmt.Errorf("creating %s (%s): %w", urn.Type(), urn.Name(), err)
	}
	st := p.state(urn, id, in)
	if err := p.log.record(p, stepCreate, req.GetUrn(), id, in, st); err != nil {
		return nil, err
	}
	props, err := plugin.MarshalProperties(st, marshal)
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", urn, err)
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

// Read returns the state it is given, changed by the resource's patch in
// EnvDrift when there is one.
func (p *Provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	props, err := p.drifted(req.GetUrn(), req.GetProperties())
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", req.GetUrn(), err)
	}
	inputs, err := p.drifted(req.GetUrn(), req.GetInputs())
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", req.GetUrn(), err)
	}
	if err := p.logStructs(stepRead, req.GetUrn(), req.GetId(), inputs, props); err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: props, Inputs: inputs}, nil
}

// Update recomputes the state from the new inputs, keeping the ID.
func (p *Provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	if !req.GetPreview() {
		if err := p.injected("update", req.GetUrn(), req.GetId()); err != nil {
			return nil, err
		}
	}
	in, err := plugin.UnmarshalProperties(req.GetNews(), marshal)
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", req.GetUrn(), err)
	}
	if err := p.renamed(req, in); err != nil {
		return nil, fmt.Errorf("update %s: %w", req.GetUrn(), err)
	}
	st := p.state(resource.URN(req.GetUrn()), req.GetId(), in)
	if !req.GetPreview() {
		if err := p.log.record(p, stepUpdate, req.GetUrn(), req.GetId(), in, st); err != nil {
			return nil, err
		}
	}
	props, err := plugin.MarshalProperties(st, marshal)
	if err != nil {
		return nil, fmt.Errorf("update %s: %w", req.GetUrn(), err)
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

// Delete refuses what AWS refuses to delete (refusals.go), and otherwise
// succeeds unless a failure was injected.
func (p *Provider) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	if err := p.injected("delete", req.GetUrn(), req.GetId()); err != nil {
		return nil, err
	}
	olds, err := plugin.UnmarshalProperties(req.GetProperties(), marshal)
	if err != nil {
		return nil, fmt.Errorf("delete %s: %w", req.GetUrn(), err)
	}
	if err := p.refuseDelete(resource.URN(req.GetUrn()), req.GetId(), olds); err != nil {
		return nil, err
	}
	if err := p.freeName(req, olds); err != nil {
		return nil, fmt.Errorf("delete %s: %w", req.GetUrn(), err)
	}
	oldInputs, err := plugin.UnmarshalProperties(req.GetOldInputs(), marshal)
	if err != nil {
		return nil, fmt.Errorf("delete %s: %w", req.GetUrn(), err)
	}
	if err := p.log.record(p, stepDelete, req.GetUrn(), req.GetId(), oldInputs, olds); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// Cancel has nothing to stop.
func (p *Provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
