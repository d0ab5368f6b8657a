// Command kube-controller-manager is the upstream Kubernetes controller
// manager, built from the same k8s.io/kubernetes version as the API server
// next to it, for the simulated cluster (internal/testing/simcluster).
package main

import (
	"os"
	_ "time/tzdata" // CronJob time zones, as upstream's main

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	"k8s.io/kubernetes/cmd/kube-controller-manager/app"
)

func main() {
	os.Exit(cli.Run(app.NewControllerManagerCommand()))
}
