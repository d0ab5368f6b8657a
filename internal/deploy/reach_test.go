package deploy

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCheckEndpoint(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	acceptAndClose(l)
	if err := CheckEndpoint(context.Background(), "https://"+l.Addr().String(), "prod", true, time.Second); err != nil {
		t.Errorf("a listening endpoint: %v", err)
	}
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := closed.Addr().String()
	closed.Close()
	start := time.Now()
	err = CheckEndpoint(context.Background(), "https://"+addr, "prod", true, 2*time.Second)
	var un *UnreachableError
	if !errors.As(err, &un) || !strings.Contains(err.Error(), "mlops up --stack prod --layer cluster") || !strings.Contains(err.Error(), "inside the VPC") {
		t.Errorf("a closed port: %v, want the way to reach a private endpoint", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("the check took %s", time.Since(start))
	}
	// 192.0.2.0/24 (TEST-NET-1) is not routed: the dial times out, it does not hang.
	start = time.Now()
	err = CheckEndpoint(context.Background(), "https://192.0.2.1", "dev", false, 300*time.Millisecond)
	if !errors.As(err, &un) || !strings.Contains(err.Error(), "clusterEndpointPublicAccessCidrs") || time.Since(start) > 2*time.Second {
		t.Errorf("an unrouted address: %v after %s", err, time.Since(start))
	}
	if err := CheckEndpoint(context.Background(), "not a url", "dev", false, time.Second); err == nil {
		t.Error("a malformed endpoint was accepted")
	}
}

// TestCheckEndpointVia: through a tunnel, an open local port is not
// enough; the TLS handshake naming the endpoint must complete.
func TestCheckEndpointVia(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	const ep = "https://0123456789abcdef.gr7.eu-west-1.eks.amazonaws.com"
	if err := CheckEndpointVia(context.Background(), ep, tlsSrv.Listener.Addr().String(), "prod", true, 2*time.Second); err != nil {
		t.Errorf("a tunnel whose far end speaks TLS: %v", err)
	}
	// A plugin listening locally whose session reaches nothing: it accepts
	// and closes.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	acceptAndClose(l)
	err = CheckEndpointVia(context.Background(), ep, l.Addr().String(), "prod", true, 2*time.Second)
	var un *UnreachableError
	if !errors.As(err, &un) || un.Via == "" || !strings.Contains(err.Error(), "SSM tunnel through the bastion") {
		t.Errorf("a tunnel whose far end is dead: %v", err)
	}
	// Without a tunnel, the private endpoint's error names both ways.
	closed := "https://" + l.Addr().String()
	l.Close()
	err = CheckEndpoint(context.Background(), closed, "prod", true, time.Second)
	if err == nil || !strings.Contains(err.Error(), "--tunnel") || !strings.Contains(err.Error(), "session-manager-plugin") {
		t.Errorf("the private endpoint's error: %v", err)
	}
}

// acceptAndClose accepts every connection on l and closes it at once.
func acceptAndClose(l net.Listener) {
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
}
