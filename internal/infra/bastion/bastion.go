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
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
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
	var ami struct {
		Value string `pulumi:"value"`
	}
	err := provider.InvokeAWS(ctx, typetoken.GetParameter, struct {
		Name string `pulumi:"name"`
	}{AmiParameter}, &ami, pulumi.Parent(b))
	if err != nil {
		return nil, fmt.Errorf("looking up the Amazon Linux 2023 AMI (%s): %w", AmiParameter, err)
	}
	sg := &provider.Resource{}
	err = provider.AWS(ctx, typetoken.SecurityGroup, name+"-sg", pulumi.Map{
		"vpcId":       args.VpcID,
		"description": pulumi.String("SSM-managed bastion: no inbound rules; HTTPS out to SSM and the cluster endpoint"),
		"ingress":     pulumi.Array{},
		"egress": pulumi.Array{pulumi.Map{
			"description": pulumi.String("HTTPS to Systems Manager and the Kubernetes API"),
			"protocol":    pulumi.String("tcp"), "fromPort": pulumi.Int(443), "toPort": pulumi.Int(443),
			"cidrBlocks": pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
		"tags": pulumi.StringMap{
			"Name":                                pulumi.String(args.ClusterName + "-bastion"),
			"mlops-platform/egress-justification": pulumi.String("HTTPS only: the SSM agent reaches the regional Systems Manager endpoints through NAT, and kubectl the cluster API"),
		},
	}, sg, child)
	if err != nil {
		return nil, fmt.Errorf("declaring bastion security group: %w", err)
	}
	role := &provider.Named{}
	err = boundary.Role(ctx, name+"-role", args.PermissionsBoundary, pulumi.Map{
		"description":      pulumi.String("SSM-managed bastion of " + args.ClusterName),
		"assumeRolePolicy": pulumi.String(iampolicy.ServiceTrust("ec2.amazonaws.com")),
	}, role, child)
	if err != nil {
		return nil, fmt.Errorf("declaring bastion role: %w", err)
	}
	attach := &provider.Resource{}
	err = provider.AWS(ctx, typetoken.RolePolicyAttachment, name+"-ssm", pulumi.Map{
		"role":      role.Name,
		"policyArn": pulumi.Sprintf("arn:%s:iam::aws:policy/AmazonSSMManagedInstanceCore", args.Partition),
	}, attach, child)
	if err != nil {
		return nil, fmt.Errorf("attaching SSM policy to the bastion role: %w", err)
	}
	profile := &provider.Named{}
	err = provider.AWS(ctx, typetoken.InstanceProfile, name+"-profile", pulumi.Map{"role": role.Name}, profile, child)
	if err != nil {
		return nil, fmt.Errorf("declaring bastion instance profile: %w", err)
	}
	inst := &provider.Resource{}
	err = provider.AWS(ctx, typetoken.EC2Instance, name, pulumi.Map{
		"ami":                      pulumi.String(ami.Value),
		"instanceType":             pulumi.String(InstanceType),
		"subnetId":                 args.SubnetID,
		"vpcSecurityGroupIds":      pulumi.StringArray{sg.ID().ToStringOutput()},
		"iamInstanceProfile":       profile.Name,
		"associatePublicIpAddress": pulumi.Bool(false),
		"metadataOptions": pulumi.Map{
			"httpEndpoint":            pulumi.String("enabled"),
			"httpTokens":              pulumi.String("required"),
			"httpPutResponseHopLimit": pulumi.Int(1),
		},
		"rootBlockDevice": pulumi.Map{
			"volumeType": pulumi.String("gp3"),
			"encrypted":  pulumi.Bool(true),
		},
		"tags": pulumi.StringMap{"Name": pulumi.String(args.ClusterName + "-bastion")},
	}, inst, child, pulumi.DependsOn([]pulumi.Resource{attach}),
		// A newer AMI must not replace the bastion on every deploy.
		pulumi.IgnoreChanges([]string{"ami"}))
	if err != nil {
		return nil, fmt.Errorf("declaring bastion instance: %w", err)
	}
	b.SecurityGroupID, b.InstanceID = sg.ID().ToStringOutput(), inst.ID()
	return b, ctx.RegisterResourceOutputs(b, pulumi.Map{"securityGroupId": b.SecurityGroupID, "instanceId": b.InstanceID})
}
