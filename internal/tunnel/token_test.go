package tunnel_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/tunnel"
)

// TestPluginVersionRule: the aws CLI's rule (awscli/customizations/
// sessionmanager.py): versions after 1.2.497.0 take the response through
// the environment; that version, older ones and unparsable output do not.
func TestPluginVersionRule(t *testing.T) {
	for _, c := range []struct {
		version string
		env     bool
	}{
		{"1.2.497.0", false},
		{"1.2.463.0\n", false},
		{"1.2.497.1", true},
		{"1.2.553.0\n", true},
		{" 1.2.694.0 \n", true},
		{"1.3", true},
		{"2", true},
		{"1.2.497", false},
		{"1.2.497.0.1", false},
		{"", false},
		{"version 1.2.694.0", false},
	} {
		if got := tunnel.PassesResponseInEnv(c.version); got != c.env {
			t.Errorf("version %q: through the environment = %v, want %v", c.version, got, c.env)
		}
	}
}

// TestSessionTokenStaysOutOfArgv: a plugin new enough gets the
// StartSession response, token included, through AWS_SSM_START_SESSION_
// RESPONSE with only the variable's name in argv[1]; an older one still
// gets it in argv, as the aws CLI does.
func TestSessionTokenStaysOutOfArgv(t *testing.T) {
	remote, _ := endpointServer(t)
	t.Setenv(fakePluginEnv, "1")
	t.Setenv(fakeRemoteEnv, remote.Listener.Addr().String())
	for _, c := range []struct {
		version   string
		tokenArgv bool
	}{
		{"1.2.694.0", false},
		{"1.2.463.0", true},
	} {
		t.Run(c.version, func(t *testing.T) {
			fake := newFake(t)
			defer fake.Close()
			argv := filepath.Join(t.TempDir(), "argv")
			t.Setenv(fakeVersionEnv, c.version)
			t.Setenv(fakeArgvEnv, argv)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			tun, err := tunnel.Open(ctx, ssmClient(fake), tunnel.Options{
				Target: "i-0bastion", Host: endpointHost, Document: tunnelDocument, Region: "eu-west-1", Endpoint: fake.URL, Plugin: os.Args[0],
			})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer tun.Close()
			b, err := os.ReadFile(argv)
			if err != nil {
				t.Fatal(err)
			}
			args := strings.Split(string(b), "\x00")
			if got := strings.Contains(string(b), "TokenValue"); got != c.tokenArgv {
				t.Errorf("session token in the plugin's argv = %v, want %v: %q", got, c.tokenArgv, args)
			}
			if !c.tokenArgv && args[0] != tunnel.ResponseEnv {
				t.Errorf("argv[1] = %q, want the variable's name %s", args[0], tunnel.ResponseEnv)
			}
		})
	}
}

// TestProxyServesOnlyItsDeploy: the proxy's own URL (with its token, as
// HTTPS_PROXY carries it) is served; the same address without the token,
// or with another, is refused with 407, CONNECT and plain HTTP alike, so
// another local process cannot relay through it. Addr never shows the
// token.
func TestProxyServesOnlyItsDeploy(t *testing.T) {
	direct := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "direct") }))
	defer direct.Close()
	directTLS := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "direct-tls") }))
	defer directTLS.Close()
	proxy, err := tunnel.NewProxy(map[string]string{endpointHost + ":443": "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	own, _ := url.Parse(proxy.URL)
	pw, ok := own.User.Password()
	if !ok || len(pw) < 32 || strings.Contains(proxy.Addr, pw) || proxy.Addr != own.Host {
		t.Fatalf("proxy URL %q / Addr %q: want a token in the URL only", proxy.URL, proxy.Addr)
	}
	pool := x509.NewCertPool()
	pool.AddCert(directTLS.Certificate())
	for _, c := range []struct {
		name string
		user *url.Userinfo
		ok   bool
	}{
		{"its own token", own.User, true},
		{"no token", nil, false},
		{"another token", url.UserPassword("mlops", strings.Repeat("0", len(pw))), false},
	} {
		u := *own
		u.User = c.user
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(&u), TLSClientConfig: &tls.Config{RootCAs: pool}}}
		for _, target := range []string{direct.URL, directTLS.URL} {
			resp, err := client.Get(target)
			if err == nil {
				resp.Body.Close()
			}
			served := err == nil && resp.StatusCode == http.StatusOK
			if served != c.ok {
				t.Errorf("%s, GET %s: served = %v, want %v (%v)", c.name, target, served, c.ok, err)
			}
			if !c.ok && err == nil && resp.StatusCode != http.StatusProxyAuthRequired {
				t.Errorf("%s, GET %s: status %d, want 407", c.name, target, resp.StatusCode)
			}
		}
	}
}
