// Package network declares the VPC of the platform: public and private
// subnets in every zone (and internal load balancer subnets when asked), NAT gateways, routing, the S3 gateway endpoint,
// flow logs, and a default security group stripped of its rules.
package network

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ec2"
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

	vpc, igw, err := declareVPC(ctx, name, args, child)
	if err != nil {
		return nil, err
	}
	n.VpcID = vpc.ID()

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

	if err := declareVPCServices(ctx, name, args, vpc, routeTables, child); err != nil {
		return nil, err
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

func declarePublic(ctx *pulumi.Context, name string, args *Args, vpc *ec2.Vpc, igw *ec2.InternetGateway, child pulumi.ResourceOption) ([]*ec2.Subnet, error) {
	rt, err := ec2.NewRouteTable(ctx, name+"-public-rt", &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  nameTag(args.ClusterName + "-public"),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring public route table: %w", err)
	}
	if _, err := ec2.NewRoute(ctx, name+"-public-default", &ec2.RouteArgs{
		RouteTableId:         rt.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID().ToStringOutput(),
	}, child); err != nil {
		return nil, fmt.Errorf("declaring public default route: %w", err)
	}
	subnets := make([]*ec2.Subnet, len(args.AvailabilityZones))
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
func declareNATs(ctx *pulumi.Context, name string, args *Args, public []*ec2.Subnet, igw *ec2.InternetGateway, child pulumi.ResourceOption) ([]*ec2.NatGateway, error) {
	count := 1
	if args.NatGatewayPerAz {
		count = len(args.AvailabilityZones)
	}
	nats := make([]*ec2.NatGateway, count)
	for i := 0; i < count; i++ {
		az := args.AvailabilityZones[i]
		eip, err := ec2.NewEip(ctx, fmt.Sprintf("%s-nat-%s", name, az), &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   nameTag(fmt.Sprintf("%s-nat-%s", args.ClusterName, az)),
		}, child, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, fmt.Errorf("declaring NAT address in %s: %w", az, err)
		}
		nat, err := ec2.NewNatGateway(ctx, fmt.Sprintf("%s-nat-%s", name, az), &ec2.NatGatewayArgs{
			AllocationId: eip.AllocationId,
			SubnetId:     public[i].ID(),
			Tags:         nameTag(fmt.Sprintf("%s-nat-%s", args.ClusterName, az)),
		}, child)
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
func declarePrivate(ctx *pulumi.Context, name string, args *Args, vpc *ec2.Vpc, nats []*ec2.NatGateway, child pulumi.ResourceOption) ([]*ec2.Subnet, pulumi.StringArray, error) {
	subnets := make([]*ec2.Subnet, len(args.AvailabilityZones))
	var tables pulumi.StringArray
	for i, az := range args.AvailabilityZones {
		z := zoneSubnet{kind: "private", what: "private subnet", az: az, cidr: args.PrivateSubnetCidrs[i]}
		sn, err := declareSubnet(ctx, name, args, vpc, z, child)
		if err != nil {
			return nil, nil, err
		}
		rt, err := ec2.NewRouteTable(ctx, fmt.Sprintf("%s-private-%s", name, az), &ec2.RouteTableArgs{
			VpcId: vpc.ID(),
			Tags:  nameTag(fmt.Sprintf("%s-private-%s", args.ClusterName, az)),
		}, child)
		if err != nil {
			return nil, nil, fmt.Errorf("declaring private route table in %s: %w", az, err)
		}
		nat := nats[0]
		if len(nats) == len(args.AvailabilityZones) {
			nat = nats[i]
		}
		if _, err := ec2.NewRoute(ctx, fmt.Sprintf("%s-private-%s-default", name, az), &ec2.RouteArgs{
			RouteTableId:         rt.ID(),
			DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
			NatGatewayId:         nat.ID().ToStringOutput(),
		}, child); err != nil {
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
func declareALBSubnets(ctx *pulumi.Context, name string, args *Args, vpc *ec2.Vpc, privateTables pulumi.StringArray, child pulumi.ResourceOption) ([]*ec2.Subnet, error) {
	if len(args.ALBSubnetCidrs) == 0 {
		return nil, nil
	}
	subnets := make([]*ec2.Subnet, len(args.AvailabilityZones))
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
func declareSubnet(ctx *pulumi.Context, name string, args *Args, vpc *ec2.Vpc, z zoneSubnet, child pulumi.ResourceOption) (*ec2.Subnet, error) {
	tags := pulumi.StringMap{
		"Name": pulumi.Sprintf("%s-%s-%s", args.ClusterName, z.kind, z.az),
		"kubernetes.io/cluster/" + args.ClusterName: pulumi.String("shared"),
	}
	if z.role != "" {
		tags[z.role] = pulumi.String("1")
	}
	sn, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-%s-%s", name, z.kind, z.az), &ec2.SubnetArgs{
		VpcId:               vpc.ID(),
		CidrBlock:           pulumi.String(z.cidr),
		AvailabilityZone:    pulumi.String(z.az),
		MapPublicIpOnLaunch: pulumi.Bool(false),
		Tags:                tags,
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring %s in %s: %w", z.what, z.az, err)
	}
	return sn, nil
}

// associate routes a subnet by a route table.
func associate(ctx *pulumi.Context, name string, z zoneSubnet, sn *ec2.Subnet, table pulumi.StringInput, child pulumi.ResourceOption) error {
	if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-%s-%s", name, z.kind, z.az), &ec2.RouteTableAssociationArgs{
		SubnetId:     sn.ID(),
		RouteTableId: table,
	}, child); err != nil {
		return fmt.Errorf("associating %s in %s: %w", z.what, z.az, err)
	}
	return nil
}

func idsOf(subnets []*ec2.Subnet) pulumi.StringArrayOutput {
	ids := make(pulumi.StringArray, len(subnets))
	for i, s := range subnets {
		ids[i] = s.ID().ToStringOutput()
	}
	return ids.ToStringArrayOutput()
}

func nameTag(name string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(name)}
}
