// Package drilltest prepares what a disaster-recovery drill reads: on the
// local AWS endpoint, a production instance placed and backed up as the
// program deploys it and an artifact bucket with a previous object
// version; and a throwaway PostgreSQL holding MLflow's tables, which the
// endpoint gives as the restored instance's address.
package drilltest

import (
	_ "embed" // the schema
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/testing/pgtest"
)

// MLflowSchema creates MLflow's core tables, as the mlflow role.
//
//go:embed mlflow_schema.sql
var MLflowSchema string

// Placement of the production instance on the endpoint.
const (
	SubnetGroup    = "mlflow-subnets-0a1b2c"
	SecurityGroup  = "sg-0db0000000000001"
	ParameterGroup = "mlflow-params-0a1b2c"
)

// Restorable is the production instance's latest restorable time.
var Restorable = time.Date(2026, 11, 28, 23, 55, 0, 0, time.UTC)

// Artifact keys: PreviousKey has a non-current version (PreviousBody),
// OnlyKey one version.
const (
	PreviousKey = "1/6f1c2f0b9d0e4d2c8b7a1e3f5a9c0d11/artifacts/model/MLmodel"
	OnlyKey     = "1/6f1c2f0b9d0e4d2c8b7a1e3f5a9c0d11/artifacts/metrics.json"
)

// PreviousBody is PreviousKey's previous version.
var PreviousBody = []byte("artifact_path: model\nflavors:\n  sklearn: {sklearn_version: 1.5.2}\n")

// MLflowDB starts a PostgreSQL whose database mlflow holds MLflow's
// tables (withSchema false: an empty database) and returns its socket
// directory and port. Only the roles postgres and mlflow may connect.
func MLflowDB(t *testing.T, withSchema bool) (string, int) {
	t.Helper()
	pg := pgtest.Start(t, "local all postgres trust\nlocal mlflow mlflow trust\nlocal all all reject\n")
	admin := pgtest.Session{User: "postgres", DB: "postgres"}
	pg.Must(t, admin, "CREATE ROLE mlflow LOGIN")
	pg.Must(t, admin, "CREATE DATABASE mlflow OWNER mlflow")
	if withSchema {
		pg.Must(t, pgtest.Session{User: "mlflow", DB: "mlflow"}, MLflowSchema)
	}
	return pg.Socket()
}

// Prepare places the instance id as the program deploys it (subnet
// group, security group, parameter group, IAM authentication, database
// mlflow, restorable backups), makes restores answer the PostgreSQL at
// dir:port after polls status reads, and stores two versions of
// PreviousKey and one of OnlyKey in bucket, whose versioning must be on.
func Prepare(t *testing.T, srv *awsfake.Server, id, bucket, dir string, port, polls int) {
	t.Helper()
	srv.EditDBInstance(id, func(d *awsfake.DBInstance) {
		d.Class, d.Engine, d.EngineVersion = "db.m6g.large", "postgres", "17.6"
		d.SubnetGroup, d.SecurityGroups, d.ParameterGroup = SubnetGroup, []string{SecurityGroup}, ParameterGroup
		d.IAMAuth, d.DBName, d.MasterUsername, d.LatestRestorableTime = true, "mlflow", "mlflow_admin", Restorable
		d.Address, d.Port = id+".c0ffee.eu-west-1.rds.amazonaws.com", 5432
	})
	srv.SetRestore(awsfake.Restore{Polls: polls, Address: dir, Port: port})
	day := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	srv.PutObject(bucket, PreviousKey, PreviousBody, day)
	srv.PutObject(bucket, PreviousKey, []byte("artifact_path: model\nflavors:\n  sklearn: {sklearn_version: 1.6.1}\n"), day.Add(24*time.Hour))
	srv.PutObject(bucket, OnlyKey, []byte(`{"auc": 0.91}`), day)
	if len(srv.ObjectVersions(bucket, PreviousKey)) != 2 {
		t.Fatalf("bucket %s keeps no previous versions: is its versioning on?", bucket)
	}
}
