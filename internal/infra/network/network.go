// Package network declares the VPC of the platform: public and private
// subnets in every zone (and internal load balancer subnets when asked), NAT gateways, routing, the S3 gateway endpoint,
// flow logs, and a default security group stripped of its rules.
package network

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ec2"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Args configures the network.
type Args struct {
	// ClusterName tags subnets for the cluster's load balancers.
	ClusterName string
	// Region names the S3 gateway endpoint service.
	Region string
	// VpcCidr is the VPC block.
	VpcCidr string
	// AvailabilityZones, PrivateSubnetCidrs and PublicSubnetCidrs have equal length.
	AvailabilityZones  []string
	PrivateSubnetCidrs []string
	PublicSubnetCidrs  []string
	// ALBSubnetCidrs, one per zone when set, are the subnets of the
	// internal load balancers: the only ones tagged for them.
	ALBSubnetCidrs []string
	// NatGatewayPerAz creates a NAT gateway in every zone instead of one.
	NatGatewayPerAz bool
	// FlowLogGroupArn and FlowLogRoleArn receive the VPC flow logs.
	FlowLogGroupArn pulumi.StringInput
	FlowLogRoleArn  pulumi.StringInput
	// FlowLogReady must exist before the flow log (the role's policy).
	FlowLogReady []pulumi.Resource
}

// Network is the VPC component.
type Network struct {
	pulumi.ResourceState

	VpcID            pulumi.IDOutput
	PrivateSubnetIDs pulumi.StringArrayOutput
	PublicSubnetIDs  pulumi.StringArrayOutput
	// ALBSubnetIDs are the internal load balancers' subnets (none unless
	// Args.ALBSubnetCidrs is set).
	ALBSubnetIDs  pulumi.StringArrayOutput
	NatGatewayIDs pulumi.StringArrayOutput
}

// NewNetwork declares the VPC and everything in it.
func NewNetwork(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	if len(args.PrivateSubnetCidrs) != len(args.AvailabilityZones) || len(args.PublicSubnetCidrs) != len(args.AvailabilityZones) {
		return nil, fmt.Errorf("network %q: one private and one public subnet per zone are required", name)
	}
	if n := len(args.ALBSubnetCidrs); n != 0 && n != len(args.AvailabilityZones) {
		return nil, fmt.Errorf("network %q: load balancer subnets need one per zone, got %d", name, n)
	}
	n := &Network{}
	if err := ctx.RegisterComponentResource("mlops:network:Network", name, n, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(n)

	vpc, err := ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(args.VpcCidr),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               nameTag(args.ClusterName + "-vpc"),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring VPC: %w", err)
	}
	n.VpcID = vpc.ID()

	// AWS creates a default security group that allows all traffic between
	// its members and all egress; adopting it with no rules strips them.
	if err := provider.AWS(ctx, typetoken.DefaultSecurityGroup, name+"-default-sg", pulumi.Map{
		"vpcId":   vpc.ID(),
		"ingress": pulumi.Array{},
		"egress":  pulumi.Array{},
		"tags":    nameTag(args.ClusterName + "-default-deny"),
	}, &provider.Resource{}, child); err != nil {
		return nil, fmt.Errorf("declaring default security group: %w", err)
	}

	igw := &provider.Resource{}
	err = provider.AWS(ctx, typetoken.InternetGateway, name+"-igw", pulumi.Map{
		"vpcId": vpc.ID(),
		"tags":  nameTag(args.ClusterName + "-igw"),
	}, igw, child)
	if err != nil {
		return nil, fmt.Errorf("declaring internet gateway: %w", err)
	}

	public, err := declarePublic(ctx, name, args, vpc, igw, child)
	if err != nil {
		return nil, err
	}
	nats, err := declareNATs(ctx, name, args, public, igw, child)
	if err != nil {
		return nil, err
	}
	private, routeTables, err := declarePrivate(ctx, name, args, vpc, nats, child)
	if err != nil {
		return nil, err
	}

	albs, err := declareALBSubnets(ctx, name, args, vpc, routeTables, child)
	if err != nil {
		return nil, err
	}

	if err := provider.AWS(ctx, typetoken.VpcEndpoint, name+"-s3-endpoint", pulumi.Map{
		"vpcId":           vpc.ID(),
		"serviceName":     pulumi.Sprintf("com.amazonaws.%s.s3", args.Region),
		"vpcEndpointType": pulumi.String("Gateway"),
		"routeTableIds":   routeTables,
		"tags":            nameTag(args.ClusterName + "-s3"),
	}, &provider.Resource{}, child); err != nil {
		return nil, fmt.Errorf("declaring S3 gateway endpoint: %w", err)
	}

	if err := provider.AWS(ctx, typetoken.FlowLog, name+"-flow-log", pulumi.Map{
		"vpcId":                  vpc.ID(),
		"trafficType":            pulumi.String("ALL"),
		"logDestinationType":     pulumi.String("cloud-watch-logs"),
		"logDestination":         args.FlowLogGroupArn,
		"iamRoleArn":             args.FlowLogRoleArn,
		"maxAggregationInterval": pulumi.Int(60),
		"tags":                   nameTag(args.ClusterName + "-flow-log"),
	}, &provider.Resource{}, child, pulumi.DependsOn(args.FlowLogReady)); err != nil {
		return nil, fmt.Errorf("declaring flow log: %w", err)
	}

	n.PublicSubnetIDs = idsOf(public)
	n.PrivateSubnetIDs = idsOf(private)
	n.ALBSubnetIDs = idsOf(albs)
	natIDs := make(pulumi.StringArray, len(nats))
	for i, g := range nats {
		natIDs[i] = g.ID().ToStringOutput()
	}
	n.NatGatewayIDs = natIDs.ToStringArrayOutput()
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":            n.VpcID,
		"privateSubnetIds": n.PrivateSubnetIDs,
		"publicSubnetIds":  n.PublicSubnetIDs,
		"albSubnetIds":     n.ALBSubnetIDs,
	})
}

func declarePublic(ctx *pulumi.Context, name string, args *Args, vpc *ec2.Vpc, igw *provider.Resource, child pulumi.ResourceOption) ([]*provider.Resource, error) {
	rt := &provider.Resource{}
	err := provider.AWS(ctx, typetoken.RouteTable, name+"-public-rt", pulumi.Map{
		"vpcId": vpc.ID(),
		"tags":  nameTag(args.ClusterName + "-public"),
	}, rt, child)
	if err != nil {
		return nil, fmt.Errorf("declaring public route table: %w", err)
	}
	if err := provider.AWS(ctx, typetoken.Route, name+"-public-default", pulumi.Map{
		"routeTableId":         rt.ID(),
		"destinationCidrBlock": pulumi.String("0.0.0.0/0"),
		"gatewayId":            igw.ID(),
	}, &provider.Resource{}, child); err != nil {
		return nil, fmt.Errorf("declaring public default route: %w", err)
	}
	subnets := make([]*provider.Resource, len(args.AvailabilityZones))
	for i, az := range args.AvailabilityZones {
		sn, err := declareSubnet(ctx, name, args, vpc, zoneSubnet{kind: "public", what: "public subnet", az: az,
			cidr: args.PublicSubnetCidrs[i], role: "kubernetes.io/role/elb"}, child)
		if err != nil {
			return nil, err
		}
		if err := associate(ctx, name, zoneSubnet{kind: "public", what: "public subnet", az: az}, sn, rt.ID(), child); err != nil {
			return nil, err
		}
		subnets[i] = sn
	}
	return subnets, nil
}

// declareNATs places one NAT gateway in every zone's public subnet, or a
// single one in the first zone when NatGatewayPerAz is off.
func declareNATs(ctx *pulumi.Context, name string, args *Args, public []*provider.Resource, igw *provider.Resource, child pulumi.ResourceOption) ([]*provider.Resource, error) {
	count := 1
	if args.NatGatewayPerAz {
		count = len(args.AvailabilityZones)
	}
	nats := make([]*provider.Resource, count)
	for i := 0; i < count; i++ {
		az := args.AvailabilityZones[i]
		eip := &elasticIP{}
		err := provider.AWS(ctx, typetoken.Eip, fmt.Sprintf("%s-nat-%s", name, az), pulumi.Map{
			"domain": pulumi.String("vpc"),
			"tags":   nameTag(fmt.Sprintf("%s-nat-%s", args.ClusterName, az)),
		}, eip, child, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, fmt.Errorf("declaring NAT address in %s: %w", az, err)
		}
		nat := &provider.Resource{}
		err = provider.AWS(ctx, typetoken.NatGateway, fmt.Sprintf("%s-nat-%s", name, az), pulumi.Map{
			"allocationId": eip.AllocationID,
			"subnetId":     public[i].ID(),
			"tags":         nameTag(fmt.Sprintf("%s-nat-%s", args.ClusterName, az)),
		}, nat, child)
		if err != nil {
			return nil, fmt.Errorf("declaring NAT gateway in %s: %w", az, err)
		}
		nats[i] = nat
	}
	return nats, nil
}

// declarePrivate gives every zone a private subnet and its own route table
// whose default route leaves through the NAT gateway of the same zone, so a
// zone failure does not cut egress elsewhere.
func declarePrivate(ctx *pulumi.Context, name string, args *Args, vpc *ec2.Vpc, nats []*provider.Resource, child pulumi.ResourceOption) ([]*provider.Resource, pulumi.StringArray, error) {
	subnets := make([]*provider.Resource, len(args.AvailabilityZones))
	var tables pulumi.StringArray
	for i, az := range args.AvailabilityZones {
		z := zoneSubnet{kind: "private", what: "private subnet", az: az, cidr: args.PrivateSubnetCidrs[i]}
		sn, err := declareSubnet(ctx, name, args, vpc, z, child)
		if err != nil {
			return nil, nil, err
		}
		rt := &provider.Resource{}
		err = provider.AWS(ctx, typetoken.RouteTable, fmt.Sprintf("%s-private-%s", name, az), pulumi.Map{
			"vpcId": vpc.ID(),
			"tags":  nameTag(fmt.Sprintf("%s-private-%s", args.ClusterName, az)),
		}, rt, child)
		if err != nil {
			return nil, nil, fmt.Errorf("declaring private route table in %s: %w", az, err)
		}
		nat := nats[0]
		if len(nats) == len(args.AvailabilityZones) {
			nat = nats[i]
		}
		if err := provider.AWS(ctx, typetoken.Route, fmt.Sprintf("%s-private-%s-default", name, az), pulumi.Map{
			"routeTableId":         rt.ID(),
			"destinationCidrBlock": pulumi.String("0.0.0.0/0"),
			"natGatewayId":         nat.ID(),
		}, &provider.Resource{}, child); err != nil {
			return nil, nil, fmt.Errorf("declaring private default route in %s: %w", az, err)
		}
		if err := associate(ctx, name, z, sn, rt.ID(), child); err != nil {
			return nil, nil, err
		}
		subnets[i] = sn
		tables = append(tables, rt.ID().ToStringOutput())
	}
	return subnets, tables, nil
}

// declareALBSubnets gives every zone a subnet for internal load balancers,
// tagged kubernetes.io/role/internal-elb (the controller's discovery tag,
// which no other subnet carries), routed by the zone's private route table
// (privateTables, one per zone).
func declareALBSubnets(ctx *pulumi.Context, name string, args *Args, vpc *ec2.Vpc, privateTables pulumi.StringArray, child pulumi.ResourceOption) ([]*provider.Resource, error) {
	if len(args.ALBSubnetCidrs) == 0 {
		return nil, nil
	}
	subnets := make([]*provider.Resource, len(args.AvailabilityZones))
	for i, az := range args.AvailabilityZones {
		z := zoneSubnet{kind: "alb", what: "load balancer subnet", az: az, cidr: args.ALBSubnetCidrs[i], role: "kubernetes.io/role/internal-elb"}
		sn, err := declareSubnet(ctx, name, args, vpc, z, child)
		if err != nil {
			return nil, err
		}
		if err := associate(ctx, name, z, sn, privateTables[i], child); err != nil {
			return nil, err
		}
		subnets[i] = sn
	}
	return subnets, nil
}

// zoneSubnet is one subnet of a zone: its kind (in resource and Name
// tags), what errors call it, its block and the load balancer role tag it
// carries, if any.
type zoneSubnet struct {
	kind, what, az, cidr, role string
}

// declareSubnet declares a subnet that maps no public address, tagged as
// the cluster's (shared) and with its role, if any.
func declareSubnet(ctx *pulumi.Context, name string, args *Args, vpc *ec2.Vpc, z zoneSubnet, child pulumi.ResourceOption) (*provider.Resource, error) {
	tags := pulumi.StringMap{
		"Name": pulumi.Sprintf("%s-%s-%s", args.ClusterName, z.kind, z.az),
		"kubernetes.io/cluster/" + args.ClusterName: pulumi.String("shared"),
	}
	if z.role != "" {
		tags[z.role] = pulumi.String("1")
	}
	sn := &provider.Resource{}
	if err := provider.AWS(ctx, typetoken.Subnet, fmt.Sprintf("%s-%s-%s", name, z.kind, z.az), pulumi.Map{
		"vpcId":               vpc.ID(),
		"cidrBlock":           pulumi.String(z.cidr),
		"availabilityZone":    pulumi.String(z.az),
		"mapPublicIpOnLaunch": pulumi.Bool(false),
		"tags":                tags,
	}, sn, child); err != nil {
		return nil, fmt.Errorf("declaring %s in %s: %w", z.what, z.az, err)
	}
	return sn, nil
}

// associate routes a subnet by a route table.
func associate(ctx *pulumi.Context, name string, z zoneSubnet, sn *provider.Resource, table pulumi.StringInput, child pulumi.ResourceOption) error {
	if err := provider.AWS(ctx, typetoken.RouteTableAssociation, fmt.Sprintf("%s-%s-%s", name, z.kind, z.az), pulumi.Map{
		"subnetId":     sn.ID(),
		"routeTableId": table,
	}, &provider.Resource{}, child); err != nil {
		return fmt.Errorf("associating %s in %s: %w", z.what, z.az, err)
	}
	return nil
}

func idsOf(subnets []*provider.Resource) pulumi.StringArrayOutput {
	ids := make(pulumi.StringArray, len(subnets))
	for i, s := range subnets {
		ids[i] = s.ID().ToStringOutput()
	}
	return ids.ToStringArrayOutput()
}

func nameTag(name string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(name)}
}

// elasticIP is an aws:ec2/eip:Eip and the allocation its NAT gateway takes.
type elasticIP struct {
	pulumi.CustomResourceState
	AllocationID pulumi.StringOutput `pulumi:"allocationId"`
}
