package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/drift"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// driftCommand is `mlops drift`, a deploy command: it needs the state.
var driftCommand = deployCommand{name: "drift",
	short: "Drift in one command: the engine's refresh preview of each layer and verify against the account",
	long: "drift reads each deployed layer's resources back from the cloud without writing the state (the engine's " +
		"refresh preview: what changed under Pulumi's resources, a tag included) and runs verify (the program's " +
		"guarantees in the live account). For a scheduled job: exit 0 no drift, 9 drift, 1 when a check could " +
		"not run and found none; -o json is the whole report.",
	run: runDrift, flags: func(cmd *cobra.Command, o *DeployOptions) {
		cmd.Flags().DurationVar(&o.Timeout, "timeout", DefaultVerifyTimeout, "give up verify's reads of the account after this long")
	}}

func runDrift(ctx context.Context, s *session) error {
	rep := drift.New(s.o.Stack)
	for _, l := range s.layers {
		deployed, found, err := s.refreshPreview(ctx, l)
		rep.AddLayer(string(l), s.d.StackName(l), deployed, found, err)
	}
	vctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	rep.AddVerify(verifyAccount(vctx, s.env, s.o.StackOptions))
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := output.Write(s.env.Out, s.o.Output, rep, func() []output.Section { return driftSections(rep) }); err != nil {
		return err
	}
	return rep.Err()
}

// refreshPreview is a layer's refresh preview, when it is deployed.
func (s *session) refreshPreview(ctx context.Context, l layer.Layer) (bool, []deploy.Drifted, error) {
	rem, err := s.d.Resources(ctx, l)
	if err != nil || len(rem) == 0 {
		return false, nil, err
	}
	if l == layer.Cluster {
		if err := s.reachCluster(ctx); err != nil {
			return true, nil, err
		}
	}
	found, err := s.d.PreviewRefresh(ctx, l)
	return true, found, err
}

func driftSections(rep *drift.Report) []output.Section {
	refresh := output.Section{Title: []string{"Changed outside Pulumi (refresh preview: state → cloud)"},
		Header: []string{"LAYER", "RESOURCE", "TYPE", "PROPERTY", "STATE", "CLOUD"}}
	for _, l := range rep.Refresh {
		if l.Status != drift.Checked {
			refresh.Rows = append(refresh.Rows, []string{l.Layer, "(" + l.Status + ")", "", "", "", l.Error})
		}
		for _, d := range l.Drifted {
			if d.Gone {
				refresh.Rows = append(refresh.Rows, []string{l.Layer, d.Name, d.Type, "", "exists", "gone"})
			}
			for _, p := range d.Diffs {
				refresh.Rows = append(refresh.Rows, []string{l.Layer, d.Name, d.Type, p.Path, or(p.Old, "-"), or(p.New, "-")})
			}
		}
	}
	checks := output.Section{Title: []string{"Guarantees that do not hold (verify: program → account)"},
		Header: []string{"STATUS", "RESOURCE", "CHECK", "WANT", "GOT"}}
	n := 0
	if rep.Verify != nil {
		n = len(rep.Verify.Checks)
		for _, c := range rep.Verify.Failed() {
			checks.Rows = append(checks.Rows, []string{string(c.Status), c.Resource, c.Check, c.Want, c.Got})
		}
	}
	lines := []string{fmt.Sprintf("verify: %d checks, %d drifted", n, rep.Guarantees()), rep.Line()}
	for _, e := range rep.Errors {
		lines = append(lines, "could not check: "+e)
	}
	return []output.Section{{Title: []string{"Stack " + rep.Stack + ": drift"}}, refresh, checks, {Lines: lines}}
}

// or is s, or fallback when s is empty.
func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
