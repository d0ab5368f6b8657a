// Package database declares the MLflow backend store: an encrypted RDS
// PostgreSQL instance in the private subnets that only the cluster's nodes
// can reach, with its password kept by Secrets Manager and SSL forced.
package database

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/ec2"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/rds"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/vpc"
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
	// Region and AccountID scope the monitoring role's trust to this
	// instance.
	Region, AccountID string
	Settings          Settings
	VpcID             pulumi.StringInput
	SubnetIDs         pulumi.StringArrayInput
	// NodeSecurityGroupID is the only source admitted on the PostgreSQL port.
	NodeSecurityGroupID pulumi.StringInput
	KmsKeyArn           pulumi.StringInput
	PermissionsBoundary string // boundary.ARN of the stack, on the monitoring role
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
		VpcId:       args.VpcID.ToStringOutput(),
		Description: pulumi.String("MLflow PostgreSQL: admits cluster nodes on 5432 only"),
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
		ReferencedSecurityGroupId: args.NodeSecurityGroupID.ToStringOutput(),
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
	params, err := declareParams(ctx, name, args, child)
	if err != nil {
		return nil, err
	}
	monitoring, err := boundary.NewRole(ctx, name+"-monitoring", args.PermissionsBoundary, &iam.RoleArgs{
		Description:      pulumi.String("RDS enhanced monitoring of " + args.Identifier),
		AssumeRolePolicy: pulumi.String(MonitoringTrust(args.Partition, args.Region, args.AccountID, args.Identifier)),
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

// declareParams declares the instance's parameter group. A new major
// version replaces it (its family is ForceNew), and the old one cannot be
// deleted while the instance still uses it: prod applies the upgrade in the
// maintenance window, after the engine's delete (review N16). Kept instead,
// the old group (free) is left for the operator to delete once the
// instance has moved.
func declareParams(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*rds.ParameterGroup, error) {
	params, err := rds.NewParameterGroup(ctx, name+"-params", &rds.ParameterGroupArgs{
		Family:      pulumi.String("postgres" + args.Settings.EngineVersion),
		Description: pulumi.String("Forces SSL and logs slow statements"),
		Parameters: rds.ParameterGroupParameterArray{
			rds.ParameterGroupParameterArgs{Name: pulumi.String("rds.force_ssl"), Value: pulumi.String("1")},
			rds.ParameterGroupParameterArgs{Name: pulumi.String("log_min_duration_statement"), Value: pulumi.String("1000")},
		},
	}, child, pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, fmt.Errorf("declaring database parameter group: %w", err)
	}
	return params, nil
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
		KmsKeyId:                         args.KmsKeyArn.ToStringOutput(),
		MultiAz:                          pulumi.Bool(s.MultiAz),
		DbName:                           pulumi.String(DatabaseName),
		Username:                         pulumi.String(MasterUsername),
		ManageMasterUserPassword:         pulumi.Bool(true),
		MasterUserSecretKmsKeyId:         args.KmsKeyArn.ToStringOutput(),
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
		PerformanceInsightsKmsKeyId:        args.KmsKeyArn.ToStringOutput(),
		PerformanceInsightsRetentionPeriod: pulumi.Int(7),
		MonitoringInterval:                 pulumi.Int(60),
		MonitoringRoleArn:                  monitoring.Arn,
	}
	if s.MaxAllocatedStorageGb > 0 {
		instArgs.MaxAllocatedStorage = pulumi.Int(s.MaxAllocatedStorageGb)
	}
	if s.DeletionProtection {
		// The inputs the provider replaces the instance for (ForceNew in
		// the Terraform provider's aws_db_instance: engine, username,
		// db_name, storage_encrypted; kms_key_id is in the key part).
		instArgs.FinalSnapshotIdentifier = FinalSnapshotIdentifier(args.Identifier, args.KmsKeyArn,
			"postgres", MasterUsername, DatabaseName, "storageEncrypted=true")
	}
	inst, err := rds.NewInstance(ctx, name, instArgs, child,
		pulumi.DependsOn(deps), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, fmt.Errorf("declaring RDS instance %s: %w", args.Identifier, err)
	}
	return inst, nil
}

// MonitoringTrust lets RDS assume the enhanced-monitoring role only for
// this account's instance identifier (RDS User Guide, "Setting up and
// enabling Enhanced Monitoring", preventing cross-service confused deputy
// problems: aws:SourceAccount and aws:SourceArn
// arn:<partition>:rds:<region>:<account>:db:<identifier>).
func MonitoringTrust(partition, region, accountID, identifier string) string {
	return iampolicy.SourceTrust("monitoring.rds.amazonaws.com", accountID,
		fmt.Sprintf("arn:%s:rds:%s:%s:db:%s", partition, region, accountID, identifier))
}

// FinalSnapshotIdentifier names the snapshot RDS takes when the instance is
// deleted: <identifier>-final-<first 8 characters of the data key's ID>-
// <replacement fingerprint>. Manual snapshots outlive their instance, so a
// fixed name collides with the snapshot of an earlier deletion. The key's
// ID changes whenever the stack is created anew; the fingerprint
// (ReplacementFingerprint of forceNew, the instance's inputs whose change
// replaces it) changes with every replacement under the same key, such as
// a new master username. Both are stable between previews; a timestamp
// would show a diff on every preview, and a random suffix would need the
// random provider.
func FinalSnapshotIdentifier(identifier string, keyArn pulumi.StringInput, forceNew ...string) pulumi.StringOutput {
	return keyArn.ToStringOutput().ApplyT(func(arn string) string {
		id := arn[strings.LastIndex(arn, "/")+1:]
		if len(id) > 8 {
			id = id[:8]
		}
		return identifier + "-final-" + id + "-" + ReplacementFingerprint(append([]string{identifier}, forceNew...))
	}).(pulumi.StringOutput)
}

// ReplacementFingerprint is 8 hex digits of a SHA-256 over values.
func ReplacementFingerprint(values []string) string {
	sum := sha256.Sum256([]byte(strings.Join(values, "\x00")))
	return hex.EncodeToString(sum[:4])
}
