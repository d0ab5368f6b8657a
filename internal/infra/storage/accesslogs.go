package storage

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/provider"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// ALBLogsPrefix is the key prefix the ALBs write their access logs under.
// The bucket policy admits log delivery below it and the load balancer
// attributes (platform.LoadBalancerAttributes) name it: both read this one
// value, since ELB refuses to enable logging where the policy does not
// admit it ("Access Denied for bucket").
const ALBLogsPrefix = "alb"

// ELBLogDeliveryService is the principal that delivers ALB access logs in
// regions opened in or after August 2022.
const ELBLogDeliveryService = "logdelivery.elasticloadbalancing.amazonaws.com"

// ELBAccountIDs are the Elastic Load Balancing accounts that deliver ALB
// access logs in the regions available before August 2022, from the table
// of the Elastic Load Balancing User Guide, "Enable access logs for your
// Application Load Balancer", step 2 "Attach a policy to your S3 bucket"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
// The two GovCloud accounts are from the same guide's GovCloud note, as
// the Terraform AWS provider's aws_elb_service_account also lists them.
// Newer regions use ELBLogDeliveryService.
var ELBAccountIDs = map[string]string{
	"us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980", "us-west-2": "797873946194",
	"af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-southeast-3": "589379963580", "ap-south-1": "718504428378",
	"ap-northeast-3": "383597477331", "ap-northeast-2": "600734575887", "ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266", "ap-northeast-1": "582318560864", "ca-central-1": "985666609251",
	"eu-central-1": "054676820928", "eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-south-1": "635631232127",
	"eu-west-3": "009996457667", "eu-north-1": "897822967062", "me-south-1": "076674570225", "sa-east-1": "507241528517",
	"us-gov-west-1": "048591011584", "us-gov-east-1": "190560391635",
}

// ELBLogDeliveryPrincipal is the bucket-policy principal that delivers ALB
// access logs in region: the log delivery service everywhere, and the
// regional ELB account's root where AWS's table lists one.
func ELBLogDeliveryPrincipal(region, partition string) map[string]any {
	p := map[string]any{"Service": ELBLogDeliveryService}
	if acct, ok := ELBAccountIDs[region]; ok {
		p["AWS"] = fmt.Sprintf("arn:%s:iam::%s:root", partition, acct)
	}
	return p
}

// AccessLogsArgs configures the access-log bucket.
type AccessLogsArgs struct {
	// BucketName is the bucket's full name (see AccessLogsBucketName).
	BucketName string
	Region     string
	AccountID  string
	Partition  string
	// ExpirationDays deletes log objects after this many days.
	ExpirationDays int
	ForceDestroy   bool
	Protect        bool
}

// AccessLogs is the bucket that receives ALB access logs and the S3 server
// access logs of the artifact bucket. ELB delivers only to SSE-S3 buckets.
type AccessLogs struct {
	pulumi.ResourceState

	BucketName string
	BucketArn  pulumi.StringOutput
	// Policy must exist before anything delivers logs.
	Policy *provider.Resource
}

// AccessLogsBucketName derives a deterministic, valid bucket name.
func AccessLogsBucketName(cluster, accountID string) string {
	const suffix = "-access-logs-"
	p := strings.ToLower(strings.ReplaceAll(cluster, "_", "-"))
	if max := 63 - len(suffix) - len(accountID); len(p) > max {
		p = strings.TrimRight(p[:max], "-")
	}
	return p + suffix + accountID
}

// NewAccessLogs declares the log bucket.
func NewAccessLogs(ctx *pulumi.Context, name string, args *AccessLogsArgs, opts ...pulumi.ResourceOption) (*AccessLogs, error) {
	a := &AccessLogs{BucketName: args.BucketName}
	if err := ctx.RegisterComponentResource("mlops:storage:AccessLogs", name, a, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(a)
	bucket := &bucketV2{}
	err := provider.AWS(ctx, typetoken.Bucket, name, pulumi.Map{
		"bucket":       pulumi.String(args.BucketName),
		"forceDestroy": pulumi.Bool(args.ForceDestroy),
	}, bucket, child, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, fmt.Errorf("declaring access-log bucket: %w", err)
	}
	a.BucketArn = bucket.Arn
	pab, err := lockDown(ctx, name, bucket, child)
	if err != nil {
		return nil, err
	}
	if err := provider.AWS(ctx, typetoken.BucketEncryption, name+"-encryption", pulumi.Map{
		"bucket": bucket.ID(),
		"rules": pulumi.Array{pulumi.Map{
			"applyServerSideEncryptionByDefault": pulumi.Map{
				"sseAlgorithm": pulumi.String("AES256"),
			},
		}},
	}, &provider.Resource{}, child); err != nil {
		return nil, fmt.Errorf("declaring access-log bucket encryption: %w", err)
	}
	if err := provider.AWS(ctx, typetoken.BucketLifecycle, name+"-lifecycle", pulumi.Map{
		"bucket": bucket.ID(),
		"rules": pulumi.Array{pulumi.Map{
			"id":         pulumi.String("expire-logs"),
			"status":     pulumi.String("Enabled"),
			"filter":     pulumi.Map{"prefix": pulumi.String("")},
			"expiration": pulumi.Map{"days": pulumi.Int(args.ExpirationDays)},
			"abortIncompleteMultipartUpload": pulumi.Map{
				"daysAfterInitiation": pulumi.Int(AbortIncompleteUploadsDays),
			},
		}},
	}, &provider.Resource{}, child); err != nil {
		return nil, fmt.Errorf("declaring access-log lifecycle: %w", err)
	}
	a.Policy = &provider.Resource{}
	if err := provider.AWS(ctx, typetoken.BucketPolicy, name+"-policy", pulumi.Map{
		"bucket": bucket.ID(),
		"policy": iampolicy.Render(func(v []string) iampolicy.Document { return accessLogsPolicy(args, v[0]) }, bucket.Arn),
	}, a.Policy, child, pulumi.DependsOn([]pulumi.Resource{pab})); err != nil {
		return nil, fmt.Errorf("declaring access-log bucket policy: %w", err)
	}
	return a, ctx.RegisterResourceOutputs(a, pulumi.Map{"bucketName": pulumi.String(a.BucketName), "bucketArn": a.BucketArn})
}

// accessLogsPolicy admits ELB and S3 log delivery for this account only,
// and denies plain HTTP.
func accessLogsPolicy(args *AccessLogsArgs, bucketArn string) iampolicy.Document {
	elbLogs := fmt.Sprintf("%s/%s/AWSLogs/%s/*", bucketArn, ALBLogsPrefix, args.AccountID)
	stmts := []iampolicy.Statement{{
		Sid: "ELBLogDelivery", Effect: "Allow", Principal: ELBLogDeliveryPrincipal(args.Region, args.Partition),
		Action: []string{"s3:PutObject"}, Resource: []string{elbLogs},
	}}
	stmts = append(stmts, iampolicy.Statement{
		Sid: "S3ServerAccessLogs", Effect: "Allow",
		Principal: map[string]any{"Service": "logging.s3.amazonaws.com"},
		Action:    []string{"s3:PutObject"}, Resource: []string{bucketArn + "/s3/*"},
		Condition: map[string]map[string]any{"StringEquals": {"aws:SourceAccount": args.AccountID}},
	})
	stmts = append(stmts, TLSOnlyPolicy(bucketArn).Statement...)
	return iampolicy.New(stmts...)
}

// lockDown blocks public access and enforces bucket ownership (no ACLs).
func lockDown(ctx *pulumi.Context, name string, bucket *bucketV2, child pulumi.ResourceOption) (*provider.Resource, error) {
	pab := &provider.Resource{}
	err := provider.AWS(ctx, typetoken.BucketPublicAccessBlock, name+"-public-access", pulumi.Map{
		"bucket":                bucket.ID(),
		"blockPublicAcls":       pulumi.Bool(true),
		"blockPublicPolicy":     pulumi.Bool(true),
		"ignorePublicAcls":      pulumi.Bool(true),
		"restrictPublicBuckets": pulumi.Bool(true),
	}, pab, child)
	if err != nil {
		return nil, fmt.Errorf("declaring public access block of %s: %w", name, err)
	}
	if err := provider.AWS(ctx, typetoken.BucketOwnershipControls, name+"-ownership", pulumi.Map{
		"bucket": bucket.ID(),
		"rule":   pulumi.Map{"objectOwnership": pulumi.String("BucketOwnerEnforced")},
	}, &provider.Resource{}, child); err != nil {
		return nil, fmt.Errorf("declaring ownership controls of %s: %w", name, err)
	}
	return pab, nil
}

// bucketV2 is an aws:s3/bucketV2:BucketV2, its name and ARN.
type bucketV2 struct {
	pulumi.CustomResourceState
	Bucket pulumi.StringOutput `pulumi:"bucket"`
	Arn    pulumi.StringOutput `pulumi:"arn"`
}
