package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestClusterReportsTheVPCOfItsSubnets: the cluster's vpcConfig.vpcId is
// the VPC its subnets were created in, whatever the resources are named.
func TestClusterReportsTheVPCOfItsSubnets(t *testing.T) {
	for _, vpcName := range []string{"network-vpc", "any-other-name"} {
		t.Run(vpcName, func(t *testing.T) {
			program := func(ctx *pulumi.Context) error {
				// A decoy VPC declared first must not be reported.
				if _, err := ec2.NewVpc(ctx, "decoy", &ec2.VpcArgs{CidrBlock: pulumi.String("10.9.0.0/16")}); err != nil {
					return err
				}
				vpc, err := ec2.NewVpc(ctx, vpcName, &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
				if err != nil {
					return err
				}
				sub, err := ec2.NewSubnet(ctx, "sub", &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String("10.0.0.0/19")})
				if err != nil {
					return err
				}
				cl, err := eks.NewCluster(ctx, "cl", &eks.ClusterArgs{
					Name: pulumi.String("c"), RoleArn: pulumi.String("arn:aws:iam::1:role/r"),
					VpcConfig: &eks.ClusterVpcConfigArgs{SubnetIds: pulumi.StringArray{sub.ID()}},
				})
				if err != nil {
					return err
				}
				_, err = ec2.NewSecurityGroup(ctx, "reader", &ec2.SecurityGroupArgs{VpcId: cl.VpcConfig.VpcId().Elem()})
				return err
			}
			g, err := Evaluate(context.Background(), "p", "s", "eu-west-1", program)
			if err != nil {
				t.Fatal(err)
			}
			var vpcID string
			for _, r := range g.ByType(typetoken.Vpc) {
				if r.Name == vpcName {
					vpcID = r.ID
				}
			}
			sg := g.ByType(typetoken.SecurityGroup)
			if len(sg) != 1 || !strings.HasPrefix(vpcID, "vpc-") || sg[0].Inputs["vpcId"] != vpcID {
				t.Errorf("cluster reports VPC %v, want %s (the subnets' VPC)", sg[0].Inputs["vpcId"], vpcID)
			}
		})
	}
}
