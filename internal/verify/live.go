package verify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
)

// Clients are the read-only AWS clients verify uses.
type Clients struct {
	EKS         *eks.Client
	RDS         *rds.Client
	AutoScaling *autoscaling.Client
	Logs        *cloudwatchlogs.Client
	S3          *s3.Client
	STS         *sts.Client
}

// NewClients builds the clients from cfg (awsclient.Load).
func NewClients(cfg aws.Config) Clients {
	return Clients{EKS: eks.NewFromConfig(cfg), RDS: rds.NewFromConfig(cfg), AutoScaling: autoscaling.NewFromConfig(cfg),
		Logs: cloudwatchlogs.NewFromConfig(cfg), S3: awsclient.S3(cfg), STS: sts.NewFromConfig(cfg)}
}

// Account returns the live account's ID (STS GetCallerIdentity).
func (c Clients) Account(ctx context.Context) (string, error) {
	out, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("reading the account ID: %w", err)
	}
	return aws.ToString(out.Account), nil
}

// Run reads the live account and checks each expectation. A failed read
// is an ERROR check, not the end of the run: every guarantee is reported.
func Run(ctx context.Context, c Clients, stack string, e *Expected, log *slog.Logger) *Report {
	r := &Report{Stack: stack}
	v := &run{ctx: ctx, c: c, r: r, log: log}
	v.cluster(e)
	v.nodeGroups(e)
	for _, a := range e.Addons {
		v.addon(e.Cluster.Name, a)
	}
	for _, d := range e.Databases {
		v.database(d)
	}
	for _, b := range e.Buckets {
		v.bucket(b)
	}
	v.logGroups(e.LogGroups)
	return r
}

type run struct {
	ctx context.Context
	c   Clients
	r   *Report
	log *slog.Logger
}

// notFound reports whether err is one of the services' not-found codes.
func notFound(err error) bool {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return false
	}
	switch api.ErrorCode() {
	case "ResourceNotFoundException", "DBInstanceNotFound", "NoSuchBucket", "NotFound":
		return true
	}
	return false
}

// read logs a read and records its failure; it reports whether to go on.
func (v *run) read(resource string, err error) bool {
	switch {
	case err == nil:
		v.log.Debug("read", "resource", resource)
		return true
	case notFound(err):
		v.log.Warn("declared resource not found", "resource", resource)
		v.r.missing(resource)
	default:
		v.log.Error("read failed", "resource", resource, "err", err)
		v.r.fail(resource, "read", err)
	}
	return false
}

func (v *run) cluster(e *Expected) {
	w := e.Cluster
	res := "eks cluster " + w.Name
	out, err := v.c.EKS.DescribeCluster(v.ctx, &eks.DescribeClusterInput{Name: aws.String(w.Name)})
	if !v.read(res, err) {
		return
	}
	cl := out.Cluster
	v.r.add(res, "kubernetes version", w.Version, aws.ToString(cl.Version))
	var private, public bool
	if vc := cl.ResourcesVpcConfig; vc != nil {
		private, public = vc.EndpointPrivateAccess, vc.EndpointPublicAccess
	}
	v.r.add(res, "endpoint private access", w.PrivateEndpoint, private)
	v.r.add(res, "endpoint public access", w.PublicEndpoint, public)
	key := ""
	for _, ec := range cl.EncryptionConfig {
		if ec.Provider != nil && aws.ToString(ec.Provider.KeyArn) != "" {
			key = "KMS key"
		}
	}
	if w.SecretsKey {
		v.r.add(res, "secrets encryption", "KMS key", key)
	}
	var enabled []string
	if cl.Logging != nil {
		for _, ls := range cl.Logging.ClusterLogging {
			if aws.ToBool(ls.Enabled) {
				for _, t := range ls.Types {
					enabled = append(enabled, string(t))
				}
			}
		}
	}
	var have []string
	for _, t := range w.LogTypes {
		if slices.Contains(enabled, t) {
			have = append(have, t)
		}
	}
	v.r.add(res, "control-plane logs", w.LogTypes, have)
}

func (v *run) nodeGroups(e *Expected) {
	var live []string
	p := eks.NewListNodegroupsPaginator(v.c.EKS, &eks.ListNodegroupsInput{ClusterName: aws.String(e.Cluster.Name)})
	for p.HasMorePages() {
		out, err := p.NextPage(v.ctx)
		if !v.read("eks cluster "+e.Cluster.Name+" node groups", err) {
			return
		}
		live = append(live, out.Nodegroups...)
	}
	for _, w := range e.NodeGroups {
		found := false
		for _, name := range live {
			if strings.HasPrefix(name, w.Prefix) {
				found = true
				v.nodeGroup(e.Cluster.Name, name, w)
			}
		}
		if !found {
			v.r.missing("node group " + label(w.Prefix))
		}
	}
}

func (v *run) nodeGroup(cluster, name string, w NodeGroupWant) {
	res := "node group " + name
	out, err := v.c.EKS.DescribeNodegroup(v.ctx, &eks.DescribeNodegroupInput{ClusterName: aws.String(cluster), NodegroupName: aws.String(name)})
	if !v.read(res, err) {
		return
	}
	ng := out.Nodegroup
	v.r.add(res, "kubernetes version", w.Version, aws.ToString(ng.Version))
	if sc := ng.ScalingConfig; sc != nil {
		v.r.add(res, "min/max size", fmt.Sprintf("%d/%d", w.Min, w.Max), fmt.Sprintf("%d/%d", aws.ToInt32(sc.MinSize), aws.ToInt32(sc.MaxSize)))
	}
	var asgs []string
	if ng.Resources != nil {
		for _, g := range ng.Resources.AutoScalingGroups {
			asgs = append(asgs, aws.ToString(g.Name))
		}
	}
	if len(asgs) == 0 {
		v.r.add(res, "availability zones", w.Zones, []string(nil))
		return
	}
	groups, err := v.c.AutoScaling.DescribeAutoScalingGroups(v.ctx, &autoscaling.DescribeAutoScalingGroupsInput{AutoScalingGroupNames: asgs})
	if !v.read(res+" auto scaling group", err) {
		return
	}
	var zones []string
	for _, g := range groups.AutoScalingGroups {
		for _, z := range g.AvailabilityZones {
			if !slices.Contains(zones, z) {
				zones = append(zones, z)
			}
		}
	}
	slices.Sort(zones)
	v.r.add(res, "availability zones", w.Zones, zones)
}

func (v *run) addon(cluster string, w AddonWant) {
	res := "eks add-on " + w.Name
	out, err := v.c.EKS.DescribeAddon(v.ctx, &eks.DescribeAddonInput{ClusterName: aws.String(cluster), AddonName: aws.String(w.Name)})
	if !v.read(res, err) {
		return
	}
	v.r.add(res, "version", w.Version, aws.ToString(out.Addon.AddonVersion))
	check := "status"
	if w.Name == ContainerInsightsAddon {
		check = "Container Insights status"
	}
	v.r.add(res, check, "ACTIVE", string(out.Addon.Status))
}

func (v *run) database(w DatabaseWant) {
	res := "rds instance " + w.ID
	out, err := v.c.RDS.DescribeDBInstances(v.ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String(w.ID)})
	if !v.read(res, err) {
		return
	}
	if len(out.DBInstances) == 0 {
		v.r.missing(res)
		return
	}
	db := out.DBInstances[0]
	v.r.add(res, "multi-AZ", w.MultiAZ, aws.ToBool(db.MultiAZ))
	v.r.add(res, "backup retention days", w.BackupRetention, aws.ToInt32(db.BackupRetentionPeriod))
	v.r.add(res, "deletion protection", w.DeletionProtection, aws.ToBool(db.DeletionProtection))
	v.r.add(res, "storage encrypted", w.StorageEncrypted, aws.ToBool(db.StorageEncrypted))
	if w.KMSKey {
		v.r.add(res, "storage KMS key", "KMS key", orNone(aws.ToString(db.KmsKeyId), "KMS key"))
	}
}

func (v *run) logGroups(ws []LogGroupWant) {
	for _, w := range ws {
		res := "log group " + w.Name
		out, err := v.c.Logs.DescribeLogGroups(v.ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(w.Name)})
		if !v.read(res, err) {
			continue
		}
		i := slices.IndexFunc(out.LogGroups, func(g logstypes.LogGroup) bool { return aws.ToString(g.LogGroupName) == w.Name })
		if i < 0 {
			v.r.missing(res)
			continue
		}
		g := out.LogGroups[i]
		v.r.add(res, "retention days", retention(w.RetentionDays), retention(int(aws.ToInt32(g.RetentionInDays))))
		if w.KMSKey {
			v.r.add(res, "KMS key", "KMS key", orNone(aws.ToString(g.KmsKeyId), "KMS key"))
		}
	}
}

func retention(days int) string {
	if days == 0 {
		return "never expire"
	}
	return strconv.Itoa(days)
}

// orNone is as when s is set, else empty.
func orNone(s, as string) string {
	if s == "" {
		return ""
	}
	return as
}
