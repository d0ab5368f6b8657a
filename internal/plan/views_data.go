package plan

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// Database is an RDS instance as declared.
type Database struct {
	Resource                                         Resource
	Identifier, Engine, EngineVersion, InstanceClass string
	// StorageType is "" when not declared (RDS then uses gp2).
	StorageType string
	// KMSKeyID is the storage's customer-managed key, "" for none.
	KMSKeyID string
	// DBName is the database created in the instance.
	DBName string
	// IAMAuth says IAM database authentication is enabled.
	IAMAuth bool
	// SubnetGroup is the name of its DB subnet group.
	SubnetGroup                                   string
	MultiAZ, DeletionProtection, StorageEncrypted bool
	// AllocatedStorage and MaxAllocatedStorage are in GB.
	AllocatedStorage, MaxAllocatedStorage int
	// BackupRetentionDays is backupRetentionPeriod.
	BackupRetentionDays int
}

// DatabaseOf reads an aws:rds/instance:Instance resource.
func DatabaseOf(r Resource) Database {
	db := Database{Resource: r, Identifier: r.String("identifier"), Engine: r.String("engine"),
		EngineVersion: r.String("engineVersion"), InstanceClass: r.String("instanceClass"),
		StorageType: r.String("storageType"), KMSKeyID: r.String("kmsKeyId"), SubnetGroup: r.String("dbSubnetGroupName"), DBName: r.String("dbName")}
	db.IAMAuth, _ = r.Bool("iamDatabaseAuthenticationEnabled")
	db.MultiAZ, _ = r.Bool("multiAz")
	db.DeletionProtection, _ = r.Bool("deletionProtection")
	db.StorageEncrypted, _ = r.Bool("storageEncrypted")
	db.AllocatedStorage, _ = r.Int("allocatedStorage")
	db.MaxAllocatedStorage, _ = r.Int("maxAllocatedStorage")
	db.BackupRetentionDays, _ = r.Int("backupRetentionPeriod")
	return db
}

// Databases are the graph's RDS instances, in URN order.
func (g *Graph) Databases() []Database { return viewAll(g, typetoken.DBInstance, DatabaseOf) }

// DBSubnetGroup is an RDS subnet group as declared.
type DBSubnetGroup struct {
	Resource  Resource
	SubnetIDs []string
}

// DBSubnetGroupOf reads an aws:rds/subnetGroup:SubnetGroup resource.
func DBSubnetGroupOf(r Resource) DBSubnetGroup {
	return DBSubnetGroup{Resource: r, SubnetIDs: r.Strings("subnetIds")}
}

// Bucket is an S3 bucket as declared, joined with the configuration
// resources that name it by its physical ID.
type Bucket struct {
	Resource Resource
	// Legacy says it is declared with the provider's v1 bucket type.
	Legacy bool
	// Name is the fixed bucket name; Prefix the name prefix when the
	// program leaves the suffix to AWS.
	Name, Prefix string
	Versioning   bool
	// SSE is the default encryption algorithm (aws:kms or AES256), ""
	// when none is declared.
	SSE string
	// PublicAccessBlock says all four public-access blocks are declared.
	PublicAccessBlock bool
}

// BucketOf reads an S3 bucket resource alone: its name and whether it is
// the legacy type, not the configuration resources Buckets joins.
func BucketOf(r Resource) Bucket {
	return Bucket{Resource: r, Legacy: r.Type == typetoken.BucketLegacy, Name: r.String("bucket"), Prefix: r.String("bucketPrefix")}
}

// Buckets are the graph's S3 buckets: the current type's in URN order,
// then the legacy type's.
func (g *Graph) Buckets() []Bucket {
	var out []Bucket
	byID := map[string]int{}
	for _, typ := range []string{typetoken.Bucket, typetoken.BucketLegacy} {
		for _, r := range g.ByType(typ) {
			if r.ID != "" {
				byID[r.ID] = len(out)
			}
			out = append(out, BucketOf(r))
		}
	}
	of := func(r Resource) *Bucket {
		if i, ok := byID[BucketOfConfig(r)]; ok {
			return &out[i]
		}
		return nil
	}
	for _, r := range g.ByType(typetoken.BucketVersioning) {
		if b := of(r); b != nil {
			b.Versioning = r.String("versioningConfiguration.status") == "Enabled"
		}
	}
	for _, r := range g.ByType(typetoken.BucketEncryption) {
		if b := of(r); b != nil {
			b.SSE = r.String("rules[0].applyServerSideEncryptionByDefault.sseAlgorithm")
		}
	}
	for _, r := range g.ByType(typetoken.BucketPublicAccessBlock) {
		if b := of(r); b != nil {
			acls, _ := r.Bool("blockPublicAcls")
			policy, _ := r.Bool("blockPublicPolicy")
			ignore, _ := r.Bool("ignorePublicAcls")
			restrict, _ := r.Bool("restrictPublicBuckets")
			b.PublicAccessBlock = acls && policy && ignore && restrict
		}
	}
	return out
}

// BucketOfConfig is the bucket a bucket configuration resource
// (versioning, encryption, public-access block) names.
func BucketOfConfig(r Resource) string { return r.String("bucket") }

// Alias is a KMS alias as declared.
type Alias struct {
	Resource          Resource
	Name, TargetKeyID string
}

// Aliases are the graph's KMS aliases, in URN order.
func (g *Graph) Aliases() []Alias {
	return viewAll(g, typetoken.KMSAlias, func(r Resource) Alias {
		return Alias{Resource: r, Name: r.DeclaredName(), TargetKeyID: r.String("targetKeyId")}
	})
}

// Key is a customer-managed KMS key as declared.
type Key struct {
	Resource Resource
	Rotation bool
}

// KeyOf reads an aws:kms/key:Key resource.
func KeyOf(r Resource) Key {
	rot, _ := r.Bool("enableKeyRotation")
	return Key{Resource: r, Rotation: rot}
}

// Keys are the graph's KMS keys, in URN order.
func (g *Graph) Keys() []Key { return viewAll(g, typetoken.KMSKey, KeyOf) }

// LogGroup is a CloudWatch log group as declared.
type LogGroup struct {
	Resource Resource
	Name     string
	// RetentionDays is 0 when the group never expires its events.
	RetentionDays int
	KMSKeyID      string
}

// LogGroupOf reads an aws:cloudwatch/logGroup:LogGroup resource.
func LogGroupOf(r Resource) LogGroup {
	days, _ := r.Int("retentionInDays")
	return LogGroup{Resource: r, Name: r.String("name"), RetentionDays: days, KMSKeyID: r.String("kmsKeyId")}
}

// LogGroups are the graph's log groups, in URN order.
func (g *Graph) LogGroups() []LogGroup { return viewAll(g, typetoken.LogGroup, LogGroupOf) }

// Role is an IAM role as declared, with what its trust policy says about
// who assumes it.
type Role struct {
	Resource Resource
	// TrustPolicy is the assumeRolePolicy document as declared.
	TrustPolicy string
	// WebIdentity says the role is assumed with a web identity (IRSA).
	WebIdentity bool
	// ServiceAccounts are the "namespace/name" subjects a web identity
	// role admits; Services the AWS service principals without
	// ".amazonaws.com". Both sorted.
	ServiceAccounts, Services []string
}

// serviceAccountPrefix starts the subject of a service account's token.
const serviceAccountPrefix = "system:serviceaccount:"

// RoleOf reads an aws:iam/role:Role resource; a trust policy it cannot
// parse admits nobody.
func RoleOf(r Resource) Role {
	role := Role{Resource: r, TrustPolicy: r.String("assumeRolePolicy")}
	var p struct {
		Statement []struct {
			Action    any
			Principal map[string]any
			Condition map[string]map[string]any
		}
	}
	if json.Unmarshal([]byte(role.TrustPolicy), &p) != nil {
		return role
	}
	for _, s := range p.Statement {
		for _, a := range StringList(s.Action) {
			role.WebIdentity = role.WebIdentity || a == "sts:AssumeRoleWithWebIdentity"
		}
		for _, svc := range StringList(s.Principal["Service"]) {
			role.Services = append(role.Services, strings.TrimSuffix(svc, ".amazonaws.com"))
		}
		for _, cond := range s.Condition {
			for key, v := range cond {
				if !strings.HasSuffix(key, ":sub") {
					continue
				}
				for _, sub := range StringList(v) {
					if sa, ok := strings.CutPrefix(sub, serviceAccountPrefix); ok {
						role.ServiceAccounts = append(role.ServiceAccounts, strings.Replace(sa, ":", "/", 1))
					}
				}
			}
		}
	}
	sort.Strings(role.ServiceAccounts)
	sort.Strings(role.Services)
	return role
}

// Roles are the graph's IAM roles, in URN order.
func (g *Graph) Roles() []Role { return viewAll(g, typetoken.Role, RoleOf) }
