package spec

import (
	"errors"
	"fmt"
	"time"
)

// Input is everything that shapes a stack's spec.
type Input struct {
	// Stack is the Pulumi stack name, for example "prod".
	Stack string
	// Overrides come from Pulumi.<stack>.yaml and then --set flags, merged.
	Overrides Overrides
	// Now is the date validation judges support windows against. It is
	// required: the caller owns the clock, so tests pin a date.
	Now time.Time
}

// Resolve fixes the order: pick the profile, apply its defaults, apply the
// overrides, then validate. It returns the effective spec and any warnings,
// or every error at once.
func Resolve(in Input) (*Spec, Errors, error) {
	if in.Now.IsZero() {
		return nil, nil, errors.New("resolving the spec: no date to judge support windows at (Input.Now is zero)")
	}
	if in.Stack == "" {
		return nil, nil, Errors{{Path: "stack", Msg: "a stack name is required"}}
	}
	if err := validStackName(in.Stack); err != nil {
		return nil, nil, Errors{{Path: "stack", Msg: err.Error()}}
	}
	profile, err := profileFor(in.Stack, in.Overrides)
	if err != nil {
		return nil, nil, err
	}
	s, err := Defaults(profile, in.Stack)
	if err != nil {
		return nil, nil, Errors{{Path: "profile", Msg: err.Error()}}
	}
	// Keys that could not be applied and values that fail validation are
	// reported together, so one run shows every problem.
	applyErr := in.Overrides.Apply(s)
	warns, err := Validate(s, in.Now)
	var all Errors
	for _, e := range []error{applyErr, err} {
		if errs, ok := e.(Errors); ok {
			all = append(all, errs...)
		}
	}
	if len(all) > 0 {
		return s, warns, all
	}
	return s, warns, nil
}

// profileFor takes the profile key when set, else the stack name.
func profileFor(stack string, o Overrides) (Profile, error) {
	if v, ok := o["profile"]; ok {
		text, isText := v.(string)
		p := Profile(text)
		if !isText || (p != ProfileDev && p != ProfileProd) {
			return "", Errors{{Path: "profile", Msg: fmt.Sprintf("must be %q or %q", ProfileDev, ProfileProd)}}
		}
		return p, nil
	}
	switch Profile(stack) {
	case ProfileDev, ProfileProd:
		return Profile(stack), nil
	}
	return "", Errors{{Path: "profile", Msg: fmt.Sprintf("stack %q is neither dev nor prod: set mlops-platform:profile to dev or prod", stack)}}
}

func validStackName(s string) error {
	if len(s) > 100 {
		return fmt.Errorf("stack name is longer than 100 characters")
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("stack name %q may hold only letters, digits, '-', '_' and '.'", s)
		}
	}
	return nil
}
