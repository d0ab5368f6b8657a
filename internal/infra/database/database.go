// Package database declares the MLflow backend store: an encrypted RDS
// PostgreSQL instance in the private subnets that only the cluster's nodes
// can reach, with its password kept by Secrets Manager and SSL forced.
package database

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
)

// Port is the PostgreSQL port.
const Port = 5432

// MasterUsername is the administrative user; RDS.25 asks that it not be "postgres".
const MasterUsername = "mlflow_admin"

// DatabaseName is the database MLflow uses.
const DatabaseName = "mlflow"

// LogExports are the PostgreSQL logs sent to CloudWatch.
var LogExports = []string{"postgresql", "upgrade"}

// Args configures the database.
type Args struct {
	// Identifier is the RDS instance identifier.
	Identifier string
	Partition  string
	Settings   Settings
	VpcID      pulumi.StringInput
	SubnetIDs  pulumi.StringArrayInput
	// NodeSecurityGroupID is the only source admitted on the PostgreSQL port.
	NodeSecurityGroupID pulumi.StringInput
	KmsKeyArn           pulumi.StringInput
	// LogGroups are the pre-created export log groups.
	LogGroups []pulumi.Resource
	// Protect marks the instance protected, so the engine refuses to delete it.
	Protect bool
}

// Settings are the instance's engine, size and protection choices.
type Settings struct {
	// EngineVersion is the PostgreSQL major version, for example "17".
	EngineVersion string
	// InstanceClass is the RDS instance class, for example db.t3.medium.
	InstanceClass string
	// MultiAz runs a synchronous standby in another zone.
	MultiAz bool
	// BackupRetentionDays is how long automated backups are kept.
	BackupRetentionDays int
	// DeletionProtection refuses DeleteDBInstance and forces a final snapshot.
	DeletionProtection bool
	// AllocatedStorageGb and MaxAllocatedStorageGb bound gp3 storage autoscaling.
	AllocatedStorageGb, MaxAllocatedStorageGb int
	// ApplyImmediately applies modifications at once, not in the maintenance window.
	ApplyImmediately bool
}

// Database is the database component.
type Database struct {
	pulumi.ResourceState

	Address pulumi.StringOutput
	Port    pulumi.IntOutput
	// MasterUserSecretArn is the Secrets Manager secret RDS keeps the password in.
	MasterUserSecretArn pulumi.StringOutput
	// ResourceID is the instance's DbiResourceId (db-…), which IAM
	// database authentication names in rds-db:connect resources.
	ResourceID      pulumi.StringOutput
	SecurityGroupID pulumi.IDOutput
}

// NewDatabase declares the instance and what it needs.
func NewDatabase(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Database, error) {
	d := &Database{}
	if err := ctx.RegisterComponentResource("mlops:database:Database", name, d, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(d)

	sg, err := ec2.NewSecurityGroup(ctx, name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       args.VpcID,
		Description: pulumi.String("MLflow PostgreSQL: admits the cluster's nodes on 5432 only"),
		Egress:      ec2.SecurityGroupEgressArray{}, // the database starts no connections
		Tags:        pulumi.StringMap{"Name": pulumi.String(args.Identifier)},
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring database security group: %w", err)
	}
	d.SecurityGroupID = sg.ID()
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-from-nodes", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           sg.ID(),
		Description:               pulumi.String("PostgreSQL from EKS nodes"),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(Port),
		ToPort:                    pulumi.Int(Port),
		ReferencedSecurityGroupId: args.NodeSecurityGroupID,
	}, child); err != nil {
		return nil, fmt.Errorf("declaring database ingress rule: %w", err)
	}

	subnets, err := rds.NewSubnetGroup(ctx, name+"-subnets", &rds.SubnetGroupArgs{
		Description: pulumi.String("Private subnets of " + args.Identifier),
		SubnetIds:   args.SubnetIDs,
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring database subnet group: %w", err)
	}
	params, err := rds.NewParameterGroup(ctx, name+"-params", &rds.ParameterGroupArgs{
		Family:      pulumi.String("postgres" + args.Settings.EngineVersion),
		Description: pulumi.String("Forces SSL and logs slow statements"),
		Parameters: rds.ParameterGroupParameterArray{
			rds.ParameterGroupParameterArgs{Name: pulumi.String("rds.force_ssl"), Value: pulumi.String("1")},
			rds.ParameterGroupParameterArgs{Name: pulumi.String("log_min_duration_statement"), Value: pulumi.String("1000")},
		},
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring database parameter group: %w", err)
	}
	monitoring, err := iam.NewRole(ctx, name+"-monitoring", &iam.RoleArgs{
		Description:      pulumi.String("RDS enhanced monitoring of " + args.Identifier),
		AssumeRolePolicy: pulumi.String(iampolicy.ServiceTrust("monitoring.rds.amazonaws.com")),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring monitoring role: %w", err)
	}
	monitoringPolicy, err := iam.NewRolePolicyAttachment(ctx, name+"-monitoring", &iam.RolePolicyAttachmentArgs{
		Role:      monitoring.Name,
		PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", args.Partition),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("attaching monitoring policy: %w", err)
	}

	// The instance waits for the policy, not only the role: RDS checks the
	// monitoring role's permissions when it creates the instance.
	deps := append(append([]pulumi.Resource{}, args.LogGroups...), monitoringPolicy)
	inst, err := declareInstance(ctx, name, args, sg, subnets, params, monitoring, deps, child)
	if err != nil {
		return nil, err
	}
	d.Address, d.Port = inst.Address, inst.Port
	d.MasterUserSecretArn = inst.MasterUserSecrets.Index(pulumi.Int(0)).SecretArn().Elem()
	d.ResourceID = inst.ResourceId
	return d, ctx.RegisterResourceOutputs(d, pulumi.Map{
		"address": d.Address, "masterUserSecretArn": d.MasterUserSecretArn, "resourceId": d.ResourceID,
	})
}

func declareInstance(ctx *pulumi.Context, name string, args *Args, sg *ec2.SecurityGroup, subnets *rds.SubnetGroup, params *rds.ParameterGroup, monitoring *iam.Role, deps []pulumi.Resource, child pulumi.ResourceOption) (*rds.Instance, error) {
	s := args.Settings
	instArgs := &rds.InstanceArgs{
		Identifier:                       pulumi.String(args.Identifier),
		Engine:                           pulumi.String("postgres"),
		EngineVersion:                    pulumi.String(s.EngineVersion),
		InstanceClass:                    pulumi.String(s.InstanceClass),
		AllocatedStorage:                 pulumi.Int(s.AllocatedStorageGb),
		StorageType:                      pulumi.String("gp3"),
		StorageEncrypted:                 pulumi.Bool(true),
		KmsKeyId:                         args.KmsKeyArn,
		MultiAz:                          pulumi.Bool(s.MultiAz),
		DbName:                           pulumi.String(DatabaseName),
		Username:                         pulumi.String(MasterUsername),
		ManageMasterUserPassword:         pulumi.Bool(true),
		MasterUserSecretKmsKeyId:         args.KmsKeyArn,
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		DbSubnetGroupName:                subnets.Name,
		VpcSecurityGroupIds:              pulumi.StringArray{sg.ID().ToStringOutput()},
		ParameterGroupName:               params.Name,
		PubliclyAccessible:               pulumi.Bool(false),
		CaCertIdentifier:                 pulumi.String("rds-ca-rsa2048-g1"),
		BackupRetentionPeriod:            pulumi.Int(s.BackupRetentionDays),
		BackupWindow:                     pulumi.String("02:00-03:00"),
		MaintenanceWindow:                pulumi.String("sun:03:30-sun:04:30"),
		AutoMinorVersionUpgrade:          pulumi.Bool(true),
		// Raising engineVersion to a new major is a deliberate spec change;
		// without this RDS refuses it.
		AllowMajorVersionUpgrade:           pulumi.Bool(true),
		ApplyImmediately:                   pulumi.Bool(s.ApplyImmediately),
		DeletionProtection:                 pulumi.Bool(s.DeletionProtection),
		SkipFinalSnapshot:                  pulumi.Bool(!s.DeletionProtection),
		CopyTagsToSnapshot:                 pulumi.Bool(true),
		EnabledCloudwatchLogsExports:       pulumi.ToStringArray(LogExports),
		PerformanceInsightsEnabled:         pulumi.Bool(true),
		PerformanceInsightsKmsKeyId:        args.KmsKeyArn,
		PerformanceInsightsRetentionPeriod: pulumi.Int(7),
		MonitoringInterval:                 pulumi.Int(60),
		MonitoringRoleArn:                  monitoring.Arn,
	}
	if s.MaxAllocatedStorageGb > 0 {
		instArgs.MaxAllocatedStorage = pulumi.Int(s.MaxAllocatedStorageGb)
	}
	if s.DeletionProtection {
		instArgs.FinalSnapshotIdentifier = FinalSnapshotIdentifier(args.Identifier, args.KmsKeyArn)
	}
	inst, err := rds.NewInstance(ctx, name, instArgs, child,
		pulumi.DependsOn(deps), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, fmt.Errorf("declaring RDS instance %s: %w", args.Identifier, err)
	}
	return inst, nil
}

// FinalSnapshotIdentifier names the snapshot RDS takes when the instance is
// deleted: <identifier>-final-<first 8 characters of the data key's ID>.
// Manual snapshots outlive their instance, so a fixed name collides with the
// snapshot of an earlier deletion. The suffix changes whenever the stack is
// created anew (new key) and whenever the instance is replaced because its
// key changed, yet it is stable between previews; a timestamp would show a
// diff on every preview, and a random suffix would need the random provider.
func FinalSnapshotIdentifier(identifier string, keyArn pulumi.StringInput) pulumi.StringOutput {
	return keyArn.ToStringOutput().ApplyT(func(arn string) string {
		id := arn[strings.LastIndex(arn, "/")+1:]
		if len(id) > 8 {
			id = id[:8]
		}
		return identifier + "-final-" + id
	}).(pulumi.StringOutput)
}
