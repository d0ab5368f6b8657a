package stack

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra"
)

// Layer is a separately deployable part of the program, each in its own
// Pulumi stack: the AWS layer, then the cluster layer, which reads the AWS
// layer's outputs through a StackReference (see infra.ClusterProgram).
type Layer string

// The layers, in deploy order.
const (
	// LayerAWS is every AWS resource; it deploys from anywhere.
	LayerAWS Layer = "aws"
	// LayerCluster is the in-cluster platform; it needs the cluster's API
	// endpoint, which in prod is private.
	LayerCluster Layer = "cluster"
)

// Layers are the layers in deploy order; destroy runs them backwards.
var Layers = []Layer{LayerAWS, LayerCluster}

// ParseLayer reads a --layer value: aws, cluster, or all (or empty) for
// both in deploy order.
func ParseLayer(v string) ([]Layer, error) {
	switch v {
	case "", "all":
		return Layers, nil
	case string(LayerAWS), string(LayerCluster):
		return []Layer{Layer(v)}, nil
	}
	return nil, fmt.Errorf("layer must be %s, %s or all, got %q", LayerAWS, LayerCluster, v)
}

// StackName is the Pulumi stack of the layer of environment stack env:
// env-aws or env-cluster.
func (l Layer) StackName(env string) string { return env + "-" + string(l) }

// splitLayerStack maps a layer's Pulumi stack name back to its
// environment's: "dev-cluster" with layer cluster is "dev".
func splitLayerStack(name string, l Layer) string {
	if base, ok := strings.CutSuffix(name, "-"+string(l)); ok && base != "" {
		return base
	}
	return name
}

// LayerProgram returns the program of one layer; the empty layer is the
// whole program (Program).
func (r *Resolved) LayerProgram(l Layer) pulumi.RunFunc {
	switch l {
	case LayerAWS:
		return infra.AWSProgram(r.Spec)
	case LayerCluster:
		return infra.ClusterProgram(r.Spec, LayerAWS.StackName(r.Stack))
	}
	return r.Program()
}
