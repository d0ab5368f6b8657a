// Package drill runs a disaster-recovery drill against a deployed stack:
// it restores the MLflow database's latest automated backup point in time
// into a temporary, tagged RDS instance placed like the source (same DB
// subnet group, security groups and parameter group), waits for it,
// connects as MLflow does (IAM database authentication) and reads MLflow's
// tables, reports the recovery time, and deletes that instance — never
// another. It also restores one artifact from a previous S3 object version
// into a scratch key, compares checksums, and deletes the scratch copy.
package drill

import (
	"errors"
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/verify"
)

// ArtifactBucket is the logical name of MLflow's artifact bucket in the
// graph.
const ArtifactBucket = "artifacts"

// Target is what the drill restores, read off the evaluated graph.
type Target struct {
	// DBInstance is the source RDS instance's identifier; Database the
	// database MLflow uses in it.
	DBInstance, Database string
	// BackupRetention is the declared automated backup retention, in days.
	BackupRetention int
	// IAMAuth says the source declares IAM database authentication.
	IAMAuth bool
	// Bucket is the artifact bucket's name, or empty with BucketPrefix
	// (the program lets Pulumi name it).
	Bucket, BucketPrefix string
	// Versioning says the artifact bucket declares versioning.
	Versioning bool
}

// TargetOf reads the drill's target off an evaluated graph (e, verify's
// reading of it, gives the database and buckets).
func TargetOf(g *plan.Graph, e *verify.Expected) (Target, error) {
	if len(e.Databases) != 1 {
		return Target{}, fmt.Errorf("the graph declares %d RDS instances, want 1", len(e.Databases))
	}
	d := e.Databases[0]
	t := Target{DBInstance: d.ID, BackupRetention: d.BackupRetention}
	for _, db := range g.Databases() {
		if db.Identifier == d.ID {
			t.Database, t.IAMAuth = db.DBName, db.IAMAuth
		}
	}
	found := false
	for _, b := range e.Buckets {
		if b.Logical == ArtifactBucket {
			t.Bucket, t.BucketPrefix, t.Versioning, found = b.Name, b.Prefix, b.Versioning, true
		}
	}
	if !found {
		return Target{}, fmt.Errorf("the graph declares no bucket %q", ArtifactBucket)
	}
	return t, nil
}

// Preconditions returns why the declared settings cannot make the drill
// succeed, naming each configuration key, or nil.
func (t Target) Preconditions() error {
	var errs []error
	if t.BackupRetention <= 0 {
		errs = append(errs, fmt.Errorf("database.backupRetentionDays is %d: RDS keeps no automated backups to restore", t.BackupRetention))
	}
	if !t.Versioning {
		errs = append(errs, errors.New("artifacts.versioning is off: the artifact bucket keeps no previous object versions"))
	}
	if !t.IAMAuth {
		errs = append(errs, errors.New("the database does not enable IAM database authentication, which the drill connects with"))
	}
	if t.Database == "" {
		errs = append(errs, errors.New("the database declares no dbName to check"))
	}
	return errors.Join(errs...)
}
