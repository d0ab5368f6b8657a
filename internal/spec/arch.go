package spec

import "strings"

// Arch is a CPU architecture of EC2 instance types.
type Arch string

// Architectures of EC2 instance types.
const (
	ArchX86 Arch = "x86_64"
	ArchARM Arch = "arm64"
)

// InstanceArch tells an instance type's architecture from its family name:
// AWS Graviton families carry a "g" among the attribute letters after the
// generation digit (m7g, c6gn, t4g, g5g, im4gn), x86 families do not.
func InstanceArch(instanceType string) Arch {
	family, _, _ := strings.Cut(instanceType, ".")
	i := strings.IndexAny(family, "0123456789")
	if i < 0 {
		return ArchX86
	}
	attrs := strings.TrimLeft(family[i:], "0123456789")
	attrs, _, _ = strings.Cut(attrs, "-") // m7i-flex
	if strings.Contains(attrs, "g") {
		return ArchARM
	}
	return ArchX86
}

// GroupAccelerator names the GPU of a group's instance types (validation
// guarantees a row in InstanceShapes for each): "" without one, "nvidia"
// when the types differ in model, so no node claims a model it may not
// have. The cluster autoscaler only tests the label's presence.
func GroupAccelerator(types []string) string {
	name := ""
	for _, t := range types {
		a := InstanceShapes[t].Accelerator
		if name != "" && a != name {
			return "nvidia"
		}
		name = a
	}
	return name
}

// GroupArch returns the one architecture of a node group's instance types,
// or false when they mix architectures (a node group has one AMI).
func GroupArch(types []string) (Arch, bool) {
	if len(types) == 0 {
		return ArchX86, true
	}
	arch := InstanceArch(types[0])
	for _, t := range types[1:] {
		if InstanceArch(t) != arch {
			return arch, false
		}
	}
	return arch, true
}
