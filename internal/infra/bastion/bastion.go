// Package bastion declares the optional SSM-managed bastion: a small
// instance in a private subnet with no public address, no SSH key and no
// open port, reachable only through Session Manager, from which operators
// reach the private EKS endpoint.
package bastion

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ec2"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ssm"
)

// InstanceType is small: the bastion only runs kubectl and the SSM agent.
const InstanceType = "t3.micro"

// AmiParameter is the public SSM parameter AWS keeps pointing at the latest
// Amazon Linux 2023 AMI (x86_64), whose image ships the SSM agent.
const AmiParameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

// Args configures the bastion.
type Args struct {
	ClusterName string
	Partition   string
	VpcID       pulumi.StringInput
	// VpcCidr is the VPC's CIDR block: the bastion reaches a restored
	// database (the DR drill's port forward) on 5432 inside it, nowhere
	// else.
	VpcCidr string
	// PermissionsBoundary is the ARN of the stack's permissions boundary
	// (internal/boundary), which every role declared here carries.
	PermissionsBoundary string
	// SubnetID is a private subnet; the bastion reaches SSM through NAT.
	SubnetID pulumi.StringInput
}

// Bastion is the bastion component.
type Bastion struct {
	pulumi.ResourceState

	// SecurityGroupID is admitted to the cluster's endpoint on 443.
	SecurityGroupID pulumi.StringOutput
	InstanceID      pulumi.IDOutput
}

// NewBastion declares the bastion, its security group and its SSM-only role.
func NewBastion(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Bastion, error) {
	b := &Bastion{}
	if err := ctx.RegisterComponentResource("mlops:bastion:Bastion", name, b, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(b)
	ami, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: AmiParameter}, pulumi.Parent(b))
	if err != nil {
		return nil, fmt.Errorf("looking up the Amazon Linux 2023 AMI (%s): %w", AmiParameter, err)
	}
	sg, err := ec2.NewSecurityGroup(ctx, name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       args.VpcID.ToStringOutput(),
		Description: pulumi.String("SSM-managed bastion: no inbound rules; HTTPS out to SSM and the cluster endpoint, PostgreSQL in the VPC"),
		Ingress:     ec2.SecurityGroupIngressArray{},
		Egress: ec2.SecurityGroupEgressArray{ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("HTTPS to Systems Manager and the Kubernetes API"),
			Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}, ec2.SecurityGroupEgressArgs{
			// Inline, as the 443 rule: a separate egress-rule resource would
			// fight the inline list (review N5).
			Description: pulumi.String("PostgreSQL to a database in the VPC, for the DR drill port forward"),
			Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(5432), ToPort: pulumi.Int(5432),
			CidrBlocks: pulumi.StringArray{pulumi.String(args.VpcCidr)},
		}},
		Tags: pulumi.StringMap{
			"Name":                                pulumi.String(args.ClusterName + "-bastion"),
			"mlops-platform/egress-justification": pulumi.String("HTTPS: the SSM agent reaches the regional Systems Manager endpoints through NAT, and kubectl the cluster API; 5432 inside the VPC only: the DR drill's forward to a restored database"),
		},
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring bastion security group: %w", err)
	}
	role, err := boundary.NewRole(ctx, name+"-role", args.PermissionsBoundary, &iam.RoleArgs{
		Description:      pulumi.String("SSM-managed bastion of " + args.ClusterName),
		AssumeRolePolicy: pulumi.String(iampolicy.ServiceTrust("ec2.amazonaws.com")),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring bastion role: %w", err)
	}
	attach, err := iam.NewRolePolicyAttachment(ctx, name+"-ssm", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/AmazonSSMManagedInstanceCore", args.Partition),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("attaching SSM policy to the bastion role: %w", err)
	}
	profile, err := iam.NewInstanceProfile(ctx, name+"-profile", &iam.InstanceProfileArgs{Role: role.Name}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring bastion instance profile: %w", err)
	}
	inst, err := ec2.NewInstance(ctx, name, &ec2.InstanceArgs{
		Ami:                      pulumi.String(ami.Value),
		InstanceType:             pulumi.String(InstanceType),
		SubnetId:                 args.SubnetID.ToStringOutput(),
		VpcSecurityGroupIds:      pulumi.StringArray{sg.ID().ToStringOutput()},
		IamInstanceProfile:       profile.Name,
		AssociatePublicIpAddress: pulumi.Bool(false),
		MetadataOptions: ec2.InstanceMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1),
		},
		RootBlockDevice: ec2.InstanceRootBlockDeviceArgs{
			VolumeType: pulumi.String("gp3"),
			Encrypted:  pulumi.Bool(true),
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(args.ClusterName + "-bastion")},
	}, child, pulumi.DependsOn([]pulumi.Resource{attach}),
		// A newer AMI must not replace the bastion on every deploy.
		pulumi.IgnoreChanges([]string{"ami"}))
	if err != nil {
		return nil, fmt.Errorf("declaring bastion instance: %w", err)
	}
	b.SecurityGroupID, b.InstanceID = sg.ID().ToStringOutput(), inst.ID()
	return b, ctx.RegisterResourceOutputs(b, pulumi.Map{"securityGroupId": b.SecurityGroupID, "instanceId": b.InstanceID})
}
