// Package iamreplay turns the requests internal/testing/awsfake recorded
// into the IAM authorizations AWS makes for them (the action, the
// resource's ARN and the request's condition keys), and evaluates them
// against identity policies with internal/iampolicy. A test runs a
// command against the fake, replays what it called against the deployer
// policy, and fails on any call the policy denies.
//
// The mapping (rules.go) follows the AWS Service Authorization Reference:
// each rule names the resource type of the reference it is authorized
// against, and the package's tests check every action and resource type
// against the vendored reference (third_party/aws-service-authorization).
package iamreplay

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	serviceauthorization "github.com/mlops-platform/mlops-platform/third_party/aws-service-authorization"
)

// Env is where the calls are made: the partition, account and region the
// ARNs are built in.
type Env struct {
	Partition, Account, Region string
}

// Key is a KMS key: its ARN and the aliases that point to it.
type Key struct {
	ARN     string
	Aliases []string
}

// Authorization is one IAM authorization a request needs.
type Authorization struct {
	// Op is the request's "<signing name>:<operation>".
	Op string
	// Action is the IAM action, ResourceType the Service Authorization
	// Reference's resource type ("" for an action with none, authorized
	// on "*").
	Action, ResourceType, Resource string
	// Context holds the request's condition keys.
	Context map[string][]string
}

// Request is the authorization as internal/iampolicy evaluates it.
func (a Authorization) Request() iampolicy.Request {
	return iampolicy.Request{Action: a.Action, Resource: a.Resource, Context: a.Context}
}

func (a Authorization) String() string {
	return a.Op + " needs " + a.Request().String()
}

// Replayer maps recorded calls to authorizations, keeping what earlier
// calls changed (the tags a restore set) for the calls that follow.
type Replayer struct {
	Env
	// Tags are the tags of resources by ARN: seeded with what existed
	// before the calls, and updated by the calls that tag.
	Tags map[string]map[string]string
	// BucketKeys are the keys the buckets' default encryption names, by
	// bucket name: S3 uses them on the caller's behalf.
	BucketKeys map[string]Key
	// UserID is the caller's aws:userid; Session Manager tags the
	// sessions the caller starts with it.
	UserID string
	// known is what the provider's operations created that later ones
	// are authorized by (ReplayProvider).
	known known
}

// Replay returns the authorizations of calls in order, and fails on an
// operation it has no rule for or an authorization the vendored Service
// Authorization Reference does not define. It skips a call answered with an injected
// fault, which the fake answered before reading it (the client's retry
// is replayed); a call the fake refused as invalid is replayed, as AWS
// authorizes a request before it validates it.
func (r *Replayer) Replay(calls []awsfake.Call) ([]Authorization, error) {
	var out []Authorization
	for _, c := range calls {
		if c.Injected != "" {
			continue
		}
		op := c.Service + ":" + c.Op
		rule, ok := rules[op]
		if !ok {
			return nil, fmt.Errorf("iamreplay: no rule for %s (add one to rules.go, from the Service Authorization Reference)", op)
		}
		in := input(c.Input)
		for _, a := range rule.auth(r, in) {
			if err := checkReference(a); err != nil {
				return nil, fmt.Errorf("iamreplay: %s: %w", op, err)
			}
			a.Op = op
			a.Context = r.context(a)
			out = append(out, a)
		}
		if rule.after != nil {
			rule.after(r, in)
		}
	}
	return out, nil
}

// reference is the vendored Service Authorization Reference.
var reference = sync.OnceValues(serviceauthorization.Load)

// checkReference fails unless a's action is one the reference defines,
// authorized on a's resource type.
func checkReference(a Authorization) error {
	ref, err := reference()
	if err != nil {
		return err
	}
	if !ref.HasAction(a.Action) {
		return fmt.Errorf("%s is not an action of the Service Authorization Reference", a.Action)
	}
	if !ref.Uses(a.Action, a.ResourceType) {
		return fmt.Errorf("the Service Authorization Reference does not authorize %s on resource type %q", a.Action, a.ResourceType)
	}
	return nil
}

// context adds the condition keys AWS sets from the resource: its tags
// (aws:ResourceTag and the service's own tag key), and the key's aliases
// for a KMS request.
func (r *Replayer) context(a Authorization) map[string][]string {
	ctx := map[string][]string{"aws:PrincipalAccount": {r.Account}}
	maps.Copy(ctx, a.Context)
	svc, _, _ := strings.Cut(a.Action, ":")
	for k, v := range r.Tags[a.Resource] {
		ctx["aws:ResourceTag/"+k] = []string{v}
		switch svc {
		case "ssm":
			ctx["ssm:resourceTag/"+k] = []string{v}
		case "rds":
			ctx["rds:db-tag/"+k] = []string{v}
		}
	}
	if svc == "kms" {
		for _, k := range r.BucketKeys {
			if k.ARN == a.Resource {
				ctx["kms:ResourceAliases"] = slices.Clone(k.Aliases)
			}
		}
		ctx["kms:CallerAccount"] = []string{r.Account}
	}
	return ctx
}

// tag records tags on a resource.
func (r *Replayer) tag(arn string, tags map[string]string) {
	if len(tags) == 0 {
		return
	}
	if r.Tags == nil {
		r.Tags = map[string]map[string]string{}
	}
	if r.Tags[arn] == nil {
		r.Tags[arn] = map[string]string{}
	}
	maps.Copy(r.Tags[arn], tags)
}

// arn builds an ARN in the replay's partition; region and account may be
// "" (S3's and IAM's ARNs leave them out).
func (r *Replayer) arn(service, region, account, resource string) string {
	return "arn:" + r.Partition + ":" + service + ":" + region + ":" + account + ":" + resource
}

// Decide evaluates a against documents as IAM combines identity policies:
// an explicit Deny in any wins, else an Allow in any.
func Decide(docs []iampolicy.Document, a Authorization) (iampolicy.Decision, error) {
	out := iampolicy.ImplicitDeny
	for _, d := range docs {
		got, err := d.Evaluate(a.Request())
		if err != nil {
			return iampolicy.ImplicitDeny, fmt.Errorf("%s: %w", a, err)
		}
		if got == iampolicy.ExplicitDeny {
			return got, nil
		}
		if got == iampolicy.Allowed {
			out = got
		}
	}
	return out, nil
}

// Denied returns the authorizations documents do not allow, described.
func Denied(docs []iampolicy.Document, auths []Authorization) ([]string, error) {
	var out []string
	for _, a := range auths {
		d, err := Decide(docs, a)
		if err != nil {
			return nil, err
		}
		if d != iampolicy.Allowed {
			out = append(out, d.String()+": "+a.String())
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}
