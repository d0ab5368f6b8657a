package iamreplay

import (
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
)

// StepInvoke is a data source the program called: the operation's Type is
// the invoke's token, its Inputs the arguments and Outputs the answer.
const StepInvoke = "invoke"

// invoke is a data source call's authorizations: the actions
// deployerpolicy.Invokes names for its token, each on the resource its
// arguments name (invokeTargets), or on "*" for an action with no
// resource type.
func (r *Replayer) invoke(op ProviderOp) ([]Authorization, error) {
	actions, ok := deployerpolicy.Invokes[op.Type]
	if !ok {
		return nil, fmt.Errorf("no deployerpolicy.Invokes entry for %s", op.Type)
	}
	ref, err := reference()
	if err != nil {
		return nil, err
	}
	var out []Authorization
	for _, action := range actions {
		types := ref.ResourceTypes(action)
		if len(types) == 0 {
			out = append(out, one(action, "", "*"))
			continue
		}
		t, ok := invokeTargets[action]
		if !ok {
			return nil, fmt.Errorf("%s: no target for %s among %v", op.Type, action, types)
		}
		typ, arn := t(r, input(op.Inputs))
		out = append(out, one(action, typ, arn))
	}
	for i := range out {
		out[i].Context = r.context(out[i])
	}
	return out, nil
}

// invokeTargets build, from an invoke's arguments, the resource an action
// is authorized on (the Service Authorization Reference's type and ARN).
var invokeTargets = map[string]func(r *Replayer, in input) (string, string){
	"iam:GetRole": func(r *Replayer, in input) (string, string) {
		return "role", r.arn("iam", "", r.Account, "role/"+in.str("name"))
	},
	"iam:GetUser": func(r *Replayer, in input) (string, string) {
		return "user", r.arn("iam", "", r.Account, "user/"+in.str("userName"))
	},
	"iam:ListUserTags": func(r *Replayer, in input) (string, string) {
		return "user", r.arn("iam", "", r.Account, "user/"+in.str("userName"))
	},
	"eks:DescribeCluster": func(r *Replayer, in input) (string, string) {
		return "cluster", eksCluster(r, in.str("name"))
	},
	// AWS's public parameters (/aws/service/...) have no account.
	"ssm:GetParameter": func(r *Replayer, in input) (string, string) {
		return "parameter", r.arn("ssm", r.Region, "", "parameter"+in.str("name"))
	},
}
