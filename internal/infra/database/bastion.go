package database

import (
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AdmitBastion admits the bastion's security group to the database on the
// PostgreSQL port, so that `mlops dr drill --bastion-instance-id` reaches a
// restored instance (which copies the database's security groups) through
// a Session Manager port forward from the bastion. The program calls it
// when bastion.enabled; the bastion's own security group needs the
// matching egress (its egress is inline, so it is declared there).
func AdmitBastion(ctx *pulumi.Context, name string, d *Database, bastionSecurityGroupID pulumi.StringInput) error {
	if err := provider.AWS(ctx, typetoken.SecurityGroupIngressRule, name+"-from-bastion", pulumi.Map{
		"securityGroupId":           d.SecurityGroupID,
		"description":               pulumi.String("PostgreSQL from the SSM bastion, for the DR drill port forward"),
		"ipProtocol":                pulumi.String("tcp"),
		"fromPort":                  pulumi.Int(Port),
		"toPort":                    pulumi.Int(Port),
		"referencedSecurityGroupId": bastionSecurityGroupID,
	}, &provider.Resource{}, pulumi.Parent(d)); err != nil {
		return fmt.Errorf("declaring the database's ingress rule from the bastion: %w", err)
	}
	return nil
}
