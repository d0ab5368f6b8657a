package spec

import (
	"fmt"
	"strings"
)

// trainingPool is the training NodePool of nodes 16-vCPU, 32-GiB nodes at
// most: compute-optimised families, spot first with on-demand fallback.
// InstanceTypes keep the preferred size the cost model prices.
func trainingPool(nodes int) NodeGroup {
	return NodeGroup{
		InstanceTypes: []string{"c5.4xlarge", "c5a.4xlarge", "c6i.4xlarge"}, CapacityType: CapacitySpot,
		MaxSize: nodes, DiskSizeGb: 100,
		Families: []string{"c5", "c5a", "c6i"}, CapacityTypes: []string{PoolSpot, PoolOnDemand},
		Limits: PoolLimits{CPU: 16 * nodes, Memory: fmt.Sprintf("%dGi", 32*nodes)},
	}
}

// gpuPool is the GPU NodePool of gpus single-GPU nodes at most: A10G (g5)
// and L4 (g6), which the serving runtime (vLLM) and training images
// support; no T4 (g4dn).
func gpuPool(gpus int) NodeGroup {
	return NodeGroup{
		InstanceTypes: []string{"g5.xlarge", "g6.xlarge"}, CapacityType: CapacitySpot,
		MaxSize: gpus, DiskSizeGb: 100,
		Families: []string{"g5", "g6"}, CapacityTypes: []string{PoolSpot, PoolOnDemand},
		Limits: PoolLimits{CPU: 4 * gpus, Memory: fmt.Sprintf("%dGi", 16*gpus), GPUs: gpus},
	}
}

// SupportedGPUFamilies are the GPU instance families with an NVIDIA GPU
// the platform's runtimes support (compute capability 8.0 or newer: vLLM
// and current CUDA images), each with its GPU.
var SupportedGPUFamilies = map[string]string{
	"g5": "A10G", "g6": "L4", "gr6": "L4", "g6e": "L40S",
	"p4d": "A100", "p4de": "A100", "p5": "H100", "p5e": "H200", "p5en": "H200", "p6-b200": "B200",
}

// UnsupportedGPUFamilies are GPU families the runtimes no longer support,
// with the reason validation gives.
var UnsupportedGPUFamilies = map[string]string{
	"g4dn": "T4 (compute capability 7.5): current vLLM no longer supports it",
	"g4ad": "AMD Radeon Pro V520: no CUDA",
	"g5g":  "T4G on Graviton: compute capability 7.5, no vLLM",
	"g3":   "M60 (Maxwell): unsupported by current CUDA",
	"g3s":  "M60 (Maxwell): unsupported by current CUDA",
	"p2":   "K80 (Kepler): unsupported by current CUDA",
	"p3":   "V100 (compute capability 7.0): current vLLM no longer supports it",
	"p3dn": "V100 (compute capability 7.0): current vLLM no longer supports it",
}

// Family is an instance type's family ("g5" of "g5.xlarge").
func Family(instanceType string) string {
	f, _, _ := strings.Cut(instanceType, ".")
	return f
}

// PoolFamilies are a pool's families: Families, or those of InstanceTypes.
func (g NodeGroup) PoolFamilies() []string {
	if len(g.Families) > 0 {
		return g.Families
	}
	var out []string
	seen := map[string]bool{}
	for _, t := range g.InstanceTypes {
		if f := Family(t); !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// PoolCapacityTypes are a pool's capacity types: CapacityTypes, or spot
// with on-demand fallback for a SPOT group and on-demand alone otherwise.
func (g NodeGroup) PoolCapacityTypes() []string {
	if len(g.CapacityTypes) > 0 {
		return g.CapacityTypes
	}
	if g.CapacityType == CapacitySpot {
		return []string{PoolSpot, PoolOnDemand}
	}
	return []string{PoolOnDemand}
}

// validateGPUPool refuses GPU families no runtime supports, and unknown
// ones, naming the key.
func validateGPUPool(g NodeGroup) []string {
	var problems []string
	families := append([]string{}, g.PoolFamilies()...)
	for _, t := range g.InstanceTypes {
		families = append(families, Family(t))
	}
	seen := map[string]bool{}
	for _, f := range families {
		if seen[f] {
			continue
		}
		seen[f] = true
		if why, bad := UnsupportedGPUFamilies[f]; bad {
			problems = append(problems, fmt.Sprintf("GPU family %s is not supported: %s (use one of g5, g6, g6e, p4d, p5)", f, why))
		} else if _, ok := SupportedGPUFamilies[f]; !ok {
			problems = append(problems, fmt.Sprintf("%s is not a GPU family the platform's runtimes support (use one of g5, g6, g6e, p4d, p5)", f))
		}
	}
	return problems
}

// validateCapacityTypes accepts spot and on-demand only, spot first.
func validateCapacityTypes(g NodeGroup) []string {
	var problems []string
	for _, c := range g.CapacityTypes {
		if c != PoolSpot && c != PoolOnDemand {
			problems = append(problems, fmt.Sprintf("capacity type %q is not spot or on-demand", c))
		}
	}
	return problems
}

// validatePool checks the NodePool keys of the training and GPU groups.
func validatePool(c *collector, p, name string, g NodeGroup) {
	if name == "general" {
		return
	}
	for _, msg := range validateCapacityTypes(g) {
		c.errf(p+".capacityTypes", "%s", msg)
	}
	if name == "gpu" {
		for _, msg := range validateGPUPool(g) {
			c.errf(p+".families", "%s", msg)
		}
	}
	if g.Limits.CPU < 0 || g.Limits.GPUs < 0 {
		c.errf(p+".limits", "limits must not be negative")
	}
}
