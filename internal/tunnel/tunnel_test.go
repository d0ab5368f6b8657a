package tunnel_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/mlops-platform/mlops-platform/internal/awsclient"
	"github.com/mlops-platform/mlops-platform/internal/deployerpolicy"
	"github.com/mlops-platform/mlops-platform/internal/iampolicy"
	"github.com/mlops-platform/mlops-platform/internal/infra/bastion"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/testing/awsfake"
	"github.com/mlops-platform/mlops-platform/internal/testing/iamreplay"
	"github.com/mlops-platform/mlops-platform/internal/tunnel"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// The private endpoint's name: it resolves nowhere outside the VPC, so a
// request can only reach it through the proxy and the tunnel.
const endpointHost = "0123456789abcdef.gr7.eu-west-1.eks.amazonaws.com"

// tunnelDocument is the platform's tunnel document of prod's cluster,
// whose deployer policy the tunnel's calls are replayed against.
var tunnelDocument = bastion.TunnelDocumentName("mlops-platform-prod")

// newFake is the fake AWS endpoint with the tunnel's document of
// endpointHost created, as the AWS layer creates it.
func newFake(t *testing.T) *awsfake.Server {
	t.Helper()
	fake := awsfake.New()
	content, err := bastion.TunnelDocument(endpointHost)
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.AddSessionDocument(tunnelDocument, content); err != nil {
		t.Fatal(err)
	}
	return fake
}

// Environment variables that turn this test binary into a stand-in for
// AWS's session-manager-plugin (the client side of the SSM protocol is the
// cloud boundary): it checks the arguments the aws CLI's contract
// prescribes, then listens on localPortNumber and carries each connection
// to fakeRemote, as the bastion would carry it to the endpoint.
// fakeVersionEnv is the version the stand-in prints for --version, and
// fakeArgvEnv a file where it writes the arguments it was started with
// (what any user of the machine reads from the process list).
const (
	fakePluginEnv  = "MLOPS_TUNNEL_FAKE_PLUGIN"
	fakeRemoteEnv  = "MLOPS_TUNNEL_FAKE_REMOTE"
	fakeVersionEnv = "MLOPS_TUNNEL_FAKE_VERSION"
	fakeArgvEnv    = "MLOPS_TUNNEL_FAKE_ARGV"
)

func TestMain(m *testing.M) {
	if os.Getenv(fakePluginEnv) == "1" {
		os.Exit(fakePlugin(os.Args[1:]))
	}
	os.Exit(m.Run())
}

func fakePlugin(args []string) int {
	if len(args) == 1 && args[0] == "--version" {
		fmt.Println(os.Getenv(fakeVersionEnv))
		return 0
	}
	if f := os.Getenv(fakeArgvEnv); f != "" {
		if err := os.WriteFile(f, []byte(strings.Join(args, "\x00")), 0o600); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	// A plugin that takes the response through the environment reads it
	// from the variable argv[1] names.
	if len(args) > 0 && args[0] == tunnel.ResponseEnv {
		args[0] = os.Getenv(tunnel.ResponseEnv)
	}
	if len(args) != 6 || args[2] != "StartSession" {
		fmt.Fprintf(os.Stderr, "usage: want 6 arguments with StartSession third, got %q\n", args)
		return 2
	}
	var resp struct{ SessionId, TokenValue, StreamUrl string }
	var req struct {
		Target, DocumentName string
		Parameters           map[string][]string
	}
	if err := json.Unmarshal([]byte(args[0]), &resp); err != nil || resp.SessionId == "" || resp.TokenValue == "" || resp.StreamUrl == "" {
		fmt.Fprintf(os.Stderr, "bad session response %q: %v\n", args[0], err)
		return 2
	}
	if err := json.Unmarshal([]byte(args[4]), &req); err != nil || req.DocumentName != tunnelDocument || len(req.Parameters["localPortNumber"]) != 1 {
		fmt.Fprintf(os.Stderr, "bad request %q: %v\n", args[4], err)
		return 2
	}
	if !strings.HasPrefix(args[5], "http") || args[1] == "" {
		fmt.Fprintf(os.Stderr, "bad region %q or endpoint %q\n", args[1], args[5])
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+req.Parameters["localPortNumber"][0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("Port %s opened for sessionId %s.\n", req.Parameters["localPortNumber"][0], resp.SessionId)
	for {
		c, err := ln.Accept()
		if err != nil {
			return 1
		}
		go func() {
			r, err := net.Dial("tcp", os.Getenv(fakeRemoteEnv))
			if err != nil {
				c.Close()
				return
			}
			go func() { _, _ = io.Copy(r, c); r.Close() }()
			_, _ = io.Copy(c, r)
			c.Close()
		}()
	}
}

// ssmClient is an SSM client of the local AWS endpoint, with the
// platform's retryer and no backoff wait.
func ssmClient(fake *awsfake.Server) *ssm.Client {
	return ssm.NewFromConfig(fake.Config(awsclient.Options{Backoff: noWait{}}))
}

type noWait struct{}

func (noWait) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// endpointServer is a TLS server standing in for the EKS endpoint, with a
// certificate for endpointHost only; it answers /version with the server
// name the client asked for.
func endpointServer(t *testing.T) (*httptest.Server, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "kube-apiserver"},
		DNSNames: []string{endpointHost}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"serverName":%q,"path":%q}`, r.TLS.ServerName, r.URL.Path)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, pool
}

// get fetches https://endpointHost/version through proxyURL.
func get(t *testing.T, proxyURL string, pool *x509.CertPool) (string, error) {
	t.Helper()
	u, _ := url.Parse(proxyURL)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		Proxy: http.ProxyURL(u), TLSClientConfig: &tls.Config{RootCAs: pool},
	}}
	resp, err := client.Get("https://" + endpointHost + "/version")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// TestTunnelThroughBastion opens a tunnel against a local SSM endpoint and
// the stand-in plugin, then reaches the endpoint by its own name through
// the proxy: the session asks for the endpoint host on 443 through the
// bastion, a throttled StartSession is retried, TLS verifies the
// certificate against the endpoint's name (the server sees that name), and
// Close ends the plugin and terminates the session.
func TestTunnelThroughBastion(t *testing.T) {
	remote, pool := endpointServer(t)
	fake := newFake(t)
	defer fake.Close()
	fake.Fail("StartSession", awsfake.ThrottlingException, 1)
	t.Setenv(fakePluginEnv, "1")
	t.Setenv(fakeRemoteEnv, remote.Listener.Addr().String())

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tun, err := tunnel.Open(ctx, ssmClient(fake), tunnel.Options{
		Target: "i-0bastion", Host: endpointHost, Document: tunnelDocument, Region: "eu-west-1", Endpoint: fake.URL, Plugin: os.Args[0],
	})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	proxy, err := tunnel.NewProxy(map[string]string{endpointHost + ":443": tun.Local})
	if err != nil {
		t.Fatal(err)
	}
	body, err := get(t, proxy.URL, pool)
	if err != nil {
		t.Fatalf("GET through the tunnel: %v", err)
	}
	if want := fmt.Sprintf(`{"serverName":%q,"path":"/version"}`, endpointHost); body != want {
		t.Errorf("endpoint answered %s, want %s", body, want)
	}
	if err := proxy.Close(); err != nil {
		t.Error(err)
	}
	if err := tun.Close(); err != nil {
		t.Error(err)
	}

	sessions := fake.Sessions()
	if n := fake.Calls("StartSession"); n != 2 || len(sessions) != 1 {
		t.Fatalf("StartSession: %d calls, %d sessions; want one session after a throttled call", n, len(sessions))
	}
	got := sessions[0]
	// The document fixes host and port: the session names neither.
	if got.Target != "i-0bastion" || got.Document != tunnelDocument || len(got.Parameters) != 1 || len(got.Parameters["localPortNumber"]) != 1 {
		t.Errorf("StartSession request %+v", got)
	}
	if !got.Terminated {
		t.Error("the session was not terminated on Close")
	}
	// The deployer policy grants --tunnel's calls from this list.
	for _, r := range fake.Requests() {
		if op := r.Service + ":" + r.Op; !slices.Contains(deployerpolicy.Day2Operations, op) {
			t.Errorf("the tunnel calls %s, which deployerpolicy.Day2Operations does not list", op)
		}
	}
	denied, n := replayOnProd(t, fake.Requests(), nil)
	for _, d := range denied {
		t.Error(d)
	}
	t.Logf("%d authorizations replayed against the prod deployer policy", n)
	// Without ssm:TerminateSession the replay finds Close's call denied.
	denied, _ = replayOnProd(t, fake.Requests(), func(s iampolicy.Statement) iampolicy.Statement {
		s.Action = slices.DeleteFunc(slices.Clone(s.Action), func(a string) bool { return a == "ssm:TerminateSession" })
		return s
	})
	if len(denied) != 1 || !strings.Contains(denied[0], "implicit deny: ssm:TerminateSession needs ssm:TerminateSession on arn:aws:ssm:") {
		t.Errorf("without ssm:TerminateSession the replay denied %q, want the session's termination only", denied)
	}
}

// deployerUserID is the deploying session's aws:userid (the deployer
// role's ID and a session name).
const deployerUserID = "AROAEXAMPLEDEPLOYER:mlops-platform-prod-deploy"

// replayOnProd replays calls (internal/testing/iamreplay) as the deployer
// on the bastion of the prod graph, tagged as the graph tags it, against
// the prod deployer policy (edited by edit when set), and returns what it
// denies and the number of authorizations replayed.
func replayOnProd(t *testing.T, calls []awsfake.Call, edit func(iampolicy.Statement) iampolicy.Statement) ([]string, int) {
	t.Helper()
	g := stacktest.Graph(t, "prod")
	bastions := g.ByType(typetoken.EC2Instance)
	if len(bastions) != 1 {
		t.Fatalf("prod declares %d instances, want the bastion", len(bastions))
	}
	env := iamreplay.Env{Partition: g.Partition, Account: awsfake.Account, Region: awsfake.Region}
	r := &iamreplay.Replayer{Env: env, UserID: deployerUserID,
		Tags: map[string]map[string]string{env.InstanceARN("i-0bastion"): bastions[0].Tags()}}
	docs, err := iamreplay.DeployerDocuments(g, env.Account, deployerUserID, edit)
	if err != nil {
		t.Fatal(err)
	}
	auths, err := r.Replay(calls)
	if err != nil {
		t.Fatal(err)
	}
	denied, err := iamreplay.Denied(docs, auths)
	if err != nil {
		t.Fatal(err)
	}
	return denied, len(auths)
}

// TestOpenFailsFast: a plugin that exits at once, or one missing from
// PATH, fails Open with what to do instead of hanging, and the session it
// started is terminated.
func TestOpenFailsFast(t *testing.T) {
	fake := newFake(t)
	defer fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Setenv(fakePluginEnv, "1")
	start := time.Now()
	_, err := tunnel.Open(ctx, ssmClient(fake), tunnel.Options{
		Target: "i-0bastion", Host: endpointHost, Document: tunnelDocument, Region: "", Endpoint: "", Plugin: os.Args[0], Ready: 20 * time.Second,
	})
	if err == nil || !strings.Contains(err.Error(), "exited before listening") || !strings.Contains(err.Error(), "bad region") {
		t.Errorf("Open with a failing plugin: %v", err)
	}
	if time.Since(start) > 15*time.Second {
		t.Errorf("Open took %s to notice the plugin exited", time.Since(start))
	}
	if ss := fake.Sessions(); len(ss) != 1 || !ss[0].Terminated {
		t.Errorf("sessions %+v, want the started session ended", ss)
	}

	t.Setenv("PATH", t.TempDir())
	_, err = tunnel.Open(ctx, ssmClient(fake), tunnel.Options{Target: "i-0bastion", Host: endpointHost, Document: tunnelDocument, Region: "eu-west-1"})
	if err == nil || !strings.Contains(err.Error(), "session-manager-plugin is not on PATH") || !strings.Contains(err.Error(), "inside the VPC") {
		t.Errorf("Open without the plugin: %v", err)
	}
	if _, err := tunnel.Open(ctx, ssmClient(fake), tunnel.Options{Host: endpointHost}); err == nil || !strings.Contains(err.Error(), "bastion.enabled=true") {
		t.Errorf("Open without a bastion: %v", err)
	}
}

// TestProxyRoutesOnlyTheEndpoint: hosts other than the routed one go
// straight out, CONNECT and plain HTTP alike.
func TestProxyRoutesOnlyTheEndpoint(t *testing.T) {
	direct := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "direct") }))
	defer direct.Close()
	directTLS := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "direct-tls") }))
	defer directTLS.Close()
	proxy, err := tunnel.NewProxy(map[string]string{endpointHost + ":443": "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	u, _ := url.Parse(proxy.URL)
	pool := x509.NewCertPool()
	pool.AddCert(directTLS.Certificate())
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(u), TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, tc := range []struct{ url, want string }{{direct.URL, "direct"}, {directTLS.URL, "direct-tls"}} {
		resp, err := client.Get(tc.url)
		if err != nil {
			t.Fatalf("GET %s through the proxy: %v", tc.url, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != tc.want {
			t.Errorf("GET %s: %q, want %q", tc.url, b, tc.want)
		}
	}
	if got := proxy.Route(strings.ToUpper(endpointHost) + ":443"); got != "127.0.0.1:1" {
		t.Errorf("route of the endpoint in upper case: %s", got)
	}
	if _, err := get(t, proxy.URL, pool); err == nil {
		t.Error("the endpoint answered although its tunnel address refuses connections")
	}
}

// TestSessionsFollowTheirDocument: StartSession carries only what the
// document declares and its patterns admit, as Session Manager checks it,
// so a fixed document takes no host, and the drill's takes only a
// restored instance's. A refused session starts no plugin; an accepted
// one with no plugin to run is terminated.
func TestSessionsFollowTheirDocument(t *testing.T) {
	const drillDocument = "c1-drill-db-forward"
	const restored = "mlflow-drill-20261129000000.abcdefghijkl.eu-west-1.rds.amazonaws.com"
	pattern, err := bastion.DrillHostPattern("mlflow", "mlflow.abcdefghijkl.eu-west-1.rds.amazonaws.com")
	if err != nil {
		t.Fatal(err)
	}
	content, err := bastion.DrillDocument(pattern)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		opts     tunnel.Options
		refusal  string // "" when StartSession accepts
		wantHost []string
	}{
		{"the tunnel's document takes no host", tunnel.Options{Document: tunnelDocument, Host: endpointHost, HostParameter: true}, "has no parameter host", nil},
		{"an unknown document", tunnel.Options{Document: "c2-eks-api-tunnel", Host: endpointHost}, "InvalidDocument", nil},
		{"the drill's document refuses another host", tunnel.Options{Document: drillDocument, Host: "internal-alb.eu-west-1.elb.amazonaws.com", HostParameter: true}, "does not match", nil},
		{"the drill's document takes a restored instance", tunnel.Options{Document: drillDocument, Host: restored, HostParameter: true}, "", []string{restored}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := newFake(t)
			defer fake.Close()
			if err := fake.AddSessionDocument(drillDocument, content); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			c.opts.Target, c.opts.Region, c.opts.Endpoint, c.opts.Port = "i-0bastion", "eu-west-1", fake.URL, 5432
			c.opts.Plugin = filepath.Join(t.TempDir(), "no-plugin")
			_, err := tunnel.Open(ctx, ssmClient(fake), c.opts)
			sessions := fake.Sessions()
			if c.refusal != "" {
				if err == nil || !strings.Contains(err.Error(), c.refusal) || len(sessions) != 0 {
					t.Errorf("Open: %v, sessions %+v; want StartSession refused with %q", err, sessions, c.refusal)
				}
				return
			}
			if len(sessions) != 1 || !slices.Equal(sessions[0].Parameters["host"], c.wantHost) || !sessions[0].Terminated {
				t.Errorf("sessions %+v (Open: %v); want one, to %v, terminated", sessions, err, c.wantHost)
			}
		})
	}
}
