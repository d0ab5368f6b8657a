// Package identity declares the IRSA roles of the platform. Each role trusts
// the cluster's OIDC provider for exactly one service account and the STS
// audience, and carries only the permissions its workload needs.
package identity

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/boundary"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/database"
	"github.com/mlops-platform/mlops-platform/internal/sdk/aws/iam"
)

// Args configures the roles.
type Args struct {
	ClusterName string
	Region      string
	AccountID   string
	Partition   string
	// PermissionsBoundary is the ARN of the stack's permissions boundary
	// (internal/boundary), which every role declared here carries.
	PermissionsBoundary string
	// OidcProviderArn and OidcIssuer (without scheme) identify the cluster's issuer.
	OidcProviderArn pulumi.StringInput
	OidcIssuer      pulumi.StringInput
	// ArtifactBucketArn is the MLflow artifact bucket.
	ArtifactBucketArn pulumi.StringInput
	// DataKeyArn encrypts the bucket and EBS volumes (and the database
	// secret).
	DataKeyArn pulumi.StringInput
	// DatabaseResourceID is the RDS instance's DbiResourceId: MLflow may
	// connect to it as database.MLflowUser with IAM tokens.
	DatabaseResourceID pulumi.StringInput
	// DatabaseSecretArn is the RDS-managed master secret, which only the
	// database setup Job reads.
	DatabaseSecretArn pulumi.StringInput
	// AlertTopicArn, when set, is the SNS topic Alertmanager publishes
	// to; AlertTopicKeyArn, when set, encrypts it.
	AlertTopicArn, AlertTopicKeyArn pulumi.StringInput
}

// Roles is the identity component. Each field is the ARN of one IRSA role.
type Roles struct {
	pulumi.ResourceState

	MLflow pulumi.StringOutput
	// MLflowDBSetup runs the Job that creates MLflow's database role as
	// the master user: it alone reads the master secret.
	MLflowDBSetup          pulumi.StringOutput
	KServe                 pulumi.StringOutput
	LoadBalancerController pulumi.StringOutput
	EBSCSI                 pulumi.StringOutput
	ClusterAutoscaler      pulumi.StringOutput
	CloudWatchAgent        pulumi.StringOutput
	// VpcCni is the VPC CNI's own role (AmazonEKS_CNI_Policy), so the node
	// role needs no ENI permissions.
	VpcCni pulumi.StringOutput
	// Alertmanager publishes to the alert topic (empty without one).
	Alertmanager pulumi.StringOutput
}

// roleSpec is one IRSA role: whom it trusts and what it may do.
type roleSpec struct {
	suffix   string
	account  ServiceAccount
	managed  []string // AWS managed policy names
	inline   func(v []string) iampolicy.Document
	inputs   []pulumi.StringInput
	describe string
	// awaitPolicy makes the role's ARN output wait for its inline policy,
	// so a workload given the ARN never starts without its permissions.
	awaitPolicy bool
}

// NewRoles declares every IRSA role.
func NewRoles(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Roles, error) {
	r := &Roles{}
	if err := ctx.RegisterComponentResource("mlops:identity:Roles", name, r, opts...); err != nil {
		return nil, err
	}
	specs := []struct {
		spec roleSpec
		out  *pulumi.StringOutput
	}{
		{roleSpec{suffix: "mlflow", account: MLflowServiceAccount, describe: "MLflow tracking server: artifact bucket read/write, database as " + database.MLflowUser,
			inline: func(v []string) iampolicy.Document { return mlflowPolicy(args, v[0], v[1], v[2]) }, awaitPolicy: true,
			inputs: []pulumi.StringInput{args.ArtifactBucketArn, args.DataKeyArn, args.DatabaseResourceID}}, &r.MLflow},
		{roleSpec{suffix: "mlflow-db-setup", account: MLflowDBSetupServiceAccount, describe: "MLflow database setup Job: reads the master secret",
			inline: func(v []string) iampolicy.Document { return masterSecretPolicy(args, v[0], v[1]) }, awaitPolicy: true,
			inputs: []pulumi.StringInput{args.DatabaseSecretArn, args.DataKeyArn}}, &r.MLflowDBSetup},
		{roleSpec{suffix: "kserve", account: KServeServiceAccount, describe: "KServe model storage initializer: artifact bucket read-only",
			inline: func(v []string) iampolicy.Document { return bucketPolicy(args, v[0], v[1], false) },
			inputs: []pulumi.StringInput{args.ArtifactBucketArn, args.DataKeyArn}}, &r.KServe},
		{roleSpec{suffix: "aws-load-balancer-controller", account: LoadBalancerControllerAccount, describe: "AWS Load Balancer Controller",
			inline: func([]string) iampolicy.Document { return loadBalancerControllerPolicy(args) }}, &r.LoadBalancerController},
		{roleSpec{suffix: "ebs-csi", account: EBSCSIControllerServiceAccount, describe: "EBS CSI driver controller",
			managed: []string{"service-role/AmazonEBSCSIDriverPolicy"},
			inline:  func(v []string) iampolicy.Document { return ebsKeyPolicy(args, v[0]) },
			inputs:  []pulumi.StringInput{args.DataKeyArn}}, &r.EBSCSI},
		{roleSpec{suffix: "cluster-autoscaler", account: ClusterAutoscalerServiceAccount, describe: "cluster autoscaler, this cluster's node groups only",
			inline: func([]string) iampolicy.Document { return autoscalerPolicy(args) }}, &r.ClusterAutoscaler},
		{roleSpec{suffix: "cloudwatch-agent", account: CloudWatchAgentServiceAccount, describe: "CloudWatch agent and Fluent Bit (Container Insights)",
			managed: []string{"CloudWatchAgentServerPolicy"}}, &r.CloudWatchAgent},
		{roleSpec{suffix: "vpc-cni", account: VpcCniServiceAccount, describe: "VPC CNI: pod networking (ENIs and IPs)",
			managed: []string{"AmazonEKS_CNI_Policy"}}, &r.VpcCni},
	}
	r.Alertmanager = pulumi.String("").ToStringOutput()
	if args.AlertTopicArn != nil {
		keyArn := args.AlertTopicKeyArn
		if keyArn == nil {
			keyArn = pulumi.String("")
		}
		specs = append(specs, struct {
			spec roleSpec
			out  *pulumi.StringOutput
		}{roleSpec{suffix: "alertmanager", account: AlertmanagerServiceAccount, describe: "Alertmanager: sns:Publish on the alert topic only",
			inline: func(v []string) iampolicy.Document { return alertPolicy(args, v[0], v[1]) }, awaitPolicy: true,
			inputs: []pulumi.StringInput{args.AlertTopicArn, keyArn}}, &r.Alertmanager})
	}
	for _, s := range specs {
		arn, err := declareRole(ctx, name, args, s.spec, pulumi.Parent(r))
		if err != nil {
			return nil, err
		}
		*s.out = arn
	}
	return r, ctx.RegisterResourceOutputs(r, pulumi.Map{
		"mlflow": r.MLflow, "mlflowDbSetup": r.MLflowDBSetup, "kserve": r.KServe, "loadBalancerController": r.LoadBalancerController,
		"ebsCsi": r.EBSCSI, "clusterAutoscaler": r.ClusterAutoscaler, "cloudwatchAgent": r.CloudWatchAgent,
		"vpcCni": r.VpcCni, "alertmanager": r.Alertmanager,
	})
}

// declareRole declares one IRSA role and its policies, and returns its ARN
// (once its inline policy exists when s.awaitPolicy).
func declareRole(ctx *pulumi.Context, name string, args *Args, s roleSpec, child pulumi.ResourceOption) (pulumi.StringOutput, error) {
	var none pulumi.StringOutput
	roleName := name + "-" + s.suffix
	trust := iampolicy.Render(func(v []string) iampolicy.Document {
		return Trust(v[0], v[1], s.account)
	}, args.OidcProviderArn, args.OidcIssuer)
	role, err := boundary.NewRole(ctx, roleName, args.PermissionsBoundary, &iam.RoleArgs{
		Description:      pulumi.Sprintf("IRSA for %s in %s: %s", s.account.Subject(), args.ClusterName, s.describe),
		AssumeRolePolicy: trust,
	}, child)
	if err != nil {
		return none, fmt.Errorf("declaring IRSA role %s: %w", roleName, err)
	}
	var attached []any
	for _, p := range s.managed {
		att, err := iam.NewRolePolicyAttachment(ctx, roleName+"-"+lastSegment(p), &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/%s", args.Partition, p),
		}, child)
		if err != nil {
			return none, fmt.Errorf("attaching %s to %s: %w", p, roleName, err)
		}
		attached = append(attached, att.ID())
	}
	if s.inline == nil {
		// A role with only managed policies is handed out once they are
		// attached (review N13), as one with an inline policy awaits it.
		return awaiting(role.Arn, attached), nil
	}
	pol, err := iam.NewRolePolicy(ctx, roleName, &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: iampolicy.Render(s.inline, s.inputs...),
	}, child)
	if err != nil {
		return none, fmt.Errorf("declaring policy of %s: %w", roleName, err)
	}
	if !s.awaitPolicy {
		return awaiting(role.Arn, attached), nil
	}
	return awaiting(role.Arn, append(attached, pol.ID())), nil
}

// Trust is the assume-role policy of an IRSA role: the cluster's OIDC
// provider, for exactly one service account and the STS audience.
func Trust(providerArn, issuer string, sa ServiceAccount) iampolicy.Document {
	return iampolicy.New(iampolicy.Statement{
		Effect:    "Allow",
		Principal: map[string]any{"Federated": providerArn},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: map[string]map[string]any{"StringEquals": {
			issuer + ":sub": sa.Subject(),
			issuer + ":aud": "sts.amazonaws.com",
		}},
	})
}

func lastSegment(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

// awaiting is arn once every output in after is known: a consumer of the
// ARN then waits for those resources too.
func awaiting(arn pulumi.StringOutput, after []any) pulumi.StringOutput {
	if len(after) == 0 {
		return arn
	}
	return pulumi.All(append([]any{arn}, after...)...).ApplyT(func(v []any) string {
		s, _ := v[0].(string)
		return s
	}).(pulumi.StringOutput)
}
