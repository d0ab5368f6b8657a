// Package cli holds the commands of mlops. Commands are thin: they parse
// flags into an Options struct and call into library packages.
package cli

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"
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
}

// Run executes mlops with args (without the program name).
func Run(ctx context.Context, env Env, args []string) error {
	if env.Now == nil {
		env.Now = time.Now
	}
	root := NewRoot(env)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

// NewRoot builds the command tree.
func NewRoot(env Env) *cobra.Command {
	root := &cobra.Command{
		Use:           "mlops",
		Short:         "Stand up and operate the MLOps platform on AWS EKS",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(env.In)
	root.SetOut(env.Out)
	root.SetErr(env.Err)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return UsageError{err} })
	root.AddCommand(newPlanCommand(env, nil))
	root.AddCommand(newCostCommand(env, nil))
	root.AddCommand(newBackendCommand(env))
	root.AddCommand(newDeployerPolicyCommand(env))
	root.AddCommand(newEKSTokenCommand(env, nil))
	return root
}

// noArgs rejects positional arguments as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if err := cobra.NoArgs(cmd, args); err != nil {
		return UsageError{err}
	}
	return nil
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
