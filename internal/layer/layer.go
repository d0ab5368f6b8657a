// Package layer names the separately deployable parts of the platform's
// program, each in its own Pulumi stack: the AWS layer, then the cluster
// layer, which reads the AWS layer's outputs. It depends on nothing of the
// program, so the deployer can name layers without importing it.
package layer

import (
	"fmt"
	"strings"
)

// Layer is a separately deployable part of the program.
type Layer string

// The layers, in deploy order.
const (
	// AWS is every AWS resource; it deploys from anywhere.
	AWS Layer = "aws"
	// Cluster is the in-cluster platform; it needs the cluster's API
	// endpoint, which in prod is private.
	Cluster Layer = "cluster"
)

// All are the layers in deploy order; destroy runs them backwards.
var All = []Layer{AWS, Cluster}

// Parse reads a --layer value: aws, cluster, or all (or empty) for both in
// deploy order.
func Parse(v string) ([]Layer, error) {
	switch v {
	case "", "all":
		return All, nil
	case string(AWS), string(Cluster):
		return []Layer{Layer(v)}, nil
	}
	return nil, fmt.Errorf("layer must be %s, %s or all, got %q", AWS, Cluster, v)
}

// StackName is the Pulumi stack of the layer of environment stack env:
// env-aws or env-cluster.
func (l Layer) StackName(env string) string { return env + "-" + string(l) }

// SplitStackName maps a layer's Pulumi stack name back to its
// environment's: "dev-cluster" with layer cluster is "dev".
func SplitStackName(name string, l Layer) string {
	if base, ok := strings.CutSuffix(name, "-"+string(l)); ok && base != "" {
		return base
	}
	return name
}
