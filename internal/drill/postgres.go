package drill

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/rds/auth"
	"github.com/jackc/pgx/v5"
)

// Endpoint is where the restored database listens and whom to connect as.
type Endpoint struct {
	// Host is a DNS name, or a Unix socket directory (a path).
	Host           string
	Port           int
	Database, User string
	Region         string
	// Dial, when set, is the address to connect to instead of Host:Port:
	// a local port the bastion forwards to the instance. The token is
	// still signed for Host:Port and TLS still verifies Host.
	Dial string
}

// Contents is what the check read from the database.
type Contents struct {
	// Revision is alembic_version's version_num: MLflow's schema revision.
	Revision string
	// Tables are the tables of the connecting role's schema.
	Tables            []string
	Experiments, Runs int64
}

// Checker connects to a restored database and reads MLflow's tables.
type Checker interface {
	Check(ctx context.Context, ep Endpoint) (Contents, error)
	// Credentials says, without a secret, how Check authenticates as user.
	Credentials(user string) string
}

// IAMPostgres connects as MLflow does: an IAM database authentication
// token (a local SigV4 signature, valid 15 minutes) as the password, over
// TLS verified against the RDS CA bundle. It reads no password anywhere.
type IAMPostgres struct {
	AWS aws.CredentialsProvider
	// Identity is the caller the token is signed as (STS), for the report.
	Identity string
	// RootCAs returns the CA bundle that signs RDS's certificates.
	RootCAs func(ctx context.Context) (*x509.CertPool, error)
}

// Credentials implements Checker.
func (p IAMPostgres) Credentials(user string) string {
	return fmt.Sprintf("IAM database authentication token for database user %s, signed as %s (no password read)", user, p.Identity)
}

// Check implements Checker.
func (p IAMPostgres) Check(ctx context.Context, ep Endpoint) (Contents, error) {
	token, err := auth.BuildAuthToken(ctx, ep.Host+":"+strconv.Itoa(ep.Port), ep.Region, ep.User, p.AWS)
	if err != nil {
		return Contents{}, fmt.Errorf("signing an IAM database authentication token: %w", err)
	}
	host, port := ep.Host, strconv.Itoa(ep.Port)
	if ep.Dial != "" {
		if host, port, err = net.SplitHostPort(ep.Dial); err != nil {
			return Contents{}, fmt.Errorf("forwarded address %q: %w", ep.Dial, err)
		}
	}
	cfg, err := pgx.ParseConfig(fmt.Sprintf("host=%s port=%s dbname=%s user=%s sslmode=disable connect_timeout=15",
		quote(host), port, quote(ep.Database), quote(ep.User)))
	if err != nil {
		return Contents{}, fmt.Errorf("connection settings: %w", err)
	}
	cfg.Password = token
	// A Unix socket (a test's PostgreSQL) has no TLS; RDS forces it, and
	// IAM authentication requires it.
	if !strings.HasPrefix(ep.Host, "/") {
		pool, err := p.RootCAs(ctx)
		if err != nil {
			return Contents{}, err
		}
		cfg.TLSConfig = &tls.Config{RootCAs: pool, ServerName: ep.Host, MinVersion: tls.VersionTLS12}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return Contents{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return readContents(ctx, conn)
}

// readContents lists the role's tables and reads MLflow's revision and
// row counts from those present.
func readContents(ctx context.Context, conn *pgx.Conn) (Contents, error) {
	var c Contents
	rows, err := conn.Query(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name")
	if err != nil {
		return c, fmt.Errorf("listing tables: %w", err)
	}
	if c.Tables, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return c, fmt.Errorf("listing tables: %w", err)
	}
	for _, q := range []struct {
		table, sql string
		into       any
	}{
		{"alembic_version", "SELECT version_num FROM alembic_version LIMIT 1", &c.Revision},
		{"experiments", "SELECT count(*) FROM experiments", &c.Experiments},
		{"runs", "SELECT count(*) FROM runs", &c.Runs},
	} {
		if !slices.Contains(c.Tables, q.table) {
			continue
		}
		if err := conn.QueryRow(ctx, q.sql).Scan(q.into); err != nil && err != pgx.ErrNoRows {
			return c, fmt.Errorf("reading %s: %w", q.table, err)
		}
	}
	return c, nil
}

// quote quotes a libpq keyword value.
func quote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// RDSCABundle downloads the region's RDS CA bundle from RDS's trust store
// (as MLflow's token sidecar does).
func RDSCABundle(ctx context.Context, region string) (*x509.CertPool, error) {
	url := "https://truststore.pki.rds.amazonaws.com/" + region + "/" + region + "-bundle.pem"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("downloading the RDS CA bundle %s: %w", url, err)
	}
	defer resp.Body.Close()
	pem, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading the RDS CA bundle %s: status %s: %v", url, resp.Status, err)
	}
	return CABundle(pem, url)
}

// CABundle parses a PEM bundle (from names it in errors).
func CABundle(pem []byte, from string) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("no certificate in the CA bundle %s", from)
	}
	return pool, nil
}
