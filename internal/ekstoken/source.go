package ekstoken

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"golang.org/x/oauth2"
)

// TokenSource signs a new token whenever the last one is within a minute
// of Lifetime, for Go clients of the cluster (client-go's
// transport.TokenSourceWrapTransport) that outlive one token.
func TokenSource(ctx context.Context, cfg aws.Config, cluster string) oauth2.TokenSource {
	return oauth2.ReuseTokenSource(nil, source{ctx: ctx, cfg: cfg, cluster: cluster})
}

type source struct {
	ctx     context.Context
	cfg     aws.Config
	cluster string
}

func (s source) Token() (*oauth2.Token, error) {
	now := time.Now()
	t, err := Generate(s.ctx, s.cfg, s.cluster, now)
	if err != nil {
		return nil, err
	}
	return &oauth2.Token{AccessToken: t.Token, TokenType: "Bearer", Expiry: t.Expiration}, nil
}
