package drill_test

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/drill"
	"github.com/mlops-platform/mlops-platform/internal/drill/drilltest"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
)

const (
	source = "prod-mlflow"
	bucket = "prod-artifacts-20261129"
	tempID = "prod-mlflow-drill-20261129000000"
)

type fixture struct {
	srv *awsfake.Server
	c   drill.Clients
	t   drill.Target
	o   drill.Options
}

// database is what a restore's address holds.
type database int

const (
	noDatabase    database = iota // no PostgreSQL (the test never connects)
	mlflowTables                  // MLflow's tables
	emptyDatabase                 // database mlflow, no tables
)

// newFixture deploys a production instance and artifact bucket on the
// local endpoint; restores answer a PostgreSQL holding db after two
// status reads.
func newFixture(t *testing.T, db database) *fixture {
	t.Helper()
	srv := awsfake.New()
	t.Cleanup(srv.Close)
	cfg := srv.Config(awsclient.Options{Backoff: &awsfake.Backoffs{}, AttemptTimeout: 2 * time.Second})
	srv.PutDBInstance(awsfake.DBInstance{ID: source, MultiAZ: true, BackupRetention: 7, DeletionProtection: true, StorageEncrypted: true})
	c := drill.Clients{RDS: rds.NewFromConfig(cfg), S3: awsclient.S3(cfg)}
	ctx := context.Background()
	if _, err := c.S3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.S3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}); err != nil {
		t.Fatal(err)
	}
	dir, port := "/nonexistent", 5432
	if db != noDatabase {
		dir, port = drilltest.MLflowDB(t, db == mlflowTables)
	}
	drilltest.Prepare(t, srv, source, bucket, dir, port, 2)
	return &fixture{srv: srv, c: c,
		t: drill.Target{DBInstance: source, Database: "mlflow", BackupRetention: 7, IAMAuth: true, BucketPrefix: "prod-artifacts-", Versioning: true},
		o: drill.Options{Stack: "prod", Region: awsfake.Region, TempID: tempID, User: "mlflow", Wait: 20 * time.Second, Poll: time.Millisecond,
			Cleanup: 20 * time.Second, ScratchPrefix: "dr-drill/20261129000000/", Now: time.Now,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			DB: drill.IAMPostgres{AWS: cfg.Credentials, Identity: "arn:aws:iam::111122223333:user/tester",
				RootCAs: func(context.Context) (*x509.CertPool, error) { return nil, errors.New("no TLS to a Unix socket") }}}}
}

func (f *fixture) run(t *testing.T) *drill.Report {
	t.Helper()
	r, err := drill.Run(context.Background(), f.c, f.t, f.o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func steps(r *drill.Report) map[string]drill.Step {
	m := map[string]drill.Step{}
	for _, s := range r.Steps {
		m[s.Step] = s
	}
	return m
}

// param returns a request parameter of the first call of op.
func (f *fixture) params(op string) url.Values {
	for _, c := range f.srv.Requests() {
		if c.Op == op {
			v, _ := url.ParseQuery(strings.TrimSpace(c.Params))
			return v
		}
	}
	return nil
}

// assertSourceUntouched: the production instance exists as deployed and
// no request but a read named it as the instance to act on.
func (f *fixture) assertSourceUntouched(t *testing.T) {
	t.Helper()
	db := f.srv.DBInstance(source)
	if db == nil || db.Status != "" || !db.DeletionProtection || !db.MultiAZ {
		t.Errorf("production instance changed: %+v", db)
	}
	for _, c := range f.srv.Requests() {
		v, _ := url.ParseQuery(strings.TrimSpace(c.Params))
		if c.Op != "DescribeDBInstances" && strings.EqualFold(v.Get("DBInstanceIdentifier"), source) {
			t.Errorf("%s named the production instance: %s", c.Op, c.Params)
		}
	}
}

func TestDrillRestoresChecksAndDeletes(t *testing.T) {
	f := newFixture(t, mlflowTables)
	r := f.run(t)
	if err := r.Err(); err != nil {
		t.Fatalf("drill failed: %v\n%+v", err, r.Steps)
	}
	s := steps(r)
	for _, name := range []string{"source", "restore", "available", "connect", "mlflow tables", "delete", "artifact restore", "artifact checksum", "scratch delete"} {
		if s[name].Status != drill.StatusOK {
			t.Errorf("step %s: %+v", name, s[name])
		}
	}
	if !strings.Contains(s["mlflow tables"].Detail, "alembic revision 0584bdc529eb") || !strings.Contains(s["mlflow tables"].Detail, "2 experiments, 1 runs") {
		t.Errorf("tables step %q", s["mlflow tables"].Detail)
	}
	if r.RecoveryTime == "" || !strings.Contains(r.Credentials, "IAM database authentication token for database user mlflow") {
		t.Errorf("recovery time %q, credentials %q", r.RecoveryTime, r.Credentials)
	}
	in := f.params("RestoreDBInstanceToPointInTime")
	for k, want := range map[string]string{
		"SourceDBInstanceIdentifier": source, "TargetDBInstanceIdentifier": tempID, "UseLatestRestorableTime": "true",
		"DBSubnetGroupName": drilltest.SubnetGroup, "VpcSecurityGroupIds.VpcSecurityGroupId.1": drilltest.SecurityGroup,
		"DBParameterGroupName": drilltest.ParameterGroup, "EnableIAMDatabaseAuthentication": "true", "MultiAZ": "false",
		"DeletionProtection": "false", "Tags.Tag.1.Key": drill.DrillTag, "Tags.Tag.1.Value": tempID,
	} {
		if got := in.Get(k); got != want {
			t.Errorf("restore %s = %q, want %q", k, got, want)
		}
	}
	del := f.params("DeleteDBInstance")
	if del.Get("DBInstanceIdentifier") != tempID || del.Get("SkipFinalSnapshot") != "true" || f.srv.Calls("DeleteDBInstance") != 1 {
		t.Errorf("deletion %v (%d calls)", del, f.srv.Calls("DeleteDBInstance"))
	}
	if !strings.Contains(s["artifact restore"].Detail, drilltest.PreviousKey+" previous (non-current) version") {
		t.Errorf("artifact step %q", s["artifact restore"].Detail)
	}
	if v := f.srv.ObjectVersions(bucket, f.o.ScratchPrefix+drilltest.PreviousKey); len(v) != 0 {
		t.Errorf("scratch copy left: %v", v)
	}
	if len(f.srv.ObjectVersions(bucket, drilltest.PreviousKey)) != 2 {
		t.Error("the artifact's versions changed")
	}
	f.assertSourceUntouched(t)
}

func TestDrillRefusesTheSourceAsTemporaryInstance(t *testing.T) {
	f := newFixture(t, noDatabase)
	before := len(f.srv.Requests())
	for _, id := range []string{source, strings.ToUpper(source), ""} {
		f.o.TempID = id
		if _, err := drill.Run(context.Background(), f.c, f.t, f.o); err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("temporary identifier %q: %v, want a refusal", id, err)
		}
	}
	if n := len(f.srv.Requests()) - before; n != 0 {
		t.Errorf("%d requests before the refusal: %v", n, f.srv.Log()[before:])
	}
}

// TestDrillLeavesInstancesItDidNotCreate: an instance that already has the
// temporary identifier, untagged or tagged for another drill, is never
// deleted.
func TestDrillLeavesInstancesItDidNotCreate(t *testing.T) {
	for name, tags := range map[string]map[string]string{
		"untagged":          nil,
		"another drill":     {drill.DrillTag: "prod-mlflow-drill-20261128000000"},
		"tag of the source": {drill.SourceTag: source},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, noDatabase)
			f.srv.PutDBInstance(awsfake.DBInstance{ID: tempID, Tags: tags})
			r := f.run(t)
			s := steps(r)
			if s["restore"].Status != drill.StatusFailed || !strings.Contains(s["restore"].Detail, "DBInstanceAlreadyExists") {
				t.Errorf("restore %+v", s["restore"])
			}
			if s["delete"].Status != drill.StatusSkipped || !strings.Contains(s["delete"].Detail, "left alone") {
				t.Errorf("delete %+v", s["delete"])
			}
			if f.srv.Calls("DeleteDBInstance") != 0 || f.srv.DBInstance(tempID) == nil {
				t.Error("the drill deleted an instance it did not create")
			}
			f.assertSourceUntouched(t)
		})
	}
}

func TestDrillWaitsOutThrottling(t *testing.T) {
	f := newFixture(t, mlflowTables)
	f.srv.Fail("RestoreDBInstanceToPointInTime", awsfake.Throttling, 3)
	r := f.run(t)
	if err := r.Err(); err != nil || f.srv.Calls("RestoreDBInstanceToPointInTime") != 4 {
		t.Errorf("%v after %d restore calls", err, f.srv.Calls("RestoreDBInstanceToPointInTime"))
	}
}

// TestDrillDeletesARestoreThatNeverBecomesAvailable: the wait times out,
// and the instance is deleted anyway, and the report says so.
func TestDrillDeletesARestoreThatNeverBecomesAvailable(t *testing.T) {
	f := newFixture(t, noDatabase)
	f.srv.SetRestore(awsfake.Restore{Polls: -1})
	f.o.Wait, f.o.Poll = 300*time.Millisecond, 20*time.Millisecond
	r := f.run(t)
	s := steps(r)
	if s["available"].Status != drill.StatusFailed || !strings.Contains(s["available"].Detail, "context deadline exceeded") {
		t.Errorf("available %+v", s["available"])
	}
	if s["delete"].Status != drill.StatusOK || f.srv.Calls("DeleteDBInstance") != 1 || r.RecoveryTime != "" {
		t.Errorf("delete %+v, recovery time %q", s["delete"], r.RecoveryTime)
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "not available after") {
		t.Errorf("error %v", err)
	}
	f.assertSourceUntouched(t)
}

// TestDrillReportsAFailedDeletion names the instance left behind and the
// command that deletes it.
func TestDrillReportsAFailedDeletion(t *testing.T) {
	f := newFixture(t, mlflowTables)
	f.srv.Fail("DeleteDBInstance", awsfake.ServiceUnavailable, awsclient.MaxAttempts)
	r := f.run(t)
	want := "rds instance " + tempID + "; delete it with: aws rds delete-db-instance --region eu-west-1 --db-instance-identifier " + tempID + " --skip-final-snapshot --delete-automated-backups"
	if len(r.LeftBehind) != 1 || r.LeftBehind[0] != want {
		t.Errorf("left behind %q, want %q", r.LeftBehind, want)
	}
	err := r.Err()
	if err == nil || !strings.Contains(err.Error(), "instance "+tempID+" was NOT deleted") || !strings.Contains(err.Error(), "LEFT BEHIND: "+want) {
		t.Errorf("error %v", err)
	}
	if f.srv.DBInstance(tempID) == nil {
		t.Error("the instance is gone though its deletion failed")
	}
}

func TestDrillFailsWithoutMLflowTables(t *testing.T) {
	f := newFixture(t, emptyDatabase)
	r := f.run(t)
	s := steps(r)
	if s["connect"].Status != drill.StatusOK || s["mlflow tables"].Status != drill.StatusFailed ||
		!strings.Contains(s["mlflow tables"].Detail, "missing alembic_version,experiments,runs,metrics,params,tags") {
		t.Errorf("steps %+v", r.Steps)
	}
	if s["delete"].Status != drill.StatusOK {
		t.Errorf("delete %+v", s["delete"])
	}
}

func TestDrillFailsWithoutVersioning(t *testing.T) {
	f := newFixture(t, mlflowTables)
	if _, err := f.c.S3.PutBucketVersioning(context.Background(), &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusSuspended}}); err != nil {
		t.Fatal(err)
	}
	s := steps(f.run(t))
	if s["artifact versioning"].Status != drill.StatusFailed || !strings.Contains(s["artifact versioning"].Detail, `versioning is "Suspended"`) {
		t.Errorf("versioning step %+v", s["artifact versioning"])
	}
}

func TestTempIDFitsRDS(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 30, 0, 0, time.UTC)
	if got := drill.TempID("mlops-platform-prod-mlflow", now); got != "mlops-platform-prod-mlflow-drill-20261129083000" {
		t.Errorf("TempID %q", got)
	}
	long := strings.Repeat("a", 40) + "-" + strings.Repeat("b", 30)
	if got := drill.TempID(long, now); len(got) > 63 || strings.Contains(got, "--") {
		t.Errorf("TempID of a long identifier %q (%d characters)", got, len(got))
	}
}
