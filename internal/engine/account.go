package engine

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlops-platform/mlops-platform/internal/awsaccount"
)

// The offline engine's account is internal/awsaccount's, the fixture the
// fake AWS provider plugin answers from too; anything else is not found,
// as in a real account that lacks it.
const (
	// DeployerRole is the role the deploy runs as (an assumed-role
	// session of it is the caller).
	DeployerRole = awsaccount.DeployerRole
	// CertificateArn is an ACM certificate of the fake account.
	CertificateArn = awsaccount.CertificateArn
	// SecurityGroupID is a VPN endpoint's security group in the fake account.
	SecurityGroupID = awsaccount.SecurityGroupID
	// AmiID answers the public SSM parameters of Amazon Linux AMIs.
	AmiID = awsaccount.AmiID
)

// callAccount answers the invokes that read the account; ok is false for
// tokens it does not handle.
func (r *recorder) callAccount(args pulumi.MockCallArgs) (resource.PropertyMap, bool, error) {
	out, ok, err := awsaccount.Answer(args.Token, args.Args.Mappable(), awsaccount.Options{Fresh: r.freshAccount})
	if !ok || err != nil {
		return nil, ok, err
	}
	return resource.NewPropertyMapFromMap(out), true, nil
}
