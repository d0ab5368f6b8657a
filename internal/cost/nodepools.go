package cost

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// PricedAsAnnotation names, on a NodePool, the instance type its nodes are
// priced as (the spec's preferred type of the pool).
const PricedAsAnnotation = "mlops-platform/priced-as"

// nodePools prices the Karpenter NodePools: busy node-hours of the
// pool's priced-as type (usage busyNodeHours), spot first with the
// on-demand fallback share (spotShare), spot discounted per family; and
// the GPU pool's serving replicas (servingGpuReplicas), up around the
// clock. Root volumes follow the pool's EC2NodeClass.
func (b *builder) nodePools() {
	for _, np := range b.g.ByType(typetoken.NodePool) {
		name := str(np.Input("metadata.name"))
		typ := b.pricedAs(np)
		base := Line{Group: nodeGroupGroup(name), Resource: shortName(np.URN)}
		if typ == "" {
			b.unpriced(withItem(base, "instances (no "+PricedAsAnnotation+" annotation)", name), "ec2/<none>")
			continue
		}
		caps := b.capacityTypes(np)
		spot, fallback := caps["spot"], caps["on-demand"]
		hours, usage := b.nodeHours(name, 0, 0)
		inst := withItem(base, typ+" instances", fmt.Sprintf("NodePool %s priced as %s, %s, from 0", name, typ, b.capacityText(np)))
		inst.Usage, inst.Summary = usage, fmt.Sprintf("NodePool %s (%s), scale-to-zero", name, typ)
		b.poolInstances(inst, typ, spot, fallback, hours)
		disk := b.poolDisk(name)
		b.add(withItem(base, "root volumes", fmt.Sprintf("%g GB gp3 per node (EC2NodeClass %s)", disk, name)), "ebs/gp3", hours.Scale(disk/b.u.HoursPerMonth))
		if name != "gpu" {
			continue
		}
		for _, fam := range sortedKeys(b.u.ServingGpuReplicas) {
			n := b.u.ServingGpuReplicas[fam]
			if n == 0 {
				continue
			}
			h := n * b.u.HoursPerMonth
			serve := withItem(base, "serving "+fam+".xlarge", fmt.Sprintf("%g GPU serving replica(s) on %s.xlarge, around the clock", n, fam))
			serve.Usage = []string{fmt.Sprintf("servingGpuReplicas.%s %g x %g h", fam, n, b.u.HoursPerMonth)}
			serve.Summary = fmt.Sprintf("%gx %s.xlarge serving 24/7", n, fam)
			b.poolInstances(serve, fam+".xlarge", spot, fallback, Range{h, h})
		}
	}
}

// poolInstances prices node-hours of typ: with spot allowed, the low
// estimate is all spot at the deeper discount, the high one spotShare.Low
// on spot at the shallower discount and the rest on-demand.
func (b *builder) poolInstances(l Line, typ string, spot, fallback bool, hours Range) {
	p, ok := b.price("ec2/" + typ)
	if !ok {
		b.unpriced(l, "ec2/"+typ)
		return
	}
	hourly := Range{p.USD, p.USD}
	if spot {
		d, src := b.spotDiscount(typ)
		s := b.u.SpotShare
		if !fallback {
			s = Range{1, 1} // spot only: no on-demand share (and pods wait when spot runs out)
		}
		hourly = Range{p.USD * (s.High*(1-d.High) + (1 - s.High)), p.USD * (s.Low*(1-d.Low) + (1 - s.Low))}
		l.Usage = append(l.Usage, fmt.Sprintf("spot %g-%g%% of node-hours at %g-%g%% off (%s), the rest on-demand", s.Low*100, s.High*100, d.Low*100, d.High*100, src))
	}
	l.Low, l.High = round2(hours.Low*hourly.Low), round2(hours.High*hourly.High)
	l.Prices = append(l.Prices, "ec2/"+typ)
	b.e.Lines = append(b.e.Lines, l)
}

// spotDiscount is the family's own discount, else the general one.
func (b *builder) spotDiscount(typ string) (Range, string) {
	fam, _, _ := strings.Cut(typ, ".")
	if d, ok := b.u.SpotDiscountByFamily[fam]; ok {
		return d, "spotDiscountByFamily." + fam
	}
	return b.u.SpotDiscount, "spotDiscount"
}

func (b *builder) pricedAs(np plan.Resource) string {
	v, _ := np.Input("metadata.annotations")
	m, _ := v.(map[string]any)
	s, _ := m[PricedAsAnnotation].(string)
	return s
}

func (b *builder) capacityTypes(np plan.Resource) map[string]bool {
	out := map[string]bool{}
	v, _ := np.Input("spec.template.spec.requirements")
	list, _ := v.([]any)
	for _, r := range list {
		m, _ := r.(map[string]any)
		if m["key"] != "karpenter.sh/capacity-type" {
			continue
		}
		vals, _ := m["values"].([]any)
		for _, x := range vals {
			out[fmt.Sprint(x)] = true
		}
	}
	return out
}

func (b *builder) capacityText(np plan.Resource) string {
	c := b.capacityTypes(np)
	switch {
	case c["spot"] && c["on-demand"]:
		return "spot, on-demand fallback"
	case c["spot"]:
		return "spot only"
	}
	return "on-demand"
}

// poolDisk is the root volume size of the pool's EC2NodeClass (same name).
func (b *builder) poolDisk(name string) float64 {
	for _, c := range b.g.ByType(typetoken.EC2NodeClass) {
		if str(c.Input("metadata.name")) != name {
			continue
		}
		var gi float64
		if _, err := fmt.Sscanf(str(c.Input("spec.blockDeviceMappings[0].ebs.volumeSize")), "%gGi", &gi); err == nil {
			return gi // EBS bills volumes by their size in GiB ("GB-month")
		}
	}
	return 20
}

func sortedKeys(m map[string]float64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// poolChanges are the NodePool choices --optimize weighs: the GPU pool
// priced as L4 (g6.xlarge) first, same families and limits; and spot
// without the on-demand fallback, which guardrail 21 refuses (a pool that
// can run out of capacity is not an equal guarantee).
func poolChanges() []Change {
	return []Change{
		{Name: "GPU pool on L4 first (g6.xlarge)", Sets: []string{"nodeGroups.gpu.instanceTypes=[g6.xlarge, g5.xlarge]"}},
		{Name: "Training pool spot only (no on-demand fallback)", Sets: []string{"nodeGroups.training.capacityTypes=[spot]"}},
	}
}
