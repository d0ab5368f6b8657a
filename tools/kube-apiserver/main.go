// Command kube-apiserver is the upstream Kubernetes API server, built from
// the k8s.io/kubernetes module at the version go.mod pins (the same minor as
// the platform's default kubernetesVersion).
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
