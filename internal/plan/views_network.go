package plan

import (
	"slices"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Subnet is a VPC subnet as declared.
type Subnet struct {
	Resource            Resource
	CIDR, Zone          string
	MapPublicIPOnLaunch bool
	Tags                map[string]string
}

// SubnetOf reads an aws:ec2/subnet:Subnet resource.
func SubnetOf(r Resource) Subnet {
	pub, _ := r.Bool("mapPublicIpOnLaunch")
	return Subnet{Resource: r, CIDR: r.String("cidrBlock"), Zone: r.String("availabilityZone"),
		MapPublicIPOnLaunch: pub, Tags: r.Tags()}
}

// Vpc is a VPC as declared.
type Vpc struct {
	Resource Resource
	CIDR     string
	Tags     map[string]string
}

// VpcOf reads an aws:ec2/vpc:Vpc resource.
func VpcOf(r Resource) Vpc { return Vpc{Resource: r, CIDR: r.String("cidrBlock"), Tags: r.Tags()} }

// Subnets are the graph's subnets, in URN order.
func (g *Graph) Subnets() []Subnet { return viewAll(g, typetoken.Subnet, SubnetOf) }

// Zones returns the sorted Availability Zones of the subnets with the
// given physical IDs, and the IDs the graph holds no subnet for.
func (g *Graph) Zones(subnetIDs []string) (zones, unknown []string) {
	zoneOf := map[string]string{}
	for _, s := range g.Subnets() {
		if s.Resource.ID != "" && s.Zone != "" {
			zoneOf[s.Resource.ID] = s.Zone
		}
	}
	for _, id := range subnetIDs {
		z, ok := zoneOf[id]
		switch {
		case !ok:
			unknown = append(unknown, id)
		case !slices.Contains(zones, z):
			zones = append(zones, z)
		}
	}
	slices.Sort(zones)
	return zones, unknown
}

// VpcEndpoint is a VPC endpoint as declared.
type VpcEndpoint struct {
	Resource Resource
	// Service is the full service name (com.amazonaws.<region>.s3); Type
	// is Gateway or Interface ("" when not declared).
	Service, Type string
	SubnetIDs     []string
}

// VpcEndpointOf reads an aws:ec2/vpcEndpoint:VpcEndpoint resource.
func VpcEndpointOf(r Resource) VpcEndpoint {
	return VpcEndpoint{Resource: r, Service: r.String("serviceName"), Type: r.String("vpcEndpointType"), SubnetIDs: r.Strings("subnetIds")}
}

// VpcEndpoints are the graph's VPC endpoints, in URN order.
func (g *Graph) VpcEndpoints() []VpcEndpoint { return viewAll(g, typetoken.VpcEndpoint, VpcEndpointOf) }

// NatGateway is a NAT gateway as declared.
type NatGateway struct {
	Resource Resource
	// AllocationID is the physical ID of its Elastic IP.
	AllocationID string
}

// NatGateways are the graph's NAT gateways, in URN order.
func (g *Graph) NatGateways() []NatGateway {
	return viewAll(g, typetoken.NatGateway, func(r Resource) NatGateway {
		return NatGateway{Resource: r, AllocationID: r.String("allocationId")}
	})
}

// LaunchTemplate is an EC2 launch template's root volume as declared.
type LaunchTemplate struct {
	Resource Resource
	// VolumeSize is the first block device's size in GB (0 when not
	// declared), VolumeType its EBS type ("" when not declared).
	VolumeSize int
	VolumeType string
}

// LaunchTemplates are the graph's launch templates, in URN order.
func (g *Graph) LaunchTemplates() []LaunchTemplate {
	return viewAll(g, typetoken.LaunchTemplate, func(r Resource) LaunchTemplate {
		size, _ := r.Int("blockDeviceMappings[0].ebs.volumeSize")
		return LaunchTemplate{Resource: r, VolumeSize: size, VolumeType: r.String("blockDeviceMappings[0].ebs.volumeType")}
	})
}
