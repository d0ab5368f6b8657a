package awsrules

import (
	"fmt"
	"net"
	"strings"
	"sync"
)

// ec2Text is the character set EC2 accepts in security-group names and
// descriptions and in security-group rule descriptions (EC2-VPC).
const ec2Text = `[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]`

// rdsName is 'letters, numbers or hyphens; first a letter; no trailing
// hyphen and no two consecutive hyphens'.
const rdsName = `[a-zA-Z](?:-?[a-zA-Z0-9])*`

// documented are the rules AWS states in prose (documentation, or the
// model's own documentation strings) but no model trait encodes.
func documented() []Rule {
	return []Rule{
		{ID: "ec2.security-group.description", Min: 1, Max: 255, Pattern: whole(ec2Text + `*`), Bad: "the cluster's nodes",
			Source: "EC2 API Reference, CreateSecurityGroup, GroupDescription: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*; up to 255 characters"},
		{ID: "ec2.security-group-rule.description", Max: 255, Pattern: whole(ec2Text + `*`), Bad: "nodes' traffic",
			Source: "EC2 API Reference, IpRange / SecurityGroupRuleRequest, Description: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*; up to 255 characters"},
		{ID: "ec2.security-group.name", Min: 1, Max: 255, Pattern: whole(ec2Text + `+`), Extra: notPrefixed("sg-"), Bad: "sg-database",
			Source: "EC2 API Reference, CreateSecurityGroup, GroupName: up to 255 characters of the description's set; cannot start with sg-"},
		{ID: "ec2.launch-template.name", Min: 3, Max: 128, Pattern: whole(`[a-zA-Z0-9().\-/_]+`), Bad: "nodes general",
			Source: "EC2 API Reference, CreateLaunchTemplate, LaunchTemplateName: 3-128 characters, pattern [a-zA-Z0-9\\(\\)\\.\\-/_]+"},
		{ID: "ec2.launch-template.description", Max: 255, Bad: strings.Repeat("x", 256),
			Source: "EC2 API Reference, CreateLaunchTemplate, VersionDescription: up to 255 characters"},
		{ID: "tag.key", Min: 1, Max: 128, Extra: notPrefixed("aws:"), Bad: "aws:cost-center",
			Source: "Tagging AWS Resources (and EC2 User Guide, Tag restrictions): key 1-128 Unicode characters; the aws: prefix is reserved"},
		{ID: "tag.value", Max: 256, Bad: strings.Repeat("v", 257),
			Source: "Tagging AWS Resources (and EC2 User Guide, Tag restrictions): value 0-256 Unicode characters"},
		{ID: "rds.instance.identifier", Min: 1, Max: 63, Pattern: whole(rdsName), Bad: "mlflow--db",
			Source: "model documentation: com.amazonaws.rds#CreateDBInstanceMessage DBInstanceIdentifier (1-63 letters, numbers, hyphens; first a letter; no trailing or double hyphen)"},
		{ID: "rds.snapshot.identifier", Min: 1, Max: 255, Pattern: whole(rdsName), Bad: "mlflow-final-",
			Source: "model documentation: com.amazonaws.rds#DeleteDBInstanceMessage FinalDBSnapshotIdentifier (1-255; first a letter; no trailing or double hyphen; hyphens allowed as separators)"},
		{ID: "rds.parameter-group.name", Min: 1, Max: 255, Pattern: whole(rdsName), Bad: "1params",
			Source: "model documentation: com.amazonaws.rds#CreateDBParameterGroupMessage DBParameterGroupName (1-255 letters, numbers, hyphens; first a letter; no trailing or double hyphen)"},
		{ID: "rds.subnet-group.name", Min: 1, Max: 255, Pattern: whole(`[a-zA-Z][a-zA-Z0-9._ \-]*`), Extra: notDefault, Bad: "default",
			Source: "model documentation: com.amazonaws.rds#CreateDBSubnetGroupMessage DBSubnetGroupName (up to 255 letters, numbers, periods, underscores, spaces, hyphens; first a letter; not default)"},
		{ID: "sns.topic.name", Min: 1, Max: 256, Pattern: whole(`[A-Za-z0-9_-]+(?:\.fifo)?`), Bad: "alerts.prod",
			Source: "model documentation: com.amazonaws.sns#CreateTopicInput Name (ASCII letters, numbers, underscores, hyphens, 1-256; .fifo suffix for FIFO topics)"},
		{ID: "s3.bucket.name", Min: 3, Max: 63, Pattern: whole(`[a-z0-9][a-z0-9.-]*[a-z0-9]`), Extra: bucketExtra, Bad: "MLflow-artifacts",
			Source: "S3 User Guide, General purpose bucket naming rules (via model: com.amazonaws.s3#CreateBucketRequest Bucket)"},
	}
}

// modelRules are the rules the vendored Smithy models encode, with the
// prose additions their documentation states.
var modelRules = []struct {
	id, file, shape, bad string
	extra                func(string) error
}{
	{"iam.role.name", "iam.json", "com.amazonaws.iam#roleNameType", "mlflow role", nil},
	{"iam.instance-profile.name", "iam.json", "com.amazonaws.iam#instanceProfileNameType", "bastion/profile", nil},
	{"iam.policy.name", "iam.json", "com.amazonaws.iam#policyNameType", "inline policy", nil},
	{"iam.path", "iam.json", "com.amazonaws.iam#pathType", "/mlops", nil},
	{"iam.role.description", "iam.json", "com.amazonaws.iam#roleDescriptionType", "role \u2014 for MLflow", nil},
	{"iam.tag.key", "iam.json", "com.amazonaws.iam#tagKeyType", "cost#center", nil},
	{"iam.tag.value", "iam.json", "com.amazonaws.iam#tagValueType", "ml&platform", nil},
	{"kms.alias.name", "kms.json", "com.amazonaws.kms#AliasNameType", "alias/aws/mlops", aliasExtra},
	{"kms.key.description", "kms.json", "com.amazonaws.kms#DescriptionType", strings.Repeat("d", 8193), nil},
	{"logs.log-group.name", "cloudwatch-logs.json", "com.amazonaws.cloudwatchlogs#LogGroupName", "/aws/eks/mlops platform", nil},
	{"eks.cluster.name", "eks.json", "com.amazonaws.eks#ClusterName", "-mlops", nil},
	{"acm.certificate.arn", "acm.json", "com.amazonaws.acm#Arn", "arn:aws:acm:eu-west-1:acct:certificate/x", nil},
}

var (
	loadOnce sync.Once
	loaded   map[string]Rule
	loadErr  error
)

// Rules returns every rule by ID: those read from the models and the
// documented catalogue.
func Rules() (map[string]Rule, error) {
	loadOnce.Do(func() {
		loaded = map[string]Rule{}
		for _, m := range modelRules {
			r, err := fromModel(m.file, m.shape)
			if err != nil {
				loadErr = err
				return
			}
			r.ID, r.Bad, r.Extra = m.id, m.bad, m.extra
			if m.extra != nil {
				r.Source += " and its documentation"
			}
			loaded[r.ID] = r
		}
		for _, r := range documented() {
			loaded[r.ID] = r
		}
	})
	return loaded, loadErr
}

// aliasExtra is CreateAlias's documented prefix rule: "must begin with
// alias/ ... cannot begin with alias/aws/".
func aliasExtra(v string) error {
	if !strings.HasPrefix(v, "alias/") || len(v) == len("alias/") {
		return fmt.Errorf("must begin with alias/ followed by a name")
	}
	return notPrefixed("alias/aws/")(v)
}

func notDefault(v string) error {
	if strings.EqualFold(v, "default") {
		return fmt.Errorf("is reserved")
	}
	return nil
}

// bucketExtra holds the naming rules a pattern does not express.
func bucketExtra(v string) error {
	if strings.Contains(v, "..") {
		return fmt.Errorf("must not contain two adjacent periods")
	}
	if net.ParseIP(v) != nil {
		return fmt.Errorf("must not be formatted as an IP address")
	}
	return all(notPrefixed("xn--", "sthree-", "amzn-s3-demo-"),
		notSuffixed("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"))(v)
}
