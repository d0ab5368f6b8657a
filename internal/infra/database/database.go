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
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
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

	sg := &provider.Resource{}
	err := provider.AWS(ctx, typetoken.SecurityGroup, name+"-sg", pulumi.Map{
		"vpcId":       args.VpcID,
		"description": pulumi.String("MLflow PostgreSQL: admits cluster nodes on 5432 only"),
		"egress":      pulumi.Array{}, // the database starts no connections
		"tags":        pulumi.StringMap{"Name": pulumi.String(args.Identifier)},
	}, sg, child)
	if err != nil {
		return nil, fmt.Errorf("declaring database security group: %w", err)
	}
	d.SecurityGroupID = sg.ID()
	if err := provider.AWS(ctx, typetoken.SecurityGroupIngressRule, name+"-from-nodes", pulumi.Map{
		"securityGroupId":           sg.ID(),
		"description":               pulumi.String("PostgreSQL from EKS nodes"),
		"ipProtocol":                pulumi.String("tcp"),
		"fromPort":                  pulumi.Int(Port),
		"toPort":                    pulumi.Int(Port),
		"referencedSecurityGroupId": args.NodeSecurityGroupID,
	}, &provider.Resource{}, child); err != nil {
		return nil, fmt.Errorf("declaring database ingress rule: %w", err)
	}

	subnets := &provider.Named{}
	err = provider.AWS(ctx, typetoken.DBSubnetGroup, name+"-subnets", pulumi.Map{
		"description": pulumi.String("Private subnets of " + args.Identifier),
		"subnetIds":   args.SubnetIDs,
	}, subnets, child)
	if err != nil {
		return nil, fmt.Errorf("declaring database subnet group: %w", err)
	}
	params, err := declareParams(ctx, name, args, child)
	if err != nil {
		return nil, err
	}
	monitoring := &provider.Named{}
	err = boundary.Role(ctx, name+"-monitoring", args.PermissionsBoundary, pulumi.Map{
		"description":      pulumi.String("RDS enhanced monitoring of " + args.Identifier),
		"assumeRolePolicy": pulumi.String(MonitoringTrust(args.Partition, args.Region, args.AccountID, args.Identifier)),
	}, monitoring, child)
	if err != nil {
		return nil, fmt.Errorf("declaring monitoring role: %w", err)
	}
	monitoringPolicy := &provider.Resource{}
	err = provider.AWS(ctx, typetoken.RolePolicyAttachment, name+"-monitoring", pulumi.Map{
		"role":      monitoring.Name,
		"policyArn": pulumi.Sprintf("arn:%s:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", args.Partition),
	}, monitoringPolicy, child)
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
	d.MasterUserSecretArn = provider.StringAt(inst.MasterUserSecrets, 0, "secretArn")
	d.ResourceID = inst.ResourceID
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
func declareParams(ctx *pulumi.Context, name string, args *Args, child pulumi.ResourceOption) (*provider.Named, error) {
	params := &provider.Named{}
	err := provider.AWS(ctx, typetoken.DBParameterGroup, name+"-params", pulumi.Map{
		"family":      pulumi.String("postgres" + args.Settings.EngineVersion),
		"description": pulumi.String("Forces SSL and logs slow statements"),
		"parameters": pulumi.Array{
			pulumi.Map{"name": pulumi.String("rds.force_ssl"), "value": pulumi.String("1")},
			pulumi.Map{"name": pulumi.String("log_min_duration_statement"), "value": pulumi.String("1000")},
		},
	}, params, child, pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, fmt.Errorf("declaring database parameter group: %w", err)
	}
	return params, nil
}

func declareInstance(ctx *pulumi.Context, name string, args *Args, sg *provider.Resource, subnets, params, monitoring *provider.Named, deps []pulumi.Resource, child pulumi.ResourceOption) (*dbInstance, error) {
	s := args.Settings
	instArgs := pulumi.Map{
		"identifier":                       pulumi.String(args.Identifier),
		"engine":                           pulumi.String("postgres"),
		"engineVersion":                    pulumi.String(s.EngineVersion),
		"instanceClass":                    pulumi.String(s.InstanceClass),
		"allocatedStorage":                 pulumi.Int(s.AllocatedStorageGb),
		"storageType":                      pulumi.String("gp3"),
		"storageEncrypted":                 pulumi.Bool(true),
		"kmsKeyId":                         args.KmsKeyArn,
		"multiAz":                          pulumi.Bool(s.MultiAz),
		"dbName":                           pulumi.String(DatabaseName),
		"username":                         pulumi.String(MasterUsername),
		"manageMasterUserPassword":         pulumi.Bool(true),
		"masterUserSecretKmsKeyId":         args.KmsKeyArn,
		"iamDatabaseAuthenticationEnabled": pulumi.Bool(true),
		"dbSubnetGroupName":                subnets.Name,
		"vpcSecurityGroupIds":              pulumi.StringArray{sg.ID().ToStringOutput()},
		"parameterGroupName":               params.Name,
		"publiclyAccessible":               pulumi.Bool(false),
		"caCertIdentifier":                 pulumi.String("rds-ca-rsa2048-g1"),
		"backupRetentionPeriod":            pulumi.Int(s.BackupRetentionDays),
		"backupWindow":                     pulumi.String("02:00-03:00"),
		"maintenanceWindow":                pulumi.String("sun:03:30-sun:04:30"),
		"autoMinorVersionUpgrade":          pulumi.Bool(true),
		// Raising engineVersion to a new major is a deliberate spec change;
		// without this RDS refuses it.
		"allowMajorVersionUpgrade":           pulumi.Bool(true),
		"applyImmediately":                   pulumi.Bool(s.ApplyImmediately),
		"deletionProtection":                 pulumi.Bool(s.DeletionProtection),
		"skipFinalSnapshot":                  pulumi.Bool(!s.DeletionProtection),
		"copyTagsToSnapshot":                 pulumi.Bool(true),
		"enabledCloudwatchLogsExports":       pulumi.ToStringArray(LogExports),
		"performanceInsightsEnabled":         pulumi.Bool(true),
		"performanceInsightsKmsKeyId":        args.KmsKeyArn,
		"performanceInsightsRetentionPeriod": pulumi.Int(7),
		"monitoringInterval":                 pulumi.Int(60),
		"monitoringRoleArn":                  monitoring.Arn,
	}
	if s.MaxAllocatedStorageGb > 0 {
		instArgs["maxAllocatedStorage"] = pulumi.Int(s.MaxAllocatedStorageGb)
	}
	if s.DeletionProtection {
		// The inputs the provider replaces the instance for (ForceNew in
		// the Terraform provider's aws_db_instance: engine, username,
		// db_name, storage_encrypted; kms_key_id is in the key part).
		instArgs["finalSnapshotIdentifier"] = FinalSnapshotIdentifier(args.Identifier, args.KmsKeyArn,
			"postgres", MasterUsername, DatabaseName, "storageEncrypted=true")
	}
	inst := &dbInstance{}
	if err := provider.AWS(ctx, typetoken.DBInstance, name, instArgs, inst, child,
		pulumi.DependsOn(deps), pulumi.Protect(args.Protect)); err != nil {
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

// dbInstance is an aws:rds/instance:Instance and the outputs MLflow and its
// roles read.
type dbInstance struct {
	pulumi.CustomResourceState
	Address           pulumi.StringOutput `pulumi:"address"`
	Port              pulumi.IntOutput    `pulumi:"port"`
	ResourceID        pulumi.StringOutput `pulumi:"resourceId"`
	MasterUserSecrets pulumi.AnyOutput    `pulumi:"masterUserSecrets"`
}
