package tunnel

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Proxy is a loopback HTTP proxy: CONNECT to a routed host:port goes to
// the route's address (the tunnel), any other CONNECT or plain request
// goes straight to its host, so a process pointed at the proxy reaches the
// private endpoint and everything else (STS, chart repositories) as
// before. It serves only clients that present its random token in
// Proxy-Authorization (Basic, as Go's HTTP clients send the user info of
// HTTPS_PROXY), so other local processes cannot use it as a relay.
type Proxy struct {
	// URL is the proxy's address with its credentials, for HTTPS_PROXY.
	// It is a secret for the proxy's lifetime: print Addr instead.
	URL string
	// Addr is the proxy's loopback host:port, safe to print.
	Addr string

	auth string

	routes map[string]string
	ln     net.Listener
	srv    *http.Server
	dialer net.Dialer
	wg     sync.WaitGroup
}

// NewProxy listens on a loopback port and serves until Close. routes maps
// host:port (as clients name it) to the address to dial instead.
func NewProxy(routes map[string]string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("tunnel: starting the local proxy: %w", err)
	}
	token, err := newToken()
	if err != nil {
		ln.Close()
		return nil, err
	}
	u := url.URL{Scheme: "http", User: url.UserPassword(proxyUser, token), Host: ln.Addr().String()}
	p := &Proxy{URL: u.String(), Addr: ln.Addr().String(), routes: map[string]string{}, ln: ln, dialer: net.Dialer{Timeout: 15 * time.Second},
		auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(proxyUser+":"+token))}
	for k, v := range routes {
		p.routes[strings.ToLower(k)] = v
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		_ = p.srv.Serve(ln)
	}()
	return p, nil
}

// proxyUser is the user name in the proxy's credentials; the password is
// the random token.
const proxyUser = "mlops"

// newToken is 32 random bytes, hex-encoded.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("tunnel: generating the local proxy's token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Route is where a connection to hostport goes.
func (p *Proxy) Route(hostport string) string {
	if to, ok := p.routes[strings.ToLower(hostport)]; ok {
		return to
	}
	return hostport
}

// ServeHTTP proxies one request.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if subtle.ConstantTimeCompare([]byte(r.Header.Get("Proxy-Authorization")), []byte(p.auth)) != 1 {
		w.Header().Set("Proxy-Authenticate", `Basic realm="mlops tunnel"`)
		http.Error(w, "this proxy serves only the mlops deploy that started it", http.StatusProxyAuthRequired)
		return
	}
	if r.Method != http.MethodConnect {
		p.forward(w, r)
		return
	}
	upstream, err := p.dialer.DialContext(r.Context(), "tcp", p.Route(r.Host))
	if err != nil {
		http.Error(w, fmt.Sprintf("dialing %s: %v", r.Host, err), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		upstream.Close()
		http.Error(w, "connection cannot be hijacked", http.StatusInternalServerError)
		return
	}
	client, buf, err := hj.Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	if _, err := io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		client.Close()
		upstream.Close()
		return
	}
	// Bytes the client sent after its CONNECT header (a TLS hello) may
	// already sit in the reader.
	if n := buf.Reader.Buffered(); n > 0 {
		b, _ := buf.Reader.Peek(n)
		if _, err := upstream.Write(b); err != nil {
			client.Close()
			upstream.Close()
			return
		}
	}
	pipe(client, upstream)
}

// forward relays a plain-HTTP proxy request directly.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request) {
	if r.URL.Host == "" {
		http.Error(w, "not a proxy request", http.StatusBadRequest)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Connection")
	out.Header.Del("Proxy-Authorization")
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return p.dialer.DialContext(ctx, network, p.Route(addr))
	}}
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(out)
	if err != nil {
		http.Error(w, fmt.Sprintf("forwarding to %s: %v", r.URL.Host, err), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// pipe copies both ways until either side ends, then closes both.
func pipe(a, b net.Conn) {
	var once sync.Once
	closeBoth := func() { a.Close(); b.Close() }
	go func() {
		_, _ = io.Copy(a, b)
		once.Do(closeBoth)
	}()
	_, _ = io.Copy(b, a)
	once.Do(closeBoth)
}

// Close stops the proxy and its open connections.
func (p *Proxy) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := p.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = p.srv.Close()
	}
	p.wg.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("tunnel: stopping the local proxy: %w", err)
	}
	return nil
}
