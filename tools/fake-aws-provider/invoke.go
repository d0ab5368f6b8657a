package main

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/mlops-platform/mlops-platform/internal/awsaccount"
)

// Invoke answers the data sources the platform program calls from the
// account fixture the offline engine answers from too
// (internal/awsaccount), and the region from the provider's
// configuration. Any other invoke is an error, so a program that starts
// calling a new one fails here until the fixture knows the answer.
func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := plugin.UnmarshalProperties(req.GetArgs(), marshal)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", req.GetTok(), err)
	}
	ret, ok, err := awsaccount.Answer(req.GetTok(), args.Mappable(), awsaccount.Options{})
	switch {
	case req.GetTok() == "aws:index/getRegion:getRegion":
		ret = map[string]any{"name": p.region, "id": p.region, "endpoint": "ec2." + p.region + ".amazonaws.com"}
	case !ok:
		return nil, fmt.Errorf("fake aws provider has no answer for invoke %s", req.GetTok())
	case err != nil:
		return nil, fmt.Errorf("%w (fake aws provider)", err)
	}
	rets := resource.NewPropertyMapFromMap(ret)
	if err := p.log.recordInvoke(p, req.GetTok(), args, rets); err != nil {
		return nil, err
	}
	out, err := plugin.MarshalProperties(rets, marshal)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", req.GetTok(), err)
	}
	return &pulumirpc.InvokeResponse{Return: out}, nil
}
