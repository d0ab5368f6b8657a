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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := cli.Run(ctx, cli.Env{Streams: cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}}, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
	}
	os.Exit(cli.ExitCode(err))
}
