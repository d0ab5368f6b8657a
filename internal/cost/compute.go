package cost

import (
	"fmt"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// controlPlane prices each EKS cluster at the standard or extended support
// rate its version and upgradePolicy lead to at b.now.
func (b *builder) controlPlane() {
	for _, c := range b.g.Clusters() {
		version, support := c.Version, c.SupportType
		if support == "" {
			support = "EXTENDED" // the EKS API default
		}
		rel, status := spec.KubernetesSupport(version, b.now)
		key, note := "eks/standard", ""
		switch status {
		case spec.SupportStandard:
			note = fmt.Sprintf("standard support until %s", rel.EndOfStandard.Format("2006-01-02"))
		case spec.SupportExtended:
			if support == "STANDARD" {
				note = "past standard support: upgradePolicy STANDARD makes EKS upgrade the cluster"
			} else {
				key, note = "eks/extended", fmt.Sprintf("extended support until %s", rel.EndOfExtended.Format("2006-01-02"))
			}
		default:
			key, note = "eks/extended", fmt.Sprintf("support status %s: priced at the extended rate", status)
		}
		cfg := fmt.Sprintf("v%s, upgradePolicy %s, %s", version, support, note)
		b.add(Line{Group: GroupEKS, Item: "control plane", Resource: shortName(c.Resource.URN), Config: cfg,
			Summary: fmt.Sprintf("v%s, %s support", version, strings.TrimPrefix(key, "eks/"))}, key, b.hours())
	}
}

// nodeGroupGroup maps a managed node group to its table group.
func nodeGroupGroup(name string) string {
	switch name {
	case "general":
		return GroupGeneral
	case "training":
		return GroupTraining
	case "gpu":
		return GroupGPU
	}
	return GroupOther
}

// nodeGroups prices instances (count x hours x price, spot discounted) and
// their root volumes. Always-on groups run desiredSize nodes all month;
// scale-to-zero groups (minSize 0) run the usage file's busy node-hours.
func (b *builder) nodeGroups() {
	for _, ng := range b.g.ManagedNodeGroups() {
		name := ng.Name
		if name == "" {
			name = shortName(ng.Resource.URN)
		}
		types, capacity := ng.InstanceTypes, ng.CapacityType
		if capacity == "" {
			capacity = spec.CapacityOnDemand
		}
		var minSize, desired, maxSize float64
		if s := ng.Scaling; s != nil {
			minSize, desired, maxSize = float64(s.Min), float64(s.Desired), float64(s.Max)
		}
		nodeHours, usage := b.nodeHours(name, minSize, desired)
		base := Line{Group: nodeGroupGroup(name), Resource: shortName(ng.Resource.URN), Usage: usage}
		if len(types) == 0 {
			b.unpriced(withItem(base, "instances (no instance type)", name), "ec2/<none>")
			continue
		}
		b.checkArch(name, types, ng.AmiType)
		inst := withItem(base, types[0]+" instances", fmt.Sprintf("%s %s, %g-%g nodes (desired %g)%s",
			types[0], capacity, minSize, maxSize, desired, alternates(types)))
		inst.Summary = fmt.Sprintf("%gx %s %s", desired, types[0], capacity)
		if minSize == 0 {
			inst.Summary = fmt.Sprintf("%s %s, scale-to-zero (max %g)", types[0], capacity, maxSize)
		} else if capacity != spec.CapacitySpot {
			inst.Commit = CommitCompute // always-on, on-demand: steady usage
		}
		b.instances(inst, types, capacity, nodeHours)
		b.rootVolumes(ng, base, name, nodeHours)
	}
}

func withItem(l Line, item, cfg string) Line {
	l.Item, l.Config = item, cfg
	return l
}

func alternates(types []string) string {
	if len(types) < 2 {
		return ""
	}
	return "; alternates " + strings.Join(types[1:], ", ")
}

// nodeHours returns the node-hours per month of a group and the usage
// assumption behind them.
func (b *builder) nodeHours(name string, minSize, desired float64) (Range, []string) {
	if minSize > 0 {
		h := desired * b.u.HoursPerMonth
		return Range{h, h}, []string{fmt.Sprintf("%g nodes x %g h", desired, b.u.HoursPerMonth)}
	}
	r, ok := b.u.BusyNodeHours[name]
	if !ok {
		return Range{}, []string{"scale-to-zero, no busyNodeHours." + name + " in usage: $0 (depends on usage)"}
	}
	return r, []string{fmt.Sprintf("scale-to-zero, busyNodeHours.%s %g-%g node-h", name, r.Low, r.High)}
}

// instances prices the preferred type; every alternate must be priced too,
// or it gets its own unpriced line.
func (b *builder) instances(l Line, types []string, capacity string, nodeHours Range) {
	p, ok := b.price("ec2/" + types[0])
	for _, alt := range types[1:] {
		if _, ok := b.price("ec2/" + alt); !ok {
			b.unpriced(withItem(l, alt+" instances (alternate)", l.Config), "ec2/"+alt)
		}
	}
	if !ok {
		b.unpriced(l, "ec2/"+types[0])
		return
	}
	hourly := Range{p.USD, p.USD}
	if capacity == spec.CapacitySpot {
		d := b.u.SpotDiscount
		hourly = Range{p.USD * (1 - d.High), p.USD * (1 - d.Low)}
		l.Usage = append(l.Usage, fmt.Sprintf("spot discount %g-%g%%", d.Low*100, d.High*100))
	}
	l.Low, l.High = round2(nodeHours.Low*hourly.Low), round2(nodeHours.High*hourly.High)
	l.Prices = append(l.Prices, "ec2/"+types[0])
	b.e.Lines = append(b.e.Lines, l)
}

// rootVolumes prices each node's root volume, as declared by the group's
// launch template (or its diskSize), for the hours its nodes run.
func (b *builder) rootVolumes(ng plan.ManagedNodeGroup, base Line, name string, nodeHours Range) {
	size, volType, from := b.rootVolume(ng)
	if size == 0 {
		b.unpriced(withItem(base, "root volumes", "no volume size in launch template or diskSize"), "ebs/"+volType)
		return
	}
	months := nodeHours.Scale(1 / b.u.HoursPerMonth)
	l := withItem(base, "root volumes", fmt.Sprintf("%g GB %s per node (%s)", size, volType, from))
	b.add(l, "ebs/"+volType, months.Scale(size))
}

// rootVolume finds the root volume of a node group: the launch template it
// references (matched by physical ID), else its diskSize, else the EKS
// default of 20 GB.
func (b *builder) rootVolume(ng plan.ManagedNodeGroup) (size float64, volType, from string) {
	for _, lt := range b.g.LaunchTemplates() {
		if ng.LaunchTemplateID == "" || lt.Resource.ID != ng.LaunchTemplateID {
			continue
		}
		volType = lt.VolumeType
		if volType == "" {
			volType = "gp3"
		}
		return float64(lt.VolumeSize), volType, "launch template " + shortName(lt.Resource.URN)
	}
	if ng.DiskSize > 0 {
		return float64(ng.DiskSize), "gp3", "diskSize"
	}
	return 20, "gp3", "EKS default, assumed"
}

// checkArch warns when a Graviton (arm64) type is paired with an x86 AMI:
// such a group would not launch.
func (b *builder) checkArch(name string, types []string, ami string) {
	for _, t := range types {
		if spec.InstanceArch(t) == spec.ArchARM && strings.Contains(ami, "x86_64") {
			b.e.Warnings = append(b.e.Warnings, fmt.Sprintf(
				"node group %s: %s is Graviton (arm64) but amiType is %s; it needs AL2023_ARM_64_STANDARD", name, t, ami))
			return
		}
	}
}
