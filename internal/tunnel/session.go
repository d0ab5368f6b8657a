// Package tunnel reaches a private EKS API endpoint from outside the VPC,
// through the SSM-managed bastion, with no VPN and no open port:
//
//   - Open starts a Session Manager port-forwarding session to the
//     endpoint's host on 443 with the AWS SDK (the bastion resolves the
//     private name and connects), and hands it to AWS's
//     session-manager-plugin, the same program the aws CLI runs, which
//     carries the session and listens on a local port;
//   - Proxy is a local HTTP CONNECT proxy that sends connections for the
//     endpoint's host into that port and every other host straight out.
//
// The deploy points the Kubernetes provider at the proxy (HTTPS_PROXY) and
// leaves the kubeconfig alone: clients still dial the endpoint by its own
// name, so TLS verifies the EKS certificate against that name (the server
// name is preserved), the token is the one `mlops eks-token` signs for
// that cluster, and the kubeconfig kept in the provider's state is the
// same whether the deploy runs through the tunnel or from inside the VPC.
package tunnel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// AWSDocument is AWS's port-forwarding document, which forwards to any
// host and port the target reaches. The platform does not use it: the
// deployer policy refuses it (review N11), and each session names one of
// the platform's own Port documents (internal/infra/bastion) instead.
const AWSDocument = "AWS-StartPortForwardingSessionToRemoteHost"

// Plugin is the executable of AWS's Session Manager plugin.
const Plugin = "session-manager-plugin"

// PluginInstall says how to get the plugin when it is missing.
const PluginInstall = "install AWS's Session Manager plugin (https://docs.aws.amazon.com/systems-manager/latest/userguide/" +
	"session-manager-working-with-install-plugin.html) so that `session-manager-plugin` is on PATH, " +
	"or run the cluster layer from inside the VPC (mlops up --layer cluster on a runner there)"

// SSM is the part of the Systems Manager client a tunnel uses.
type SSM interface {
	StartSession(context.Context, *ssm.StartSessionInput, ...func(*ssm.Options)) (*ssm.StartSessionOutput, error)
	TerminateSession(context.Context, *ssm.TerminateSessionInput, ...func(*ssm.Options)) (*ssm.TerminateSessionOutput, error)
}

// Options describe one tunnel.
type Options struct {
	// Target is the bastion's instance ID.
	Target string
	// Host and Port are what the bastion connects to: the endpoint's
	// host name, 443.
	Host string
	Port int
	// Document is the Port session document the session runs: the
	// platform's, whose host and port are fixed (the tunnel's) or whose
	// host is a restricted parameter (the drill's, with HostParameter).
	Document string
	// HostParameter says the document takes Host as its host parameter;
	// otherwise it forwards to a destination of its own, which Host and
	// Port only name.
	HostParameter bool
	// Region, Profile and Endpoint are passed to the plugin, which calls
	// SSM itself to resume and end the session (Endpoint is the SSM
	// endpoint URL; empty means the region's).
	Region, Profile, Endpoint string
	// Plugin is the plugin's path (default: looked up on PATH).
	Plugin string
	// Ready bounds the wait for the plugin's local port.
	Ready time.Duration
	// Log receives the plugin's output, line by line (default: discarded).
	Log *slog.Logger
}

// Tunnel is an open port-forwarding session.
type Tunnel struct {
	// Local is the loopback address the plugin listens on.
	Local     string
	SessionID string

	client SSM
	cmd    *exec.Cmd
	done   chan error
	once   sync.Once
}

// Open starts the session and the plugin, and returns once the plugin's
// local port accepts connections; it fails within opts.Ready otherwise,
// with what the plugin said.
func Open(ctx context.Context, client SSM, opts Options) (*Tunnel, error) {
	if opts.Target == "" || opts.Host == "" || opts.Document == "" {
		return nil, fmt.Errorf("tunnel: the bastion's instance ID, its session document and the endpoint's host are required (bastion.enabled=true, then mlops up --layer aws)")
	}
	if opts.Port == 0 {
		opts.Port = 443
	}
	if opts.Ready == 0 {
		opts.Ready = 30 * time.Second
	}
	plugin := opts.Plugin
	if plugin == "" {
		p, err := exec.LookPath(Plugin)
		if err != nil {
			return nil, fmt.Errorf("tunnel: %s is not on PATH: %s", Plugin, PluginInstall)
		}
		plugin = p
	}
	local, err := freePort()
	if err != nil {
		return nil, err
	}
	in := &ssm.StartSessionInput{
		Target:       aws.String(opts.Target),
		DocumentName: aws.String(opts.Document),
		Parameters:   map[string][]string{"localPortNumber": {strconv.Itoa(local)}},
	}
	if opts.HostParameter {
		in.Parameters["host"] = []string{opts.Host}
	}
	out, err := client.StartSession(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("tunnel: starting an SSM session to %s through bastion %s: %w", opts.Host, opts.Target, err)
	}
	t := &Tunnel{Local: net.JoinHostPort("127.0.0.1", strconv.Itoa(local)), SessionID: aws.ToString(out.SessionId), client: client, done: make(chan error, 1)}
	args, err := pluginArgs(out, in, opts)
	if err != nil {
		t.terminate()
		return nil, err
	}
	env, err := hideResponse(ctx, plugin, args)
	if err != nil {
		t.terminate()
		return nil, err
	}
	var stderr tail
	t.cmd = exec.Command(plugin, args...)
	if env != "" {
		t.cmd.Env = append(os.Environ(), env)
	}
	t.cmd.Stdout, t.cmd.Stderr = logWriter(opts.Log, nil), logWriter(opts.Log, &stderr)
	if err := t.cmd.Start(); err != nil {
		t.terminate()
		return nil, fmt.Errorf("tunnel: starting %s: %w", plugin, err)
	}
	go func() { t.done <- t.cmd.Wait() }()
	if err := t.waitReady(ctx, opts.Ready, &stderr); err != nil {
		_ = t.Close()
		return nil, err
	}
	return t, nil
}

// pluginArgs are the plugin's arguments, in the order the aws CLI passes
// them: the StartSession response, the region, the operation, the profile,
// the request, and the SSM endpoint.
func pluginArgs(out *ssm.StartSessionOutput, in *ssm.StartSessionInput, opts Options) ([]string, error) {
	resp, err := json.Marshal(map[string]string{
		"SessionId": aws.ToString(out.SessionId), "TokenValue": aws.ToString(out.TokenValue), "StreamUrl": aws.ToString(out.StreamUrl),
	})
	if err != nil {
		return nil, fmt.Errorf("tunnel: encoding the session: %w", err)
	}
	req, err := json.Marshal(map[string]any{"Target": in.Target, "DocumentName": in.DocumentName, "Parameters": in.Parameters})
	if err != nil {
		return nil, fmt.Errorf("tunnel: encoding the request: %w", err)
	}
	endpoint := opts.Endpoint
	if endpoint == "" {
		endpoint = "https://ssm." + opts.Region + ".amazonaws.com"
	}
	return []string{string(resp), opts.Region, "StartSession", opts.Profile, string(req), endpoint}, nil
}

// waitReady polls the local port until it accepts, the plugin exits, the
// wait runs out or ctx ends.
func (t *Tunnel) waitReady(ctx context.Context, limit time.Duration, stderr *tail) error {
	deadline := time.NewTimer(limit)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if c, err := net.DialTimeout("tcp", t.Local, time.Second); err == nil {
			return c.Close()
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-t.done:
			t.done <- err
			return fmt.Errorf("tunnel: %s exited before listening on %s (%v): %s", Plugin, t.Local, err, stderr.String())
		case <-deadline.C:
			return fmt.Errorf("tunnel: %s did not listen on %s within %s: %s", Plugin, t.Local, limit, stderr.String())
		case <-tick.C:
		}
	}
}

// Close ends the plugin and the session. It is safe to call twice.
func (t *Tunnel) Close() error {
	var err error
	t.once.Do(func() {
		if t.cmd != nil && t.cmd.Process != nil {
			select {
			case <-t.done:
			default:
				_ = t.cmd.Process.Kill()
				<-t.done
			}
		}
		err = t.terminate()
	})
	return err
}

// terminate ends the session on the SSM side, so it does not linger until
// its idle timeout.
func (t *Tunnel) terminate() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := t.client.TerminateSession(ctx, &ssm.TerminateSessionInput{SessionId: aws.String(t.SessionID)}); err != nil {
		return fmt.Errorf("tunnel: terminating SSM session %s: %w", t.SessionID, err)
	}
	return nil
}

// freePort asks the kernel for a free loopback port for the plugin.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("tunnel: finding a free local port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// tail keeps the last lines a process wrote, for an error message.
type tail struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if t.buf.Len() > 2048 {
		b := t.buf.Bytes()[t.buf.Len()-2048:]
		t.buf.Reset()
		t.buf.Write(b)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s := strings.TrimSpace(t.buf.String()); s != "" {
		return s
	}
	return "(no output)"
}

// logWriter sends a process's output to log at debug level and to keep.
func logWriter(log *slog.Logger, keep io.Writer) io.Writer {
	var ws []io.Writer
	if keep != nil {
		ws = append(ws, keep)
	}
	if log != nil {
		ws = append(ws, lineLogger{log})
	}
	if len(ws) == 0 {
		return io.Discard
	}
	return io.MultiWriter(ws...)
}

type lineLogger struct{ log *slog.Logger }

func (l lineLogger) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if line != "" {
			l.log.Debug(Plugin, "line", line)
		}
	}
	return len(p), nil
}
