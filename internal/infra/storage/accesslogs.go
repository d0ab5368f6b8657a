package storage

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/s3"
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
	Policy *s3.BucketPolicy
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
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		Bucket:       pulumi.String(args.BucketName),
		ForceDestroy: pulumi.Bool(args.ForceDestroy),
	}, child, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, fmt.Errorf("declaring access-log bucket: %w", err)
	}
	a.BucketArn = bucket.Arn
	pab, err := lockDown(ctx, name, bucket, child)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, child); err != nil {
		return nil, fmt.Errorf("declaring access-log bucket encryption: %w", err)
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:                             pulumi.String("expire-logs"),
			Status:                         pulumi.String("Enabled"),
			Filter:                         s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration:                     s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(args.ExpirationDays)},
			AbortIncompleteMultipartUpload: abortUploads(),
		}},
	}, child); err != nil {
		return nil, fmt.Errorf("declaring access-log lifecycle: %w", err)
	}
	a.Policy, err = s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: iampolicy.Render(func(v []string) iampolicy.Document { return accessLogsPolicy(args, v[0]) }, bucket.Arn),
	}, child, pulumi.DependsOn([]pulumi.Resource{pab}))
	if err != nil {
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
func lockDown(ctx *pulumi.Context, name string, bucket *s3.BucketV2, child pulumi.ResourceOption) (*s3.BucketPublicAccessBlock, error) {
	pab, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child)
	if err != nil {
		return nil, fmt.Errorf("declaring public access block of %s: %w", name, err)
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, child); err != nil {
		return nil, fmt.Errorf("declaring ownership controls of %s: %w", name, err)
	}
	return pab, nil
}
