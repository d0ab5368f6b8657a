package drill

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Tags on the temporary instance: DrillTag carries the instance's own
// identifier (unique per drill), SourceTag the production instance.
const (
	DrillTag  = "mlops:dr-drill"
	SourceTag = "mlops:dr-drill-source"
)

// Clients are the AWS clients the drill uses.
type Clients struct {
	RDS *rds.Client
	S3  *s3.Client
}

// Options tune a drill.
type Options struct {
	Stack, Region string
	// TempID is the temporary instance's identifier (TempID gives the
	// default).
	TempID string
	// User is the database role the check connects as.
	User string
	// Wait bounds the restore, from the request to an accepted
	// connection; Poll is the interval between status reads.
	Wait, Poll time.Duration
	// Cleanup bounds the deletions, which run even when Wait ran out.
	Cleanup time.Duration
	// DB connects to the restored instance and reads MLflow's tables.
	DB Checker
	// Forward, when set, opens a port forward to the restored instance
	// (host, port) through the bastion and returns the local address and
	// a function that closes it; DB then dials that address.
	Forward Forwarder
	// ScratchPrefix is where the artifact copy goes.
	ScratchPrefix string
	Now           func() time.Time
	Log           *slog.Logger
}

// TempID is the default temporary identifier: the source's with
// "-drill-" and the time (RDS identifiers: lowercase letters, digits and
// single hyphens, at most 63 characters).
func TempID(source string, now time.Time) string {
	suffix := "-drill-" + now.UTC().Format("20060102150405")
	if len(source)+len(suffix) > 63 {
		source = strings.TrimRight(source[:63-len(suffix)], "-")
	}
	return source + suffix
}

// Run runs the drill on t and reports each step; Report.Err says whether
// it succeeded. It refuses, before any call, a temporary identifier that
// names the source.
func Run(ctx context.Context, c Clients, t Target, o Options) (*Report, error) {
	r := &Report{Stack: o.Stack, Source: t.DBInstance, TempInstance: o.TempID, Credentials: o.DB.Credentials(o.User)}
	if strings.EqualFold(o.TempID, t.DBInstance) || o.TempID == "" {
		return nil, fmt.Errorf("refusing the drill: the temporary instance identifier %q is the production instance's (%s)", o.TempID, t.DBInstance)
	}
	d := &dbDrill{c: c.RDS, t: t, o: o, r: r}
	d.run(ctx)
	a := &artifactDrill{c: c.S3, t: t, o: o, r: r}
	a.run(ctx)
	return r, nil
}

// cleanupContext outlives ctx's cancellation and deadline, bounded by d:
// what the drill created is deleted even after a timeout or an interrupt.
func cleanupContext(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), d)
}
