package drift

import (
	"errors"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/verify"
)

// TestVerdict: drift from either source is drift, whatever could not run;
// a check that could not run without drift is incomplete; else none.
func TestVerdict(t *testing.T) {
	tag := []deploy.Drifted{{Name: "network-igw", Diffs: []deploy.PropertyDiff{{Path: "tags.Name", Kind: "update", Old: `"a"`, New: `"b"`}}}}
	check := func(st verify.Status) *verify.Report {
		return &verify.Report{Stack: "prod", Checks: []verify.Check{{Status: verify.StatusOK}, {Status: st, Resource: "log group x", Check: "retention days", Got: "7"}}}
	}
	cases := []struct {
		name    string
		refresh []deploy.Drifted
		layerEr error
		verify  *verify.Report
		verEr   error
		want    string // none, drift, incomplete
		line    string
	}{
		{"nothing", nil, nil, check(verify.StatusOK), nil, "none", "no drift"},
		{"a tag under Pulumi", tag, nil, check(verify.StatusOK), nil, "drift", "drift: 1 resources changed outside Pulumi, 0 guarantees do not hold"},
		{"a guarantee", nil, nil, check(verify.StatusDrift), nil, "drift", "drift: 0 resources changed outside Pulumi, 1 guarantees do not hold"},
		{"drift and an unreadable check", tag, nil, check(verify.StatusError), nil, "drift", "drift: 1 resources changed outside Pulumi, 0 guarantees do not hold; 1 checks could not run"},
		{"an unreadable check only", nil, nil, check(verify.StatusError), nil, "incomplete", "no drift; 1 checks could not run"},
		{"verify failed", nil, nil, nil, errors.New("no credentials"), "incomplete", "no drift; 1 checks could not run"},
		{"the refresh failed", nil, errors.New("locked"), check(verify.StatusOK), nil, "incomplete", "no drift; 1 checks could not run"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := New("prod")
			r.AddLayer("aws", "prod-aws", true, tc.refresh, tc.layerEr)
			r.AddLayer("cluster", "prod-cluster", false, nil, nil)
			r.AddVerify(tc.verify, tc.verEr)
			err := r.Err()
			var drifted *Error
			got := "none"
			switch {
			case errors.As(err, &drifted):
				got = "drift"
			case errors.Is(err, ErrIncomplete):
				got = "incomplete"
			case err != nil:
				got = err.Error()
			}
			if got != tc.want || r.Line() != tc.line {
				t.Errorf("verdict %s (%q), want %s (%q)", got, r.Line(), tc.want, tc.line)
			}
			if r.Refresh[1].Status != NotDeployed {
				t.Errorf("an undeployed layer is %q", r.Refresh[1].Status)
			}
		})
	}
}
