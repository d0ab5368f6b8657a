package drill

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/smithy-go"
)

// MLflowTables are tables every MLflow tracking database holds: Alembic's
// revision table and the tracking tables of MLflow's first migration.
var MLflowTables = []string{"alembic_version", "experiments", "runs", "metrics", "params", "tags"}

// dbDrill restores the database into the temporary instance, checks it
// and deletes it.
type dbDrill struct {
	c *rds.Client
	t Target
	o Options
	r *Report
}

func (d *dbDrill) run(ctx context.Context) {
	src, err := d.describe(ctx, d.t.DBInstance)
	if err != nil {
		d.r.failed("source", "reading rds instance %s: %v", d.t.DBInstance, err)
		return
	}
	if aws.ToInt32(src.BackupRetentionPeriod) == 0 || src.LatestRestorableTime == nil {
		d.r.failed("source", "rds instance %s keeps no automated backups (retention %d days): nothing to restore",
			d.t.DBInstance, aws.ToInt32(src.BackupRetentionPeriod))
		return
	}
	in := d.restoreInput(src)
	d.r.ok("source", "rds instance %s: automated backups kept %d days, latest restorable time %s",
		d.t.DBInstance, aws.ToInt32(src.BackupRetentionPeriod), aws.ToTime(src.LatestRestorableTime).UTC().Format(time.RFC3339))
	defer d.cleanup(ctx)

	waitCtx, cancel := context.WithTimeout(ctx, d.o.Wait)
	defer cancel()
	start := d.o.Now()
	d.o.Log.Info("restoring the latest restorable time", "source", d.t.DBInstance, "instance", d.o.TempID)
	if _, err := d.c.RestoreDBInstanceToPointInTime(waitCtx, in); err != nil && !d.ours(waitCtx, err) {
		d.r.failed("restore", "restoring %s into %s: %v", d.t.DBInstance, d.o.TempID, err)
		return
	}
	d.r.ok("restore", "%s from the latest restorable time into subnet group %s, security groups %s, parameter group %s, IAM authentication on, single-AZ, no backups",
		d.o.TempID, aws.ToString(in.DBSubnetGroupName), strings.Join(in.VpcSecurityGroupIds, ","), orNone(aws.ToString(in.DBParameterGroupName)))
	inst, reads, err := d.waitAvailable(waitCtx, start)
	if err != nil {
		d.o.Log.Warn("restored instance not available", "instance", d.o.TempID, "status reads", reads, "err", err)
		d.r.failed("available", "%s not available after %s: %v", d.o.TempID, round(d.o.Now().Sub(start)), err)
		return
	}
	d.r.ok("available", "%s available after %s (%d status reads)", d.o.TempID, round(d.o.Now().Sub(start)), reads)
	ep := Endpoint{Host: aws.ToString(inst.Endpoint.Address), Port: int(aws.ToInt32(inst.Endpoint.Port)),
		Database: d.t.Database, User: d.o.User, Region: d.o.Region}
	stop, ok := d.forward(waitCtx, &ep)
	if !ok {
		return
	}
	defer stop()
	got, err := d.connect(waitCtx, ep)
	if err != nil {
		d.r.failed("connect", "%s@%s/%s refused connections for %s: %v", ep.User, d.o.TempID, ep.Database, round(d.o.Now().Sub(start)), err)
		return
	}
	d.r.RecoveryTime = round(d.o.Now().Sub(start))
	d.r.ok("connect", "%s@%s/%s accepted a connection %s after the restore request", ep.User, d.o.TempID, ep.Database, d.r.RecoveryTime)
	if missing := missingTables(got.Tables); len(missing) > 0 || got.Revision == "" {
		d.r.failed("mlflow tables", "missing %s (alembic revision %q); found %s", orNone(strings.Join(missing, ",")), got.Revision, orNone(strings.Join(got.Tables, ",")))
		return
	}
	d.r.ok("mlflow tables", "alembic revision %s, %d tables, %d experiments, %d runs", got.Revision, len(got.Tables), got.Experiments, got.Runs)
}

// restoreInput places the copy like the source: its subnet group,
// security groups and parameter group (SSL forced), with IAM database
// authentication (off by default on a restore), no Multi-AZ standby, no
// backups of its own, no deletion protection, and the drill's tags.
func (d *dbDrill) restoreInput(src *rdstypes.DBInstance) *rds.RestoreDBInstanceToPointInTimeInput {
	in := &rds.RestoreDBInstanceToPointInTimeInput{
		SourceDBInstanceIdentifier: aws.String(d.t.DBInstance), TargetDBInstanceIdentifier: aws.String(d.o.TempID),
		UseLatestRestorableTime: aws.Bool(true), DBInstanceClass: src.DBInstanceClass,
		EnableIAMDatabaseAuthentication: aws.Bool(true), MultiAZ: aws.Bool(false), PubliclyAccessible: aws.Bool(false),
		DeletionProtection: aws.Bool(false), BackupRetentionPeriod: aws.Int32(0), AutoMinorVersionUpgrade: aws.Bool(false),
		Tags: []rdstypes.Tag{{Key: aws.String(DrillTag), Value: aws.String(d.o.TempID)}, {Key: aws.String(SourceTag), Value: aws.String(d.t.DBInstance)}},
	}
	if g := src.DBSubnetGroup; g != nil {
		in.DBSubnetGroupName = g.DBSubnetGroupName
	}
	for _, sg := range src.VpcSecurityGroups {
		in.VpcSecurityGroupIds = append(in.VpcSecurityGroupIds, aws.ToString(sg.VpcSecurityGroupId))
	}
	if len(src.DBParameterGroups) > 0 {
		in.DBParameterGroupName = src.DBParameterGroups[0].DBParameterGroupName
	}
	return in
}

// ours says whether a restore that failed as DBInstanceAlreadyExists
// found this drill's own instance (an attempt whose answer was lost and
// that the SDK retried).
func (d *dbDrill) ours(ctx context.Context, err error) bool {
	if !isCode(err, "DBInstanceAlreadyExists") {
		return false
	}
	inst, err := d.describe(ctx, d.o.TempID)
	return err == nil && notCreatedByDrill(inst, d.t.DBInstance, d.o.TempID) == ""
}

// waitAvailable reads the instance every Poll until it is available with
// an endpoint, logging each status change.
func (d *dbDrill) waitAvailable(ctx context.Context, start time.Time) (*rdstypes.DBInstance, int, error) {
	last, reads := "", 0
	for {
		inst, err := d.describe(ctx, d.o.TempID)
		reads++
		if err != nil && ctx.Err() != nil {
			return nil, reads, ctx.Err()
		}
		if err != nil {
			return nil, reads, err
		}
		status := aws.ToString(inst.DBInstanceStatus)
		if status != last {
			d.o.Log.Info("restored instance", "instance", d.o.TempID, "status", status, "elapsed", round(d.o.Now().Sub(start)))
			last = status
		}
		if status == "available" && inst.Endpoint != nil {
			return inst, reads, nil
		}
		if status == "failed" || status == "incompatible-restore" || status == "incompatible-parameters" {
			return nil, reads, fmt.Errorf("status %s", status)
		}
		if err := sleep(ctx, d.o.Poll); err != nil {
			return nil, reads, err
		}
	}
}

// connect retries the check until the instance accepts a connection (its
// DNS name may lag its status).
func (d *dbDrill) connect(ctx context.Context, ep Endpoint) (Contents, error) {
	for {
		got, err := d.o.DB.Check(ctx, ep)
		if err == nil {
			return got, nil
		}
		d.o.Log.Info("connection refused; retrying", "instance", d.o.TempID, "err", err)
		if serr := sleep(ctx, d.o.Poll); serr != nil {
			return Contents{}, fmt.Errorf("%w (last: %v)", serr, err)
		}
	}
}

// cleanup deletes the temporary instance — only when it is not the
// source and carries this drill's tag — even after a timeout.
func (d *dbDrill) cleanup(ctx context.Context) {
	ctx, cancel := cleanupContext(ctx, d.o.Cleanup)
	defer cancel()
	id := d.o.TempID
	inst, err := d.describe(ctx, id)
	switch {
	case isCode(err, "DBInstanceNotFound"):
		d.r.skipped("delete", "no instance %s exists: the restore created none", id)
		return
	case err != nil:
		d.r.failed("delete", "reading %s before deleting it: %v", id, err)
		d.leftBehind(id)
		return
	}
	if why := notCreatedByDrill(inst, d.t.DBInstance, id); why != "" {
		d.r.skipped("delete", "instance %s left alone: %s", aws.ToString(inst.DBInstanceIdentifier), why)
		return
	}
	d.o.Log.Info("deleting the restored instance", "instance", id)
	if _, err := d.c.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(id),
		SkipFinalSnapshot: aws.Bool(true), DeleteAutomatedBackups: aws.Bool(true)}); err != nil {
		d.r.failed("delete", "instance %s was NOT deleted: %v", id, err)
		d.leftBehind(id)
		return
	}
	d.r.ok("delete", "instance %s is being deleted (no final snapshot, no retained backups)", id)
}

func (d *dbDrill) leftBehind(id string) {
	d.r.LeftBehind = append(d.r.LeftBehind, fmt.Sprintf("rds instance %s; delete it with: aws rds delete-db-instance --region %s --db-instance-identifier %s --skip-final-snapshot --delete-automated-backups",
		id, d.o.Region, id))
}

// notCreatedByDrill says why inst is not the drill's own instance id, or
// "" when it is: not the source, identifier id, tagged DrillTag=id.
func notCreatedByDrill(inst *rdstypes.DBInstance, source, id string) string {
	got := aws.ToString(inst.DBInstanceIdentifier)
	if strings.EqualFold(got, source) {
		return "it is the production instance"
	}
	if !strings.EqualFold(got, id) {
		return "its identifier is not " + id
	}
	if !slices.ContainsFunc(inst.TagList, func(t rdstypes.Tag) bool {
		return aws.ToString(t.Key) == DrillTag && strings.EqualFold(aws.ToString(t.Value), id)
	}) {
		return "it does not carry the tag " + DrillTag + "=" + id + ", so this drill did not create it"
	}
	return ""
}

func (d *dbDrill) describe(ctx context.Context, id string) (*rdstypes.DBInstance, error) {
	out, err := d.c.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(id)})
	if err != nil {
		return nil, err
	}
	if len(out.DBInstances) != 1 {
		return nil, fmt.Errorf("DescribeDBInstances %s answered %d instances", id, len(out.DBInstances))
	}
	return &out.DBInstances[0], nil
}

func missingTables(have []string) []string {
	var out []string
	for _, t := range MLflowTables {
		if !slices.Contains(have, t) {
			out = append(out, t)
		}
	}
	return out
}

func isCode(err error, code string) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == code
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
