package apiserver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
)

// Server is a running etcd and kube-apiserver pair on loopback, started by
// controller-runtime's envtest with our own binaries.
type Server struct {
	// Config reaches the API server as a cluster-admin (system:masters).
	Config *rest.Config
	// Client is a typed client built from Config.
	Client *kubernetes.Clientset

	env *envtest.Environment
	log *slog.Logger
}

// startTimeout bounds each binary's start; a cold kube-apiserver on two
// busy cores takes tens of seconds.
const startTimeout = 90 * time.Second

// Start launches etcd and kube-apiserver through envtest (free loopback
// ports, a temporary data directory, client certificates and RBAC) and
// waits until the API server is ready. Stop ends both.
//
// envtest disables the ServiceAccount admission plugin by default; the
// harness keeps every default plugin of the API server on, as a real
// cluster has them, and creates the service accounts pods need.
func Start(ctx context.Context, bins Binaries, log *slog.Logger, output io.Writer) (*Server, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctrllog.SetLogger(logr.FromSlogHandler(log.Handler()))
	api := &envtest.APIServer{Path: bins.APIServer, Out: output, Err: output, StartTimeout: startTimeout, StopTimeout: 10 * time.Second}
	api.Configure().
		Disable("disable-admission-plugins").
		Set("enable-priority-and-fairness", "false").
		// Debian's etcd 3.4 sends no progress notifications, so the
		// server cannot stream a watch's initial state (WatchList): a
		// watch that asks for it, or that the server defaults to it (an
		// informer watching from the start with bookmarks, as kwok's
		// do), ended in an error at once, and kwok saw new pods only
		// after a relist backoff, up to 40 s later.
		Set("feature-gates", "WatchList=false").
		Set("profiling", "false").
		Set("v", "0")
	env := &envtest.Environment{ControlPlane: envtest.ControlPlane{
		APIServer: api,
		Etcd:      &envtest.Etcd{Path: bins.Etcd, Out: output, Err: output, StartTimeout: startTimeout, StopTimeout: 10 * time.Second},
	}}
	start := time.Now()
	cfg, err := env.Start()
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("starting etcd and kube-apiserver with envtest: %w", err)
	}
	log.Info("control plane ready", "apiserver", cfg.Host, "elapsed", time.Since(start).Round(time.Millisecond))
	cfg.QPS, cfg.Burst = 200, 400
	// Pod Security "warn" messages are expected by the admission cases.
	cfg.WarningHandler = rest.NoWarnings{}
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		_ = env.Stop()
		return nil, fmt.Errorf("building client: %w", err)
	}
	return &Server{Config: cfg, Client: client, env: env, log: log}, nil
}

// Stop ends the processes and removes their data directories.
func (s *Server) Stop() {
	if s == nil || s.env == nil {
		return
	}
	if err := s.env.Stop(); err != nil {
		s.log.Warn("stopping the control plane", "error", err)
	}
	s.env = nil
}
