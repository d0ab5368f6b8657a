package iampolicy

// EvaluateBounded decides a request made by a role whose identity-based
// policies are identity and whose permissions boundary is boundary, as IAM
// does within one account when no resource-based policy applies: an
// explicit Deny in any of the policies wins; otherwise the request is
// allowed only if an identity policy and the boundary both allow it (the
// effective permissions are their intersection; IAM user guide, "Policy
// evaluation logic", permissions boundaries).
func EvaluateBounded(identity []Document, boundary Document, r Request) (Decision, error) {
	allowed := false
	for _, d := range identity {
		got, err := d.Evaluate(r)
		if err != nil {
			return ImplicitDeny, err
		}
		if got == ExplicitDeny {
			return ExplicitDeny, nil
		}
		allowed = allowed || got == Allowed
	}
	got, err := boundary.Evaluate(r)
	if err != nil {
		return ImplicitDeny, err
	}
	switch {
	case got == ExplicitDeny:
		return ExplicitDeny, nil
	case allowed && got == Allowed:
		return Allowed, nil
	}
	return ImplicitDeny, nil
}
