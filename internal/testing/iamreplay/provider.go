package iamreplay

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/tfcalls"
)

// ProviderOp is one resource operation the fake AWS provider carried
// out: a line of its call log (MLOPS_FAKE_AWS_CALL_LOG,
// tools/fake-aws-provider/calllog.go).
type ProviderOp struct {
	Type        string            `json:"type"`
	Step        string            `json:"step"`
	URN         string            `json:"urn"`
	ID          string            `json:"id"`
	Region      string            `json:"region"`
	DefaultTags map[string]string `json:"defaultTags"`
	Inputs      map[string]any    `json:"inputs"`
	Outputs     map[string]any    `json:"outputs"`
}

// The steps of a provider operation.
const (
	StepCreate = "create"
	StepRead   = "read"
	StepUpdate = "update"
	StepDelete = "delete"
)

// ReadProviderLog reads a call log; a log never written holds nothing.
func ReadProviderLog(path string) ([]ProviderOp, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the provider's call log: %w", err)
	}
	defer f.Close()
	var out []ProviderOp
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		var op ProviderOp
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&op); err != nil {
			return nil, fmt.Errorf("the provider's call log %s: line %d: %w", path, len(out)+1, err)
		}
		out = append(out, op)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("the provider's call log %s: %w", path, err)
	}
	return out, nil
}

// actionsFor returns the IAM actions the provider calls for op, a
// resource of a type at a step. It is the one place the replay takes a
// resource's actions from: the operations internal/tfcalls derives from
// the Terraform provider's source for that step (a create and an update
// end with the resource's read there too), less those whose conditions
// test inputs op does not set and those deployerpolicy.NotGranted leaves
// out for a condition the program never meets, with the actions AWS
// makes on the caller's behalf (onBehalf). A type it derives nothing for
// is an error. A create's own call (the deployer table row's first Create
// action) comes first, as the replay tags the resource after it.
func actionsFor(op ProviderOp, tagged bool) ([]string, error) {
	row, ok := deployerpolicy.Table[op.Type]
	if !ok {
		return nil, fmt.Errorf("no deployer table row for %s", op.Type)
	}
	if !tfcalls.Derived(op.Type) {
		return nil, fmt.Errorf("%s: internal/tfcalls derives no operations for it (record its call graph)", op.Type)
	}
	if !slices.Contains([]string{StepCreate, StepRead, StepUpdate, StepDelete}, op.Step) {
		return nil, fmt.Errorf("%s: unknown step %q", op.Type, op.Step)
	}
	var out []string
	for _, c := range tfcalls.Ops(op.Type, op.Step) {
		if _, excluded := deployerpolicy.NotGranted[op.Type+" "+c.Action]; excluded || slices.Contains(out, c.Action) {
			continue
		}
		if len(c.Inputs) > 0 && !slices.ContainsFunc(c.Inputs, func(alt []string) bool { return setsAll(op, alt, tagged) }) {
			continue
		}
		if slices.ContainsFunc(c.When, func(w string) bool { return unmet[w] != nil && unmet[w](op) || updateOnly(w, op) }) {
			continue
		}
		out = append(out, c.Action)
	}
	for _, a := range behalfActions(op, tagged) {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if op.Step == StepCreate && len(row.Create) > 0 {
		i := slices.Index(out, row.Create[0])
		if i < 0 {
			return nil, fmt.Errorf("%s: the provider's create makes no %s, the deployer table's first Create action", op.Type, row.Create[0])
		}
		first := out[i]
		out = append([]string{first}, slices.Delete(out, i, i+1)...)
	}
	return out, nil
}

// unmet decides conditions on an input's value that the recorded call
// graph states (tfcalls.Call.When, as the source states them): true when
// op does not meet the condition, so the call under it is not made.
var unmet = map[string]func(op ProviderOp) bool{
	// kms/key.go, resourceKeyCreate: updateKeyEnabled (DisableKey) only
	// for a key created with is_enabled false; a key is created enabled.
	"is_enabled is false": func(op ProviderOp) bool {
		enabled, set := op.Inputs["isEnabled"].(bool)
		return !set || enabled
	},
	// rds/instance.go, resourceInstanceDelete: turns deletion protection
	// off and deletes again only for an instance configured without it
	// and with apply_immediately; an instance configured with it stays.
	`DeleteDBInstance refused with "disable deletion pro", deletion_protection false or unset in the configuration, ` +
		`and d.Get(names.AttrApplyImmediately).(bool) (turns deletion protection off)`: func(op ProviderOp) bool {
		protected, _ := op.Inputs["deletionProtection"].(bool)
		immediately, _ := op.Inputs["applyImmediately"].(bool)
		return protected || !immediately
	},
	// ec2/ec2_instance.go, resourceInstanceDelete: the instance's
	// termination and stop protection are lifted first only with
	// force_destroy.
	"d.Get(names.AttrForceDestroy).(bool)": func(op ProviderOp) bool {
		force, _ := op.Inputs["forceDestroy"].(bool)
		return !force
	},
}

// updateOnly reports whether w is a condition the source guards with
// "&& !d.IsNewResource()" alone (no alternative after "||") and op is a
// create: a create that ends in the resource's update function
// (aws_instance) does not make the calls the update makes only for an
// existing resource.
func updateOnly(w string, op ProviderOp) bool {
	return op.Step == StepCreate && strings.Contains(w, "&& !d.IsNewResource()") && !strings.Contains(w, "||")
}

// setsAll reports whether op sets every input of inputs; tags count as set
// when the resource has tags, its configuration's default ones included.
func setsAll(op ProviderOp, inputs []string, tagged bool) bool {
	for _, in := range inputs {
		if in == "tags" && tagged {
			continue
		}
		if v, ok := op.Inputs[in]; !ok || v == nil {
			return false
		}
	}
	return true
}

// tagsAll are the tags the provider gives a resource: its configuration's
// default tags and the resource's own.
func tagsAll(op ProviderOp) map[string]string {
	if _, taggable := op.Inputs["tags"]; !taggable && len(op.DefaultTags) == 0 {
		return nil
	}
	out := maps.Clone(op.DefaultTags)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, input(op.Inputs).tags("tags"))
	return out
}

// ReplayProvider returns the authorizations of the provider's operations
// in order: for each action actionsFor names, the authorization on the
// resource of the reference's resource type it names (resources.go),
// with the condition keys AWS sets (conditions.go), and the iam:PassRole,
// KMS and service-linked role authorizations the services that receive a
// role, use a key or first run in the account make with the caller's
// permissions. It fails on an operation or action
// it cannot map, and on an authorization the vendored reference does not
// define.
func (r *Replayer) ReplayProvider(ops []ProviderOp) ([]Authorization, error) {
	var out []Authorization
	for _, op := range ops {
		auths, err := r.providerOp(op)
		if err != nil {
			return nil, fmt.Errorf("iamreplay: %s %s (%s): %w", op.Step, op.Type, op.URN, err)
		}
		out = append(out, auths...)
	}
	return out, nil
}

// providerOp is one operation's authorizations.
func (r *Replayer) providerOp(op ProviderOp) ([]Authorization, error) {
	if op.Region != "" {
		r.Region = op.Region
	}
	if op.Step == StepInvoke {
		out, err := r.invoke(op)
		if err != nil {
			return nil, err
		}
		return labelled(out, op, "")
	}
	tags := tagsAll(op)
	own, hasOwn := r.own(op)
	if op.Step != StepCreate && hasOwn {
		r.tag(own.arn, tags)
	}
	actions, err := actionsFor(op, len(tags) > 0)
	if err != nil {
		return nil, err
	}
	var out []Authorization
	for i, action := range actions {
		targets, err := r.targets(action, op, own, hasOwn)
		if err != nil {
			return nil, err
		}
		for _, t := range targets {
			a := one(action, t.typ, t.arn)
			a.Context = r.conditions(action, op, t, tags)
			a.Context = r.context(a)
			out = append(out, a)
		}
		if i == 0 && op.Step == StepCreate && hasOwn {
			r.tag(own.arn, tags)
		}
	}
	for _, a := range slices.Concat(r.passRoles(op), r.keyUses(op), r.serviceLinkedRoles(op), r.bucketEmptying(op)) {
		a.Context = r.context(a)
		out = append(out, a)
	}
	r.remember(op, own)
	return labelled(out, op, op.URN[strings.LastIndex(op.URN, "::")+2:])
}

// labelled checks each authorization against the vendored reference and
// names the operation it is for ("<step> <type> <name>"; an invoke has
// no name).
func labelled(out []Authorization, op ProviderOp, name string) ([]Authorization, error) {
	for i, a := range out {
		if err := checkReference(a); err != nil {
			return nil, err
		}
		out[i].Op = strings.TrimSpace(op.Step + " " + op.Type + " " + name)
	}
	return out, nil
}
