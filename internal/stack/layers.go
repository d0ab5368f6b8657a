package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/infra"
	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// LayerProgram returns the program of one layer, each deployed as its own
// Pulumi stack (the cluster layer reads the AWS layer's stack through a
// StackReference, see infra.ClusterProgram); the empty layer is the whole
// program (Program).
func (r *Resolved) LayerProgram(l layer.Layer) pulumi.RunFunc {
	switch l {
	case layer.AWS:
		return infra.AWSProgram(r.Spec)
	case layer.Cluster:
		return infra.ClusterProgram(r.Spec, layer.AWS.StackName(r.Stack))
	}
	return r.Program()
}
