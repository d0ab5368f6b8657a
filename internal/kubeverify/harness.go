package kubeverify

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// Server is a running etcd and kube-apiserver pair on loopback.
type Server struct {
	// Config reaches the API server as a cluster-admin (system:masters).
	Config *rest.Config
	// Client is a typed client built from Config.
	Client *kubernetes.Clientset

	dir   string
	procs []*exec.Cmd
	log   *slog.Logger
}

// Start launches etcd and kube-apiserver with random free loopback ports,
// a temporary data directory, token authentication and RBAC, and waits
// until the API server is ready. Stop ends both.
func Start(ctx context.Context, bins Binaries, log *slog.Logger, output io.Writer) (*Server, error) {
	dir, err := os.MkdirTemp("", "kubeverify-")
	if err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	s := &Server{dir: dir, log: log}
	ok := false
	defer func() {
		if !ok {
			s.Stop()
		}
	}()
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	etcdClient, etcdPeer, apiPort := ports[0], ports[1], ports[2]
	if err := s.startEtcd(ctx, bins.Etcd, etcdClient, etcdPeer, output); err != nil {
		return nil, err
	}
	token, err := randomToken()
	if err != nil {
		return nil, err
	}
	if err := s.startAPIServer(ctx, bins.APIServer, etcdClient, apiPort, token, output); err != nil {
		return nil, err
	}
	ca := filepath.Join(dir, "certs", "apiserver.crt")
	if err := s.waitFile(ctx, ca, 60*time.Second); err != nil {
		return nil, err
	}
	s.Config = &rest.Config{
		Host:            "https://127.0.0.1:" + strconv.Itoa(apiPort),
		BearerToken:     token,
		TLSClientConfig: rest.TLSClientConfig{CAFile: ca},
		QPS:             200,
		Burst:           400,
		// Pod Security "warn" messages are expected by the admission cases.
		WarningHandler: rest.NoWarnings{},
	}
	if s.Client, err = kubernetes.NewForConfig(s.Config); err != nil {
		return nil, fmt.Errorf("building client: %w", err)
	}
	if err := s.waitReady(ctx, 90*time.Second); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

func (s *Server) startEtcd(ctx context.Context, bin string, client, peer int, output io.Writer) error {
	clientURL := "http://127.0.0.1:" + strconv.Itoa(client)
	peerURL := "http://127.0.0.1:" + strconv.Itoa(peer)
	return s.spawn(ctx, output, bin,
		"--name=kubeverify",
		"--data-dir="+filepath.Join(s.dir, "etcd"),
		"--listen-client-urls="+clientURL, "--advertise-client-urls="+clientURL,
		"--listen-peer-urls="+peerURL, "--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=kubeverify="+peerURL,
		"--unsafe-no-fsync", "--log-level=error",
	)
}

func (s *Server) startAPIServer(ctx context.Context, bin string, etcdPort, port int, token string, output io.Writer) error {
	saKey := filepath.Join(s.dir, "sa.key")
	if err := writeServiceAccountKey(saKey); err != nil {
		return err
	}
	tokens := filepath.Join(s.dir, "tokens.csv")
	if err := os.WriteFile(tokens, []byte(token+",kubeverify-admin,kubeverify-admin,\"system:masters\"\n"), 0o600); err != nil {
		return fmt.Errorf("writing token file: %w", err)
	}
	return s.spawn(ctx, output, bin,
		"--etcd-servers=http://127.0.0.1:"+strconv.Itoa(etcdPort),
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(port),
		"--cert-dir="+filepath.Join(s.dir, "certs"),
		"--token-auth-file="+tokens,
		"--authorization-mode=RBAC",
		"--service-account-issuer=https://kubeverify.local",
		"--service-account-key-file="+saKey,
		"--service-account-signing-key-file="+saKey,
		"--service-cluster-ip-range=10.96.0.0/24",
		"--enable-priority-and-fairness=false",
		"--profiling=false",
		"--v=0",
	)
}

func (s *Server) spawn(ctx context.Context, output io.Writer, bin string, args ...string) error {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = output, output
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", filepath.Base(bin), err)
	}
	s.procs = append(s.procs, cmd)
	s.log.Info("started", "binary", filepath.Base(bin), "pid", cmd.Process.Pid)
	return nil
}

// waitFile waits for the API server to write its self-signed certificate.
func (s *Server) waitFile(ctx context.Context, path string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		if st, err := os.Stat(path); err == nil && st.Size() > 0 {
			return nil
		}
		if err := s.exited(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the API server wrote no certificate within %s", limit)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// exited reports a process that already ended.
func (s *Server) exited() error {
	for _, p := range s.procs {
		if p.ProcessState != nil {
			return fmt.Errorf("%s exited early: %s", filepath.Base(p.Path), p.ProcessState)
		}
	}
	return nil
}

// waitReady polls /readyz until the API server answers ok.
func (s *Server) waitReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var last error
	for {
		body, err := s.Client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		if err == nil && string(body) == "ok" {
			return nil
		}
		last = err
		if err := s.exited(); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("API server not ready after %s: %v", limit, last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Stop ends the processes and removes the data directory.
func (s *Server) Stop() {
	for i := len(s.procs) - 1; i >= 0; i-- {
		p := s.procs[i]
		_ = p.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = p.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = p.Process.Kill()
			<-done
		}
	}
	s.procs = nil
	_ = os.RemoveAll(s.dir)
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("finding a free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func randomToken() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func writeServiceAccountKey(path string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("generating service account key: %w", err)
	}
	der := x509.MarshalPKCS1PrivateKey(key)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return fmt.Errorf("writing service account key: %w", err)
	}
	return nil
}
