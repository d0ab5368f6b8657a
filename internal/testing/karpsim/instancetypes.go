package karpsim

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/mlops-platform/mlops-platform/internal/cost"
	"github.com/mlops-platform/mlops-platform/internal/spec"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// Well-known labels of Karpenter's AWS provider that the platform's
// NodePools select on. The kwok provider knows none of them; the
// instance-type file puts them in every offering's requirements, which
// makes them well-known to the controller, so the NodePools select kwok
// instance types exactly as they select EC2 ones.
const (
	LabelInstanceFamily = "karpenter.k8s.aws/instance-family"
	LabelInstanceSize   = "karpenter.k8s.aws/instance-size"
	LabelGPUCount       = "karpenter.k8s.aws/instance-gpu-count"
	LabelCapacityType   = "karpenter.sh/capacity-type"
	LabelNodePool       = "karpenter.sh/nodepool"
)

// Karpenter's capacity types.
const (
	Spot     = "spot"
	OnDemand = "on-demand"
)

// InstanceType is one entry of the instance-type file: an EC2 type's
// shape (spec.InstanceShapes: vCPUs, memory, GPUs as nvidia.com/gpu, the
// ENI-based pod limit) and its offerings.
type InstanceType struct {
	Name      string
	Shape     spec.Shape
	Offerings []Offering
}

// Offering is a capacity type in a zone at an hourly price.
type Offering struct {
	CapacityType, Zone string
	Price              float64
}

// InstanceTypes returns every type of spec.InstanceShapes the catalogue
// prices, in name order, offered in each zone on demand at the catalogue's
// price and as spot at that price less the usage assumptions' lowest spot
// discount (the dearest spot price the cost model assumes).
func InstanceTypes(cat *cost.Catalogue, usage *cost.Usage, zones []string) ([]InstanceType, error) {
	if len(zones) == 0 {
		return nil, fmt.Errorf("no zones to offer instance types in")
	}
	var out []InstanceType
	for name, shape := range spec.InstanceShapes {
		p, ok := cat.Lookup("ec2/" + name)
		if !ok {
			continue
		}
		if p.Unit != "hour" {
			return nil, fmt.Errorf("catalogue price ec2/%s is per %s, not per hour", name, p.Unit)
		}
		it := InstanceType{Name: name, Shape: shape}
		spot := p.USD * (1 - usage.SpotDiscount.Low)
		for _, z := range zones {
			it.Offerings = append(it.Offerings, Offering{OnDemand, z, p.USD}, Offering{Spot, z, spot})
		}
		out = append(out, it)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the %s catalogue prices no type of spec.InstanceShapes", cat.Region)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// The kwok provider's file format (sigs.k8s.io/karpenter/kwok/cloudprovider
// InstanceTypeOptions): offerings carry their requirements and price.
type fileType struct {
	Name             string              `json:"name"`
	Offerings        []fileOffering      `json:"offerings"`
	Architecture     string              `json:"architecture"`
	OperatingSystems []string            `json:"operatingSystems"`
	Resources        corev1.ResourceList `json:"resources"`
}

type fileOffering struct {
	Price        float64                          `json:"Price"`
	Available    bool                             `json:"Available"`
	Requirements []corev1.NodeSelectorRequirement `json:"Requirements"`
}

// WriteFile writes the types as the kwok provider reads them
// (--instance-types-file-path).
func WriteFile(path string, types []InstanceType) error {
	out := make([]fileType, 0, len(types))
	for _, it := range types {
		capacity, _ := simcluster.Resources(it.Shape)
		ft := fileType{Name: it.Name, Architecture: arch(it.Name), OperatingSystems: []string{"linux"}, Resources: capacity}
		for _, o := range it.Offerings {
			ft.Offerings = append(ft.Offerings, fileOffering{Price: o.Price, Available: true, Requirements: []corev1.NodeSelectorRequirement{
				in(LabelCapacityType, o.CapacityType),
				in(corev1.LabelTopologyZone, o.Zone),
				in(LabelInstanceFamily, family(it.Name)),
				in(LabelInstanceSize, size(it.Name)),
				in(LabelGPUCount, strconv.Itoa(it.Shape.GPUs)),
			}})
		}
		out = append(out, ft)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the instance types: %w", err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("writing the instance types: %w", err)
	}
	return nil
}

func in(key, value string) corev1.NodeSelectorRequirement {
	return corev1.NodeSelectorRequirement{Key: key, Operator: corev1.NodeSelectorOpIn, Values: []string{value}}
}

func arch(instanceType string) string {
	if spec.InstanceArch(instanceType) == spec.ArchARM {
		return "arm64"
	}
	return "amd64"
}

// family and size split an instance type's name: "g5" and "xlarge" of
// "g5.xlarge".
func family(instanceType string) string {
	f, _, _ := strings.Cut(instanceType, ".")
	return f
}

func size(instanceType string) string {
	_, s, _ := strings.Cut(instanceType, ".")
	return s
}
