package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/policy"
	"github.com/mlops-platform/mlops-platform/internal/review"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// Formats of `mlops review -o` besides table and json.
const FormatMarkdown = "markdown"

// ReviewOptions are the parsed flags of `mlops review`.
type ReviewOptions struct {
	StackOptions
	// Base is the git ref whose stack file the change is compared with.
	Base string
	// BasePlan is a plan document (mlops plan -o json) to compare with
	// instead, made by the base's own program.
	BasePlan  string
	PolicyDir string
}

func newReviewCommand(env Env) *cobra.Command {
	var o ReviewOptions
	cmd := &cobra.Command{
		Use:   "review --stack dev|prod --base REF|--base-plan FILE [--set key=value]... [-o table|json|markdown|sarif]",
		Short: "Show what a change does to a stack: resources, monthly cost, guardrails, deployer permissions, Key Differences",
		Long: "review evaluates the stack file Pulumi.<stack>.yaml as it is at the git ref --base and as it is in --dir " +
			"(the working tree), both with this program under the offline engine, and compares them: resources added, " +
			"changed (with the inputs) and removed, replacements and protected or stateful resources marked; the monthly " +
			"cost per line and in total; the guardrail findings added, cleared and still failing; the deploying role's " +
			"permissions added and removed; the Key Differences rows that changed. -o markdown is a pull-request comment " +
			"(collapsed sections, within GitHub's comment limit); -o sarif is the head's guardrails for code scanning. " +
			"--base-plan compares with a plan document (mlops plan -o json) instead, for a change to the program itself: " +
			"make it with the base commit's own build. Exit code 4 when a mandatory guardrail fails that did not fail at the base.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.checkReview(); err != nil {
				return err
			}
			return runReview(cmd, env, o)
		},
	}
	o.registerStack(cmd.Flags(), "review")
	f := cmd.Flags()
	f.StringVarP(&o.Output, "output", "o", output.Table, "output format: table, json, markdown (a pull-request comment) or sarif (the head's guardrails)")
	f.StringVar(&o.Base, "base", "", "git ref to compare with, e.g. origin/main (its stack file, evaluated by this program)")
	f.StringVar(&o.BasePlan, "base-plan", "", "plan document to compare with instead of --base (mlops plan -o json, made by the base's program)")
	f.StringVar(&o.PolicyDir, "policy-dir", "", "directory of extra Rego policies, evaluated on both sides")
	return cmd
}

func (o ReviewOptions) checkReview() error {
	if err := o.checkStack(); err != nil {
		return err
	}
	if (o.Base == "") == (o.BasePlan == "") {
		return UsageError{fmt.Errorf("--base is required (or, instead, --base-plan)")}
	}
	switch o.Output {
	case output.Table, output.JSON, FormatMarkdown, FormatSARIF:
		return nil
	}
	return UsageError{fmt.Errorf("--output must be table, json, markdown or sarif, got %q", o.Output)}
}

func runReview(cmd *cobra.Command, env Env, o ReviewOptions) error {
	ctx := cmd.Context()
	base, err := reviewBase(cmd, env, o)
	if err != nil {
		return err
	}
	if base.Document.Stack != o.Stack {
		return UsageError{fmt.Errorf("--base-plan %s is a plan of stack %s, not %s", o.BasePlan, base.Document.Stack, o.Stack)}
	}
	head, err := review.Evaluate(ctx, "working tree", o.source(o.Stack, env.Now()), o.PolicyDir)
	if err != nil {
		return err
	}
	r := review.Compare(base, head)
	if err := writeReview(env.Out, o.Output, r, head.Guardrails); err != nil {
		return err
	}
	if r.Regressed {
		return PolicyDeniedError{Controls: r.RegressedControls()}
	}
	return nil
}

// reviewBase evaluates the base: the plan document of --base-plan, or the
// stack file at --base with this program.
func reviewBase(cmd *cobra.Command, env Env, o ReviewOptions) (review.Side, error) {
	if o.BasePlan != "" {
		return review.FromPlanFile(o.BasePlan)
	}
	dir, found, cleanup, err := review.BaseDir(cmd.Context(), o.Dir, o.Base, o.Stack)
	if err != nil {
		return review.Side{}, err
	}
	defer cleanup()
	if !found && !o.Defaults {
		return review.Side{}, spec.Errors{{Path: spec.StackConfigFile(o.Stack), Msg: fmt.Sprintf("not found at %s: pass --defaults to compare with the profile's defaults", o.Base)}}
	}
	src := o.source(o.Stack, env.Now())
	src.Dir, src.Defaults = dir, true
	return review.Evaluate(cmd.Context(), o.Base, src, o.PolicyDir)
}

func writeReview(w io.Writer, format string, r review.Review, head *policy.Report) error {
	switch format {
	case FormatSARIF:
		return policy.WriteSARIF(w, head)
	case FormatMarkdown:
		_, err := io.WriteString(w, r.Markdown(review.CommentLimit))
		return err
	}
	return output.Write(w, format, r, r.Sections)
}
