package network

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ec2"
)

// declareVPC declares the VPC, adopts its default security group with no
// rules, and declares its internet gateway.
func declareVPC(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*ec2.Vpc, *ec2.InternetGateway, error) {
	vpc, err := ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock:          pulumi.String(args.VpcCidr),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               nameTag(args.ClusterName + "-vpc"),
	}, child)
	if err != nil {
		return nil, nil, fmt.Errorf("declaring VPC: %w", err)
	}

	// AWS creates a default security group that allows all traffic between
	// its members and all egress; adopting it with no rules strips them.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId:   vpc.ID(),
		Ingress: ec2.DefaultSecurityGroupIngressArray{},
		Egress:  ec2.DefaultSecurityGroupEgressArray{},
		Tags:    nameTag(args.ClusterName + "-default-deny"),
	}, child); err != nil {
		return nil, nil, fmt.Errorf("declaring default security group: %w", err)
	}

	igw, err := ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  nameTag(args.ClusterName + "-igw"),
	}, child)
	if err != nil {
		return nil, nil, fmt.Errorf("declaring internet gateway: %w", err)
	}
	return vpc, igw, nil
}

// declareVPCServices declares the S3 gateway endpoint on the private
// route tables and the VPC's flow log.
func declareVPCServices(ctx *pulumi.Context, name string, args *Args, vpc *ec2.Vpc, routeTables pulumi.StringArray, child pulumi.ResourceOption) error {
	if _, err := ec2.NewVpcEndpoint(ctx, name+"-s3-endpoint", &ec2.VpcEndpointArgs{
		VpcId:           vpc.ID(),
		ServiceName:     pulumi.Sprintf("com.amazonaws.%s.s3", args.Region),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   routeTables,
		Tags:            nameTag(args.ClusterName + "-s3"),
	}, child); err != nil {
		return fmt.Errorf("declaring S3 gateway endpoint: %w", err)
	}

	if _, err := ec2.NewFlowLog(ctx, name+"-flow-log", &ec2.FlowLogArgs{
		VpcId:                  vpc.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         args.FlowLogGroupArn.ToStringOutput(),
		IamRoleArn:             args.FlowLogRoleArn.ToStringOutput(),
		MaxAggregationInterval: pulumi.Int(60),
		Tags:                   nameTag(args.ClusterName + "-flow-log"),
	}, child, pulumi.DependsOn(args.FlowLogReady)); err != nil {
		return fmt.Errorf("declaring flow log: %w", err)
	}
	return nil
}
