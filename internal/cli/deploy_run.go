package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// approval is prod's approval: --yes, or a prompt on a terminal.
func (s *session) approval() deploy.Approval {
	return deploy.Approval{Required: s.r.Spec.IsProd(), Yes: s.o.Yes, TTY: s.tty, In: s.env.In, Out: s.env.Err}
}

func (s *session) progress(total int) *deploy.Progress {
	return deploy.NewProgress(s.env.Err, s.tty, s.width, total, s.env.Now)
}

// command is the mlops command line of verb on layer l with this one's
// stack, overrides and deploy flags (it resumes what this one started).
func (s *session) command(verb string, l layer.Layer) string {
	c := fmt.Sprintf("mlops %s --stack %s --layer %s", verb, s.o.Stack, l)
	if s.o.Tunnel && l != layer.AWS && verb != "unlock" {
		c += " --tunnel"
	}
	for _, set := range s.o.Sets {
		if verb != "unlock" {
			c += fmt.Sprintf(" --set '%s'", set)
		}
	}
	if s.o.Defaults {
		c += " --defaults"
	}
	if s.o.NoSave && verb == "up" {
		c += " --no-save"
	}
	for _, f := range [][2]string{{"--dir", s.o.Dir}, {"--backend", s.o.Backend}, {"--secrets-provider", s.o.SecretsProvider}, {"--workdir", s.o.WorkDir}} {
		if f[1] != "" && !(f[0] == "--dir" && f[1] == ".") {
			c += " " + f[0] + " " + f[1]
		}
	}
	return c
}

// resumeLayer is the --layer that resumes this command: the one given.
func (s *session) resumeLayer() layer.Layer {
	if s.o.Layer == "" {
		return "all"
	}
	return layer.Layer(s.o.Layer)
}

// reachCluster checks, before the cluster layer runs, that the AWS layer
// is deployed and the cluster's endpoint answers from here.
func (s *session) reachCluster(ctx context.Context) error {
	outs, err := s.d.Outputs(ctx, layer.AWS)
	ep, _ := outs["clusterEndpoint"].(string)
	if errors.Is(err, deploy.ErrNoStack) || err == nil && ep == "" {
		// A preview of the AWS layer creates its stack, empty.
		return fmt.Errorf("%w (stack %s): run %s first", errAWSNotDeployed, s.d.StackName(layer.AWS), s.command("up", layer.AWS))
	}
	if err != nil {
		return err
	}
	private := !s.r.Spec.ClusterEndpointPublicAccess
	if !s.o.Tunnel {
		return deploy.CheckEndpoint(ctx, ep, s.o.Stack, private, 10*time.Second)
	}
	via, err := s.openTunnel(ctx, outs, ep)
	if err != nil {
		return err
	}
	return deploy.CheckEndpointVia(ctx, ep, via, s.o.Stack, private, 10*time.Second)
}

// previewLayer previews one layer for verb, after checking that the
// cluster layer can reach the API endpoint; a failure is explained.
func (s *session) previewLayer(ctx context.Context, verb string, l layer.Layer) (deploy.Summary, error) {
	if l == layer.Cluster {
		if err := s.reachCluster(ctx); err != nil {
			return deploy.Summary{}, err
		}
	}
	var sum deploy.Summary
	var err error
	if verb == "preview" && s.o.SavePlan != "" {
		sum, err = s.previewSaving(ctx, l)
	} else {
		sum, err = s.d.Preview(ctx, l)
	}
	if err != nil {
		s.explainFailure(verb, err)
	}
	return sum, err
}

// errAWSNotDeployed: the cluster layer needs the AWS layer's outputs.
var errAWSNotDeployed = errors.New("the AWS layer is not deployed yet")

// runPreview previews each layer. On a first run the cluster layer,
// which needs the cluster's endpoint, follows the AWS layer's preview
// with a note instead of a preview.
func runPreview(ctx context.Context, s *session) error {
	var all []deploy.Summary
	var later string
	for _, l := range s.layers {
		sum, err := s.previewLayer(ctx, "preview", l)
		if l == layer.Cluster && len(all) > 0 && errors.Is(err, errAWSNotDeployed) {
			later = fmt.Sprintf("%s (layer cluster): not previewed: %v; the cluster layer is previewed once the cluster exists "+
				"(its preview needs the cluster's API endpoint)", s.d.StackName(l), err)
			break
		}
		if err != nil {
			return err
		}
		all = append(all, sum)
	}
	if err := writeSummaries(s.env.Out, s.o.Output, s.d, s.r.Spec.IsProd(), all, false, s.o.Diff); err != nil {
		return err
	}
	if later != "" {
		fmt.Fprintln(s.env.Err, later)
	}
	if s.o.SavePlan != "" {
		if err := s.writeSavedPlan(ctx); err != nil {
			return err
		}
	}
	if s.o.ExpectNoChanges {
		return expectNoChanges(all)
	}
	return nil
}

// ChangesPendingError: preview --expect-no-changes found changes.
type ChangesPendingError struct {
	// Lines are the layers' summaries that are not empty.
	Lines []string
}

func (e *ChangesPendingError) Error() string {
	return "--expect-no-changes: the preview would change the stack: " + strings.Join(e.Lines, "; ")
}

// expectNoChanges is a ChangesPendingError when any summary changes
// something.
func expectNoChanges(sums []deploy.Summary) error {
	var lines []string
	for _, s := range sums {
		if !s.Empty() {
			lines = append(lines, s.Layer+": "+s.Line())
		}
	}
	if len(lines) > 0 {
		return &ChangesPendingError{Lines: lines}
	}
	return nil
}

func runUp(ctx context.Context, s *session) error {
	for _, l := range s.layers {
		sum, err := s.previewLayer(ctx, "up", l)
		if err != nil {
			return err
		}
		if err := writeSummaries(s.env.Err, "table", s.d, s.r.Spec.IsProd(), []deploy.Summary{sum}, false, s.o.Diff); err != nil {
			return err
		}
		if sum.Empty() {
			continue
		}
		if err := deploy.Gate(s.r.Spec.IsProd(), sum, s.o.AllowReplace); err != nil {
			return err
		}
		if err := s.approval().Ask(ctx, fmt.Sprintf("Deploy to %s: %s?", s.d.StackName(l), sum.Line())); err != nil {
			return err
		}
		p := s.progress(sum.Steps)
		start := s.env.Now()
		if _, err := s.d.Up(ctx, l, p); err != nil {
			s.explainFailure("up", err)
			return err
		}
		fmt.Fprintf(s.env.Err, "%s: %d of %d steps done in %s%s\n", s.d.StackName(l), p.Done(), p.Total(),
			s.env.Now().Sub(start).Round(time.Second), unforeseen(sum.Steps, p.Total()))
	}
	return writeOutputs(ctx, s)
}

// unforeseen says how many steps the deploy took beyond the preview's.
func unforeseen(previewed, total int) string {
	if total <= previewed {
		return ""
	}
	return fmt.Sprintf(" (the preview counted %d; the engine took %d more for dependents whose inputs became known during the deploy)", previewed, total-previewed)
}

func runRefresh(ctx context.Context, s *session) error {
	var rs []layerResult
	for _, l := range s.layers {
		rem, err := s.d.Resources(ctx, l)
		if err != nil {
			return err
		}
		if len(rem) == 0 {
			fmt.Fprintf(s.env.Err, "%s: not deployed (its state holds no resources), nothing to refresh: %s deploys it\n",
				s.d.StackName(l), s.command("up", l))
			rs = s.result(rs, l, resultNotDeployed, 0)
			continue
		}
		if l == layer.Cluster {
			if err := s.reachCluster(ctx); err != nil {
				return err
			}
		}
		if err := s.d.Refresh(ctx, l, s.progress(0)); err != nil {
			s.explainFailure("refresh", err)
			return err
		}
		fmt.Fprintf(s.env.Err, "%s: refreshed\n", s.d.StackName(l))
		rs = s.result(rs, l, resultRefreshed, len(rem))
	}
	return s.writeResults("refresh", rs)
}
