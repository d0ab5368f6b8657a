package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/stack"
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
	var rs []layerResult
	x := deploy.LayeredDestroy{
		Deployer: s.d, Layers: s.layers, Out: s.env.Err, Notice: teardownNotice,
		Approval: s.approval, Progress: s.progress, ReachCluster: s.reachCluster,
		Teardown:  func(ctx context.Context) (deploy.ClusterTeardown, error) { return s.teardown(ctx) },
		WritePlan: func(sum deploy.Summary) error { return writeDestroyPlan(s.env.Err, s.d, sum) },
		Explain:   func(err error) { s.explainFailure("destroy", err) },
		Resume:    func() string { return s.command("destroy", s.resumeLayer()) },
		Record: func(l layer.Layer, destroyed bool, steps int) {
			result := resultNothingToDestroy
			if destroyed {
				result = resultDestroyed
			}
			rs = s.result(rs, l, result, steps)
		},
	}
	if err := x.Run(ctx); err != nil {
		return err
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
