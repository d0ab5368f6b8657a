// Package cli holds the commands of mlops. Commands are thin: they parse
// flags into an Options struct and call into library packages.
package cli

import (
	"context"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/ekstoken"
	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// Streams are where a command writes: data to Out, logs and progress to Err.
type Streams struct {
	In       io.Reader
	Out, Err io.Writer
}

// Env is what commands take from outside the command line.
type Env struct {
	Streams
	// Now is the clock support windows are judged by.
	Now func() time.Time
	// Getenv reads the environment; os.Getenv when nil.
	Getenv func(string) string
	// Terminal says whether the streams are a terminal a person answers
	// at, and its width; detected with golang.org/x/term when nil.
	Terminal func() (bool, int)
	// Deployment, when set, replaces how the deploy commands resolve the
	// backend, secrets and CLI (a test hook: prod without S3 and KMS).
	Deployment func(r *stack.Resolved, o DeployOptions) (deploy.Options, error)
	// BuildInfo reads the binary's build information
	// (debug.ReadBuildInfo when nil).
	BuildInfo func() (*debug.BuildInfo, bool)
	// AWS tunes the AWS clients' retries and attempt timeout (tests: a
	// millisecond backoff); the zero value is the production setting.
	AWS awsclient.Options
	// StackAWS, when set, replaces how the commands load the AWS
	// configuration a stack selects (a test hook: a local endpoint);
	// ekstoken.LoadConfig when nil.
	StackAWS func(ctx context.Context, o ekstoken.Options) (aws.Config, error)
	// verbose is the root's -v/--verbose flag, shared by every command.
	verbose *bool
}

// Run executes mlops with args (without the program name).
func Run(ctx context.Context, env Env, args []string) error {
	root := NewRoot(env)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil && strings.HasPrefix(err.Error(), "unknown command ") {
		// cobra's own error for a command it does not have.
		return UsageError{err}
	}
	return err
}

// NewRoot builds the command tree.
func NewRoot(env Env) *cobra.Command {
	env = env.withDefaults()
	env.verbose = new(bool)
	root := &cobra.Command{
		Use:           "mlops",
		Short:         "Stand up and operate the MLOps platform on AWS EKS",
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       readVersion(env.BuildInfo()).short(),
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetIn(env.In)
	root.SetOut(env.Out)
	root.SetErr(env.Err)
	root.PersistentFlags().BoolVarP(env.verbose, "verbose", "v", false, "log what the command does (slog text lines on stderr)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return UsageError{err} })
	root.AddCommand(newPlanCommand(env, nil))
	root.AddCommand(newCostCommand(env, nil))
	root.AddCommand(newBackendCommand(env))
	root.AddCommand(newDeployerPolicyCommand(env))
	root.AddCommand(newDiagramCommand(env))
	root.AddCommand(newEKSTokenCommand(env, nil))
	root.AddCommand(newVerifyCommand(env))
	root.AddCommand(newNodesCommand(env))
	root.AddCommand(newUpgradeCommand(env))
	root.AddCommand(newDRCommand(env))
	root.AddCommand(newReviewCommand(env))
	root.AddCommand(newVersionCommand(env))
	for _, c := range newDeployCommands(env) {
		root.AddCommand(c)
	}
	return root
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if err := cobra.NoArgs(cmd, args); err != nil {
		return UsageError{err}
	}
	return nil
}

// withDefaults fills the hooks left nil.
func (env Env) withDefaults() Env {
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.BuildInfo == nil {
		env.BuildInfo = debug.ReadBuildInfo
	}
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if env.Terminal == nil {
		streams := env.Streams
		env.Terminal = func() (bool, int) { return terminal(streams) }
	}
	return env
}
