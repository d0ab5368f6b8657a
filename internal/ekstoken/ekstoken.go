// Package ekstoken produces the bearer token Amazon EKS accepts from IAM
// principals, without the aws CLI: a presigned STS GetCallerIdentity URL
// that names the cluster in the signed x-k8s-aws-id header, base64url
// encoded behind the "k8s-aws-v1." prefix. The API server's authenticator
// replays the URL against STS to learn who the caller is; the signature
// binds the token to the cluster. The approach is the one
// aws-iam-authenticator documents; this is an independent implementation
// on the AWS SDK for Go v2.
package ekstoken

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

const (
	// Prefix starts every EKS token.
	Prefix = "k8s-aws-v1."
	// ClusterHeader is the signed header that names the cluster.
	ClusterHeader = "x-k8s-aws-id"
	// PresignSeconds is the presigned URL's X-Amz-Expires. EKS accepts the
	// token for 15 minutes from its signing time regardless.
	PresignSeconds = 60
	// Lifetime is how long a client may reuse a token: EKS's 15 minutes,
	// less a minute of clock skew.
	Lifetime = 14 * time.Minute
)

// Options select the credentials a token is signed with.
type Options struct {
	Cluster string
	Region  string
	// Profile is a shared-config profile; empty uses the default chain.
	Profile string
	// RoleArn, when set, is assumed first (the deployer's role).
	RoleArn string
	// ExternalID is sent with the AssumeRole of RoleArn, for a trust
	// policy with an sts:ExternalId condition (aws.assumeRoleExternalId).
	ExternalID string
	// SessionName names the assumed-role session; the SDK picks one when
	// empty.
	SessionName string
}

// Token is one EKS bearer token.
type Token struct {
	Token      string
	Expiration time.Time
}

// LoadConfig resolves the AWS configuration opts name.
func LoadConfig(ctx context.Context, opts Options) (aws.Config, error) {
	var load []func(*config.LoadOptions) error
	load = append(load, config.WithRegion(opts.Region))
	if opts.Profile != "" {
		load = append(load, config.WithSharedConfigProfile(opts.Profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration (profile %q): %w", opts.Profile, err)
	}
	if opts.RoleArn != "" {
		cfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), opts.RoleArn,
			func(o *stscreds.AssumeRoleOptions) {
				if opts.ExternalID != "" {
					o.ExternalID = aws.String(opts.ExternalID)
				}
				if opts.SessionName != "" {
					o.RoleSessionName = opts.SessionName
				}
			}))
	}
	return cfg, nil
}

// Generate signs a token for cluster with cfg's credentials at now: the
// signature's date and the token's expiry both come from the caller, never
// from the wall clock. It makes no network call except to obtain
// credentials (none with static ones).
func Generate(ctx context.Context, cfg aws.Config, cluster string, now time.Time) (Token, error) {
	if cluster == "" {
		return Token{}, fmt.Errorf("generating EKS token: no cluster name")
	}
	presign := sts.NewPresignClient(sts.NewFromConfig(cfg))
	req, err := presign.PresignGetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.PresignOptions) {
		o.Presigner = signedAt{signer: v4.NewSigner(), at: now}
		o.ClientOptions = append(o.ClientOptions, func(so *sts.Options) {
			so.APIOptions = append(so.APIOptions, smithyhttp.AddHeaderValue(ClusterHeader, cluster), addExpires)
		})
	})
	if err != nil {
		return Token{}, fmt.Errorf("presigning GetCallerIdentity for cluster %s: %w", cluster, err)
	}
	return Token{
		Token:      Prefix + base64.RawURLEncoding.EncodeToString([]byte(req.URL)),
		Expiration: now.Add(Lifetime),
	}, nil
}

// signedAt is SigV4's presigner with the signing time fixed: the SDK's
// presign middleware passes its own clock, which signedAt replaces.
type signedAt struct {
	signer *v4.Signer
	at     time.Time
}

// PresignHTTP implements sts.HTTPPresignerV4.
func (s signedAt) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, _ time.Time, optFns ...func(*v4.SignerOptions)) (string, http.Header, error) {
	return s.signer.PresignHTTP(ctx, creds, r, payloadHash, service, region, s.at, optFns...)
}

// addExpires puts X-Amz-Expires in the query before the request is
// presigned, so the signature covers it.
func addExpires(stack *middleware.Stack) error {
	return stack.Build.Add(middleware.BuildMiddlewareFunc("ekstokenExpires",
		func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok {
				q := req.URL.Query()
				q.Set("X-Amz-Expires", fmt.Sprint(PresignSeconds))
				req.URL.RawQuery = q.Encode()
			}
			return next.HandleBuild(ctx, in)
		}), middleware.After)
}

// ExecCredential renders t as the client.authentication.k8s.io/v1beta1
// ExecCredential a kubeconfig exec plugin prints.
func ExecCredential(t Token) ([]byte, error) {
	out, err := json.Marshal(map[string]any{
		"kind":       "ExecCredential",
		"apiVersion": "client.authentication.k8s.io/v1beta1",
		"spec":       map[string]any{},
		"status": map[string]any{
			"token":               t.Token,
			"expirationTimestamp": t.Expiration.UTC().Format(time.RFC3339),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("rendering ExecCredential: %w", err)
	}
	return out, nil
}
