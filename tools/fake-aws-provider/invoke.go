package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Invoke answers the data sources the platform program calls. Any other
// invoke is an error, so a program that starts calling a new one fails here
// until the fake cloud knows the answer.
func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	var ret map[string]any
	switch req.GetTok() {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		ret = map[string]any{
			"accountId": AccountID,
			"arn":       "arn:aws:iam::" + AccountID + ":role/platform-deployer",
			"userId":    "AROAFAKEDEPLOYER:mlops",
			"id":        AccountID,
		}
	case "aws:index/getPartition:getPartition":
		ret = map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws", "id": "aws"}
	case "aws:index/getRegion:getRegion":
		ret = map[string]any{"name": p.region, "id": p.region, "endpoint": "ec2." + p.region + ".amazonaws.com"}
	case "aws:iam/getRoles:getRoles":
		// An account that has used Auto Scaling: its service-linked role exists.
		prefix, _ := req.GetArgs().AsMap()["pathPrefix"].(string)
		arns, names := []any{}, []any{}
		if asgPath := "/aws-service-role/autoscaling.amazonaws.com/"; strings.HasPrefix(asgPath, prefix) {
			arns = append(arns, "arn:aws:iam::"+AccountID+":role"+asgPath+"AWSServiceRoleForAutoScaling")
			names = append(names, "AWSServiceRoleForAutoScaling")
		}
		ret = map[string]any{"arns": arns, "names": names, "pathPrefix": prefix, "id": "aws-global"}
	default:
		var err error
		if ret, err = account(req.GetTok(), req.GetArgs().AsMap()); err != nil {
			return nil, err
		}
	}
	out, err := plugin.MarshalProperties(resource.NewPropertyMapFromMap(ret), marshal)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", req.GetTok(), err)
	}
	return &pulumirpc.InvokeResponse{Return: out}, nil
}
