// Package timetogpu is the time-to-GPU budget: how long a pod asking for
// nvidia.com/gpu waits, per GPU family of the stack's GPU NodePool, from
// Pending to Running on a node Karpenter launches for it. Each stage (the
// provisioning decision and EC2 launch, the node turning Ready with its
// AMI, the device plugin registering the GPUs, the pull of the serving
// runtime's image) carries a sourced low and high figure and a confidence
// (data/budget.yaml); the stage the simulated cluster exercises is measured
// there (internal/testing/karpsim).
package timetogpu

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mlops-platform/mlops-platform/internal/spec"
)

//go:embed data/budget.yaml
var budgetYAML []byte

// Stage is one step of the path, in seconds.
type Stage struct {
	ID         string   `yaml:"id" json:"id"`
	Name       string   `yaml:"name" json:"name"`
	Low        float64  `yaml:"low" json:"lowSeconds"`
	High       float64  `yaml:"high" json:"highSeconds"`
	Confidence string   `yaml:"confidence" json:"confidence"`
	Sources    []string `yaml:"sources" json:"sources"`
	Measured   string   `yaml:"measured,omitempty" json:"measured,omitempty"`
}

// Runtime is a GPU serving runtime the platform ships, with its image's
// size.
type Runtime struct {
	Name       string  `yaml:"name" json:"name"`
	Image      string  `yaml:"image" json:"image"`
	SizeGB     float64 `yaml:"sizeGB" json:"sizeGB"`
	Confidence string  `yaml:"confidence" json:"confidence"`
	Source     string  `yaml:"source" json:"source"`
}

// Data is data/budget.yaml.
type Data struct {
	Stages    []Stage                     `yaml:"stages"`
	PullRate  struct{ Low, High float64 } `yaml:"pullRateMBps"`
	Runtimes  []Runtime                   `yaml:"runtimes"`
	Prepulled Stage                       `yaml:"prepulled"`
}

// Load parses the built-in budget and checks it: every stage but the pull
// has a range, a confidence and a source.
func Load() (*Data, error) {
	var d Data
	if err := yaml.Unmarshal(budgetYAML, &d); err != nil {
		return nil, fmt.Errorf("time-to-GPU budget: %w", err)
	}
	for _, s := range append(append([]Stage{}, d.Stages...), d.Prepulled) {
		if len(s.Sources) == 0 || s.Confidence == "" {
			return nil, fmt.Errorf("time-to-GPU budget: stage %q needs sources and a confidence", s.Name)
		}
		if s.ID != StagePull && (s.Low <= 0 || s.High < s.Low) {
			return nil, fmt.Errorf("time-to-GPU budget: stage %q has range %g-%g s", s.Name, s.Low, s.High)
		}
	}
	if d.PullRate.Low <= 0 || d.PullRate.High < d.PullRate.Low || len(d.Runtimes) == 0 {
		return nil, fmt.Errorf("time-to-GPU budget: pull rate %g-%g MB/s, %d runtimes", d.PullRate.Low, d.PullRate.High, len(d.Runtimes))
	}
	return &d, nil
}

// Stage IDs.
const (
	StageLaunch       = "launch"
	StageReady        = "ready"
	StageDevicePlugin = "deviceplugin"
	StagePull         = "pull"
)

// Stage returns the stage with the ID.
func (d *Data) Stage(id string) (Stage, bool) {
	for _, s := range d.Stages {
		if s.ID == id {
			return s, true
		}
	}
	return Stage{}, false
}

// Family is the budget of one GPU family.
type Family struct {
	Family string `json:"family"`
	GPU    string `json:"gpu,omitempty"`
	// InstanceTypes are the pool's types of the family.
	InstanceTypes []string `json:"instanceTypes"`
	Paths         []Path   `json:"paths"`
}

// Path is the way to Running with one runtime: the stages with the pull
// of its image, the total, and the stage that dominates it.
type Path struct {
	Runtime  Runtime `json:"runtime"`
	Stages   []Stage `json:"stages"`
	Low      float64 `json:"lowSeconds"`
	High     float64 `json:"highSeconds"`
	Dominant string  `json:"dominant"`
	// PrepulledLow and PrepulledHigh are the total with the image
	// restored from a pre-pulled data-volume snapshot instead of pulled.
	PrepulledLow  float64 `json:"prepulledLowSeconds"`
	PrepulledHigh float64 `json:"prepulledHighSeconds"`
}

// Budget returns the budget of each family the GPU pool allows, in
// family order, with the pool's preferred instance types of each.
func Budget(d *Data, families, instanceTypes []string) ([]Family, error) {
	if len(families) == 0 {
		return nil, fmt.Errorf("the GPU pool allows no instance family")
	}
	byFamily := map[string][]string{}
	for _, f := range families {
		byFamily[f] = nil
	}
	for _, t := range instanceTypes {
		f, _, _ := strings.Cut(t, ".")
		if _, ok := byFamily[f]; ok {
			byFamily[f] = append(byFamily[f], t)
		}
	}
	var out []Family
	for f, types := range byFamily {
		fam := Family{Family: f, GPU: spec.SupportedGPUFamilies[f], InstanceTypes: types}
		for _, r := range d.Runtimes {
			fam.Paths = append(fam.Paths, d.path(r))
		}
		out = append(out, fam)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Family < out[j].Family })
	return out, nil
}

func (d *Data) path(r Runtime) Path {
	p := Path{Runtime: r}
	for _, s := range d.Stages {
		if s.ID == StagePull {
			s.Name = fmt.Sprintf("%s %s (%g GB)", s.Name, r.Image, r.SizeGB)
			s.Low, s.High = r.SizeGB*1000/d.PullRate.High, r.SizeGB*1000/d.PullRate.Low
			s.Sources = append([]string{r.Source}, s.Sources...)
		}
		p.Stages = append(p.Stages, s)
		p.Low += s.Low
		p.High += s.High
		if dom, ok := p.stage(p.Dominant); !ok || s.High > dom.High {
			p.Dominant = s.ID
		}
	}
	pull, _ := p.stage(StagePull)
	p.PrepulledLow = p.Low - pull.Low + d.Prepulled.Low
	p.PrepulledHigh = p.High - pull.High + d.Prepulled.High
	return p
}

func (p Path) stage(id string) (Stage, bool) {
	for _, s := range p.Stages {
		if s.ID == id {
			return s, true
		}
	}
	return Stage{}, false
}
