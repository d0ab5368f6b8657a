// Command mlops plans the MLOps platform on AWS EKS offline: the evaluated
// Pulumi program, its guardrails, its cost and its first-deploy time.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/mlops-platform/mlops-platform/internal/cli"
	"github.com/mlops-platform/mlops-platform/internal/termprobe"
)

func main() {
	termprobe.Restore()
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	ctx, stop := cli.Interrupts(context.Background(), sig, os.Stderr, os.Exit)
	code := run(ctx, cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, os.Getenv, os.Args[1:])
	stop()
	signal.Stop(sig)
	os.Exit(code)
}

// run is mlops with its process edge passed in: the streams, the
// environment (read here for the clock, cli.NowVariable) and the arguments.
// It returns the exit code.
func run(ctx context.Context, streams cli.Streams, getenv func(string) string, args []string) int {
	now, err := cli.ClockFromEnv(getenv)
	if err == nil {
		err = cli.Run(ctx, cli.Env{Streams: streams, Now: now, Getenv: getenv}, args)
	} else {
		err = cli.UsageError{Err: err}
	}
	if err != nil {
		fmt.Fprintln(streams.Err, "Error:", err)
	}
	return cli.ExitCode(err)
}
