// Package karpsim runs Karpenter's kwok provider (the controller
// tools/karpenter-kwok builds from sigs.k8s.io/karpenter) in the simulated
// cluster (internal/testing/simcluster): Karpenter's CRDs from the vendored
// karpenter-crd chart, the platform's NodePools with their EC2NodeClass
// swapped for a KWOKNodeClass, and an instance-type file of real AWS
// shapes priced from the cost catalogue. Karpenter then provisions,
// consolidates and disrupts nodes as it would on EC2; kwok plays their
// kubelets.
package karpsim

import (
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
	"github.com/mlops-platform/mlops-platform/internal/testing/testtools"
)

// KarpenterVersion is the sigs.k8s.io/karpenter release
// tools/karpenter-kwok builds (its go.mod pins it; .ci/build-tools.sh
// caches the binary as karpenter-kwok-<version>).
const KarpenterVersion = "v1.14.1"

// EnvKarpenter points the harness at the karpenter-kwok binary.
const EnvKarpenter = "MLOPS_KARPENTER_KWOK"

// FindBinary locates the karpenter-kwok binary: the environment variable,
// then the build cache.
func FindBinary() (string, error) {
	cached := simcluster.Cached("karpenter-kwok", KarpenterVersion)
	p, err := testtools.Find(EnvKarpenter, cached, "")
	if err != nil {
		return "", fmt.Errorf("karpenter-kwok %s: %w (build it with: cd tools/karpenter-kwok && go build -o %s sigs.k8s.io/karpenter/kwok, as .ci/build-tools.sh does)", KarpenterVersion, err, cached)
	}
	return p, nil
}
