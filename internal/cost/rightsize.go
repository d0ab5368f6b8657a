package cost

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/spec"
)

// RightSizeCandidates are the instance types right-sizing tries for the
// general group, smallest first.
var RightSizeCandidates = []string{"m6g.large", "m7g.large", "m5.large", "m6g.xlarge", "m7g.xlarge", "m5.xlarge"}

// PodRequest is one workload as counted: its replicas (per node for a
// DaemonSet) and requests per pod.
type PodRequest struct {
	Owner     string  `json:"owner"`
	Name      string  `json:"name"`
	DaemonSet bool    `json:"daemonSet,omitempty"`
	Replicas  int     `json:"replicas"`
	CPU       float64 `json:"cpu"`
	MemoryGiB float64 `json:"memoryGiB"`
	Source    string  `json:"source"`
}

// NodeFit is one candidate instance type for the general group.
type NodeFit struct {
	Type  string `json:"type"`
	Nodes int    `json:"nodes"`
	// Allocatable per node after kube-reserved and the eviction threshold.
	AllocCPU    float64 `json:"allocatableCpu"`
	AllocMemGiB float64 `json:"allocatableMemoryGiB"`
	MaxPods     int     `json:"maxPods"`
	// Requested per node: the platform's Deployments spread over the
	// nodes, every DaemonSet, and the user headroom.
	ReqCPU    float64 `json:"requestedCpu"`
	ReqMemGiB float64 `json:"requestedMemoryGiB"`
	Monthly   float64 `json:"monthlyInstances"`
	Fits      bool    `json:"fits"`
	Why       string  `json:"why,omitempty"`
}

// RightSizing is the general group's sizing from the platform's requests.
type RightSizing struct {
	Current  string       `json:"current"`
	Nodes    int          `json:"nodes"`
	Pods     []PodRequest `json:"pods"`
	Headroom Headroom     `json:"userHeadroom"`
	Fits     []NodeFit    `json:"candidates"`
	// Choice is the cheapest candidate that fits ("" if none does).
	Choice string `json:"choice"`
}

// Headroom is what the general group keeps free for user workloads.
type Headroom struct {
	CPU       float64 `yaml:"cpu" json:"cpu"`
	MemoryGiB float64 `yaml:"memoryGiB" json:"memoryGiB"`
	Basis     string  `yaml:"basis" json:"basis"`
}

// RightSize sums the requests of every platform pod the graph declares
// and finds the cheapest candidate type on which the general group's
// nodes (as many as its desired size, kept across its zones) hold them
// plus the usage's user headroom, and on which one node fewer still holds
// the platform alone (a zone lost before the autoscaler replaces it).
func RightSize(g *plan.Graph, cat *Catalogue, u *Usage) (*RightSizing, error) {
	ng, ok := g.ManagedNodeGroup("general")
	if !ok {
		return nil, fmt.Errorf("right-sizing: the graph declares no general node group")
	}
	types := ng.InstanceTypes
	rs := &RightSizing{Headroom: u.GeneralHeadroom}
	if ng.Scaling != nil {
		rs.Nodes = ng.Scaling.Desired
	}
	if len(types) > 0 {
		rs.Current = types[0]
	}
	if rs.Nodes < 2 {
		return nil, fmt.Errorf("right-sizing: general group desired size %d, want at least 2", rs.Nodes)
	}
	pods, err := platformRequests(g)
	if err != nil {
		return nil, err
	}
	rs.Pods = pods
	best := math.Inf(1)
	for _, t := range RightSizeCandidates {
		f, err := rs.fit(t, cat, u)
		if err != nil {
			return nil, err
		}
		rs.Fits = append(rs.Fits, f)
		if f.Fits && f.Monthly < best {
			best, rs.Choice = f.Monthly, t
		}
	}
	return rs, nil
}

// Totals returns the platform's Deployment requests (whole cluster) and
// DaemonSet requests (per node), and the pod counts of each.
func (rs *RightSizing) Totals() (depCPU, depMem, dsCPU, dsMem float64, depPods, dsPods int) {
	for _, p := range rs.Pods {
		n := float64(p.Replicas)
		if p.DaemonSet {
			dsCPU, dsMem, dsPods = dsCPU+p.CPU, dsMem+p.MemoryGiB, dsPods+1
			continue
		}
		depCPU, depMem, depPods = depCPU+n*p.CPU, depMem+n*p.MemoryGiB, depPods+p.Replicas
	}
	return
}

func (rs *RightSizing) fit(t string, cat *Catalogue, u *Usage) (NodeFit, error) {
	shape, ok := spec.InstanceShapes[t]
	mp := shape.MaxPods // VPC CNI without prefix delegation, which the platform does not enable
	if !ok || mp == 0 {
		return NodeFit{}, fmt.Errorf("right-sizing: %s has no shape or max-pods row", t)
	}
	n := float64(rs.Nodes)
	f := NodeFit{Type: t, Nodes: rs.Nodes, MaxPods: mp}
	f.AllocCPU, f.AllocMemGiB = Allocatable(shape.VCPU, shape.MemoryGiB, mp)
	depCPU, depMem, dsCPU, dsMem, depPods, dsPods := rs.Totals()
	f.ReqCPU = round3(depCPU/n + dsCPU + rs.Headroom.CPU/n)
	f.ReqMemGiB = round3(depMem/n + dsMem + rs.Headroom.MemoryGiB/n)
	p, priced := cat.Lookup("ec2/" + t)
	if priced {
		f.Monthly = round2(n * p.USD * u.HoursPerMonth)
	}
	lost := n - 1 // one node (one zone) fewer
	var why []string
	if !priced {
		why = append(why, "no price ec2/"+t)
	}
	if f.ReqCPU > f.AllocCPU || f.ReqMemGiB > f.AllocMemGiB {
		why = append(why, "requests + headroom exceed allocatable")
	}
	if depCPU/lost+dsCPU > f.AllocCPU || depMem/lost+dsMem > f.AllocMemGiB {
		why = append(why, fmt.Sprintf("platform does not fit on %g nodes (one zone lost)", lost))
	}
	if int(math.Ceil(float64(depPods)/lost))+dsPods > mp {
		why = append(why, fmt.Sprintf("more than %d pods per node with one zone lost", mp))
	}
	for _, pr := range rs.Pods {
		if !pr.DaemonSet && (pr.CPU+dsCPU > f.AllocCPU || pr.MemoryGiB+dsMem > f.AllocMemGiB) {
			why = append(why, pr.Owner+"/"+pr.Name+" does not fit on one node")
		}
	}
	f.Fits, f.Why = len(why) == 0, strings.Join(why, "; ")
	return f, nil
}

// Allocatable is what the kubelet of an EKS-optimized AMI offers pods on
// a node: capacity minus kube-reserved (CPU: 6% of the first core, 1% of
// the second, 0.5% of the third and fourth, 0.25% of the rest; memory:
// 255 MiB + 11 MiB per pod of the max-pods limit) and the 100 MiB hard
// eviction threshold. Memory capacity is the nominal GiB of the type.
func Allocatable(vcpu, memGiB, maxPods int) (cpu, memoryGiB float64) {
	reserved := 0.0
	for c := 1; c <= vcpu; c++ {
		switch {
		case c == 1:
			reserved += 0.06
		case c == 2:
			reserved += 0.01
		case c <= 4:
			reserved += 0.005
		default:
			reserved += 0.0025
		}
	}
	memMiB := float64(memGiB)*1024 - (255 + 11*float64(maxPods)) - 100
	return round3(float64(vcpu) - reserved), round3(memMiB / 1024)
}

// platformRequests resolves every PlatformPods row the graph declares.
func platformRequests(g *plan.Graph) ([]PodRequest, error) {
	releases := map[string]plan.Release{}
	for _, r := range g.HelmReleases() {
		releases[r.Name] = r
	}
	var out []PodRequest
	for _, p := range PlatformPods {
		pr := PodRequest{Name: p.Name, DaemonSet: p.DaemonSet, Replicas: p.Replicas, Source: p.Source}
		cpu, mem := p.CPU, p.Memory
		if p.Addon != "" {
			if !g.HasAddon(p.Addon) {
				continue
			}
			pr.Owner = "add-on " + p.Addon
		} else {
			rel, ok := releases[p.Release]
			if !ok {
				continue
			}
			pr.Owner = p.Release
			if n, ok := rel.ValueInt(p.ReplicasAt); ok && p.ReplicasAt != "" {
				pr.Replicas = n
			}
			if p.RequestsAt != "" {
				if c := rel.ValueString(p.RequestsAt + ".cpu"); c != "" {
					cpu, pr.Source = c, "our values"
				}
				if m := rel.ValueString(p.RequestsAt + ".memory"); m != "" {
					mem, pr.Source = m, "our values"
				}
			}
		}
		var err error
		if pr.CPU, err = ParseCPU(cpu); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", pr.Owner, p.Name, err)
		}
		if pr.MemoryGiB, err = ParseMemoryGiB(mem); err != nil {
			return nil, fmt.Errorf("%s/%s: %w", pr.Owner, p.Name, err)
		}
		out = append(out, pr)
	}
	return out, nil
}

// ParseCPU reads a Kubernetes CPU quantity ("100m", "1", "0.5") as cores.
func ParseCPU(q string) (float64, error) {
	if v, ok := strings.CutSuffix(q, "m"); ok {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, fmt.Errorf("cpu %q: %w", q, err)
		}
		return n / 1000, nil
	}
	n, err := strconv.ParseFloat(q, 64)
	if err != nil {
		return 0, fmt.Errorf("cpu %q: %w", q, err)
	}
	return n, nil
}

// ParseMemoryGiB reads a Kubernetes memory quantity ("512Mi", "2Gi", "0")
// as GiB. Only the binary suffixes Ki, Mi and Gi are accepted.
func ParseMemoryGiB(q string) (float64, error) {
	scale := map[string]float64{"Ki": 1.0 / (1024 * 1024), "Mi": 1.0 / 1024, "Gi": 1}
	for suf, f := range scale {
		if v, ok := strings.CutSuffix(q, suf); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return 0, fmt.Errorf("memory %q: %w", q, err)
			}
			return n * f, nil
		}
	}
	if q == "0" {
		return 0, nil
	}
	return 0, fmt.Errorf("memory %q: want a number with Ki, Mi or Gi", q)
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// RightSizeChange is the change that moves the general group to the
// chosen type, or nil when the choice is the current type or none fits.
func (rs *RightSizing) Change() *Change {
	if rs.Choice == "" || rs.Choice == rs.Current {
		return nil
	}
	return &Change{
		Name:   fmt.Sprintf("Right-size general nodes (%dx %s)", rs.Nodes, rs.Choice),
		Sets:   []string{"nodeGroups.general.instanceTypes=[" + rs.Choice + "]"},
		Caveat: "sized from the platform's requests plus the user headroom; see the right-sizing table",
	}
}

// HasSets reports whether one of changes applies exactly sets (the
// right-sizing choice may be a change the defaults already try).
func HasSets(changes []Change, sets []string) bool {
	for _, c := range changes {
		if strings.Join(c.Sets, "\x00") == strings.Join(sets, "\x00") {
			return true
		}
	}
	return false
}
