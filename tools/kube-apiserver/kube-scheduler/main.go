// Command kube-scheduler is the upstream Kubernetes scheduler, built from
// the same k8s.io/kubernetes version as the API server next to it, for the
// simulated cluster (internal/testing/simcluster).
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	"k8s.io/kubernetes/cmd/kube-scheduler/app"
)

func main() {
	os.Exit(cli.Run(app.NewSchedulerCommand()))
}
