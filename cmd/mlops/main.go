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
	err := cli.Run(ctx, cli.Env{Streams: cli.Streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}}, os.Args[1:])
	stop()
	signal.Stop(sig)
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
	}
	os.Exit(cli.ExitCode(err))
}
