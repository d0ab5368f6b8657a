package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
	"github.com/mlops-platform/mlops-platform/internal/teardown"
)

// refuseProdDestroy refuses to destroy prod unless --confirm-prod-destroy
// repeats its cluster's name, and explains its protections. Off a
// terminal any destroy needs --yes: nobody can answer its prompt there.
func refuseProdDestroy(env Env, o DeployOptions, r *stack.Resolved) error {
	if r.Spec.IsProd() && o.ConfirmProdDestroy != r.Spec.ClusterName {
		if o.ConfirmProdDestroy != "" {
			return &deploy.RefusedError{Reason: fmt.Sprintf("--confirm-prod-destroy %q does not match the prod cluster's name %q; nothing was destroyed",
				o.ConfirmProdDestroy, r.Spec.ClusterName)}
		}
		fmt.Fprintln(env.Err, prodDestroyExplanation(r.Spec, o.Stack))
		return &deploy.RefusedError{Reason: "prod is not destroyed by default; see above for its protections and how to lift them"}
	}
	if tty, _ := env.Terminal(); !tty && !o.Yes {
		return UsageError{fmt.Errorf("destroy deletes every resource of stack %s, its database, buckets and keys included: "+
			"it asks on a terminal; off one, pass --yes", o.Stack)}
	}
	return nil
}

func runDestroy(ctx context.Context, s *session) error {
	order := slices.Clone(s.layers)
	slices.Reverse(order)
	var rs []layerResult
	for i, l := range order {
		inCluster := false
		if l == layer.Cluster {
			if rem, err := s.d.Resources(ctx, l); err == nil && len(rem) > 0 {
				if err := s.reachCluster(ctx); err != nil {
					return err
				}
				inCluster = true
			}
		}
		sum, err := s.d.PreviewDestroy(ctx, l)
		if err != nil {
			s.explainFailure("destroy", err)
			return err
		}
		if sum.Empty() {
			fmt.Fprintf(s.env.Err, "%s: nothing to destroy\n", s.d.StackName(l))
			rs = s.result(rs, l, resultNothingToDestroy, 0)
			continue
		}
		if err := writeDestroyPlan(s.env.Err, s.d, sum); err != nil {
			return err
		}
		if inCluster {
			fmt.Fprintln(s.env.Err, teardownNotice)
		}
		confirm := s.approval()
		confirm.Required = true
		if err := confirm.Ask(ctx, fmt.Sprintf("Destroy %s: %s?", s.d.StackName(l), sum.Line())); err != nil {
			return err
		}
		var tc *teardown.Cluster
		if inCluster {
			if tc, err = s.teardown(ctx); err == nil {
				err = tc.BeforeClusterLayer(ctx)
			}
			if err != nil {
				return fmt.Errorf("%w; nothing of %s was destroyed yet; resume with %s", err, s.d.StackName(l), s.command("destroy", s.resumeLayer()))
			}
		}
		p := s.progress(sum.Steps)
		if err := s.d.Destroy(ctx, l, p); err != nil {
			s.explainFailure("destroy", err)
			for _, rest := range order[i+1:] {
				if rem, rerr := s.d.Resources(ctx, rest); rerr == nil && len(rem) > 0 {
					fmt.Fprintf(s.env.Err, "%s still holds %d resources (not started)\n", s.d.StackName(rest), len(rem))
				}
			}
			return err
		}
		fmt.Fprintf(s.env.Err, "%s: destroyed\n", s.d.StackName(l))
		rs = s.result(rs, l, resultDestroyed, p.Done())
		if tc != nil {
			if err := tc.AfterClusterLayer(ctx); err != nil {
				return fmt.Errorf("%w; %s is destroyed and %s untouched; resume with %s", err, s.d.StackName(l),
					layer.AWS.StackName(s.o.Stack), s.command("destroy", s.resumeLayer()))
			}
		}
	}
	return s.writeResults("destroy", rs)
}

// prodDestroyExplanation says what protects prod and how to lift each
// protection deliberately. The guardrails keep `mlops up` from turning a
// protection off in prod (controls 33, 51 and the protect checks), so
// each is lifted on the deployed stack, outside the program.
func prodDestroyExplanation(sp *spec.Spec, env string) string {
	cluster, awsStack := sp.ClusterName, layer.AWS.StackName(env)
	return strings.Join([]string{
		"Refusing to destroy " + env + ". Its data is protected three ways, and the guardrails keep `mlops up` from",
		"turning any of them off in prod; lift each deliberately on the deployed stack:",
		"  1. Pulumi protect (protectStatefulResources): the engine refuses to delete the database, the artifact and",
		"     access-log buckets and the KMS keys. Lift: pulumi login <backend>; pulumi state unprotect --stack " + awsStack + " --all",
		"  2. RDS deletion protection (database.deletionProtection): AWS refuses to delete the instance. Lift:",
		"     aws rds modify-db-instance --db-instance-identifier " + sp.DatabaseIdentifier() + " --no-deletion-protection --apply-immediately",
		"     (the destroy still takes the final snapshot the stack names).",
		"  3. S3 versioning (artifacts.versioning, artifacts.forceDestroy=false): a bucket that still holds objects or object",
		"     versions cannot be deleted. Lift: copy what you keep, then empty the artifact and access-log buckets, every",
		"     version included (S3 console: Empty bucket).",
		"  The KMS keys are not deleted at once: AWS schedules their deletion after kms.deletionWindowDays.",
		"Then: mlops destroy --stack " + env + " --confirm-prod-destroy " + cluster,
	}, "\n")
}
