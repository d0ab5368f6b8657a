package cost

import (
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

// Range is a low and a high figure. In YAML a plain number sets both.
type Range struct {
	Low  float64 `yaml:"low" json:"low"`
	High float64 `yaml:"high" json:"high"`
}

// UnmarshalYAML accepts {low, high} or a single number.
func (r *Range) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		var v float64
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: want a number or {low, high}: %w", n.Line, err)
		}
		r.Low, r.High = v, v
		return nil
	}
	type plain Range
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*r = Range(p)
	return nil
}

// Scale multiplies both ends by f.
func (r Range) Scale(f float64) Range { return Range{r.Low * f, r.High * f} }

// Usage holds what the program does not declare: hours, traffic, volumes.
// See data/usage.yaml for the meaning and defaults of each field.
type Usage struct {
	HoursPerMonth       float64          `yaml:"hoursPerMonth" json:"hoursPerMonth"`
	SpotDiscount        Range            `yaml:"spotDiscount" json:"spotDiscount"`
	BusyNodeHours       map[string]Range `yaml:"busyNodeHours" json:"busyNodeHours"`
	NatGBProcessed      Range            `yaml:"natGBProcessed" json:"natGBProcessed"`
	LogIngestedGB       map[string]Range `yaml:"logIngestedGB" json:"logIngestedGB"`
	OtherLogGroupGB     Range            `yaml:"otherLogGroupGB" json:"otherLogGroupGB"`
	LogStoredGB         Range            `yaml:"logStoredGB" json:"logStoredGB"`
	ContainerInsightsMO Range            `yaml:"containerInsightsMillionObservations" json:"containerInsightsMillionObservations"`
	ArtifactGB          Range            `yaml:"artifactGB" json:"artifactGB"`
	ALBCount            float64          `yaml:"albCount" json:"albCount"`
	ALBLCU              Range            `yaml:"albLCU" json:"albLCU"`
	ALBPublicIPs        float64          `yaml:"albPublicIPs" json:"albPublicIPs"`
	KMSRequests10k      Range            `yaml:"kmsRequests10k" json:"kmsRequests10k"`
	VPCEndpointGB       Range            `yaml:"vpcEndpointGB" json:"vpcEndpointGB"`
	GeneralHeadroom     Headroom         `yaml:"generalUserHeadroom" json:"generalUserHeadroom"`
	// SpotDiscountByFamily overrides SpotDiscount for an instance family
	// with its own sourced discount.
	SpotDiscountByFamily map[string]Range `yaml:"spotDiscountByFamily" json:"spotDiscountByFamily"`
	// SpotShare is the share of a spot-first NodePool's node-hours that
	// spot serves; the rest falls back to on-demand.
	SpotShare Range `yaml:"spotShare" json:"spotShare"`
	// ServingGpuReplicas are the GPU model-serving replicas by instance
	// family (one GPU each, on <family>.xlarge), up around the clock.
	ServingGpuReplicas map[string]float64 `yaml:"servingGpuReplicas" json:"servingGpuReplicas"`
}

// LoadUsage returns the built-in usage defaults for stack (the top level,
// then its stacks: section), with overrideFile ("" for none) merged last.
func LoadUsage(stack, overrideFile string) (*Usage, error) {
	content, err := data.ReadFile("data/usage.yaml")
	if err != nil {
		return nil, fmt.Errorf("reading built-in usage: %w", err)
	}
	tree, err := usageTree(content, stack)
	if err != nil {
		return nil, fmt.Errorf("built-in usage: %w", err)
	}
	if overrideFile != "" {
		content, err := os.ReadFile(overrideFile)
		if err != nil {
			return nil, fmt.Errorf("reading usage file: %w", err)
		}
		over, err := usageTree(content, stack)
		if err != nil {
			return nil, fmt.Errorf("usage file %s: %w", overrideFile, err)
		}
		mergeTree(tree, over)
	}
	return decodeUsage(tree)
}

// usageTree parses a usage document and folds its stacks.<stack> section
// over its top level.
func usageTree(content []byte, stack string) (map[string]any, error) {
	tree := map[string]any{}
	if err := yaml.Unmarshal(content, &tree); err != nil {
		return nil, fmt.Errorf("parsing usage: %w", err)
	}
	stacks, _ := tree["stacks"].(map[string]any)
	delete(tree, "stacks")
	if own, ok := stacks[stack].(map[string]any); ok {
		mergeTree(tree, own)
	}
	return tree, nil
}

func mergeTree(dst, src map[string]any) {
	for k, v := range src {
		sm, sok := v.(map[string]any)
		dm, dok := dst[k].(map[string]any)
		_, isRange := sm["low"]
		if sok && dok && !isRange {
			mergeTree(dm, sm)
			continue
		}
		dst[k] = v
	}
}

func decodeUsage(tree map[string]any) (*Usage, error) {
	raw, err := yaml.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("usage: %w", err)
	}
	var u Usage
	dec := yaml.NewDecoder(bytesReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&u); err != nil {
		return nil, fmt.Errorf("usage: %w", err)
	}
	if u.HoursPerMonth <= 0 || u.HoursPerMonth > 744 {
		return nil, fmt.Errorf("usage: hoursPerMonth must be in (0, 744], got %g", u.HoursPerMonth)
	}
	if d := u.SpotDiscount; d.Low < 0 || d.High >= 1 || d.Low > d.High {
		return nil, fmt.Errorf("usage: spotDiscount must satisfy 0 <= low <= high < 1, got %g-%g", d.Low, d.High)
	}
	return &u, nil
}
