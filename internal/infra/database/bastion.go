package database

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/vpc"
)

// AdmitBastion admits the bastion's security group to the database on the
// PostgreSQL port, so that `mlops dr drill --bastion-instance-id` reaches a
// restored instance (which copies the database's security groups) through
// a Session Manager port forward from the bastion. The program calls it
// when bastion.enabled; the bastion's own security group needs the
// matching egress (its egress is inline, so it is declared there).
func AdmitBastion(ctx *pulumi.Context, name string, d *Database, bastionSecurityGroupID pulumi.StringInput) error {
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-from-bastion", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           d.SecurityGroupID,
		Description:               pulumi.String("PostgreSQL from the SSM bastion, for the DR drill port forward"),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(Port),
		ToPort:                    pulumi.Int(Port),
		ReferencedSecurityGroupId: bastionSecurityGroupID.ToStringOutput(),
	}, pulumi.Parent(d)); err != nil {
		return fmt.Errorf("declaring the database's ingress rule from the bastion: %w", err)
	}
	return nil
}
