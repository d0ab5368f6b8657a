package drill_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"io"
	"math/big"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/mlops-platform/mlops-platform/internal/drill"
	"github.com/mlops-platform/mlops-platform/internal/drill/drilltest"
)

// TestDrillConnectsThroughTheForward: with a Forwarder (the bastion's
// second port forward), the drill asks it for the restored instance's
// endpoint and connects to the local address it returns; the restored
// address itself is unreachable here, as it is from outside the VPC.
func TestDrillConnectsThroughTheForward(t *testing.T) {
	f := newFixture(t, noDatabase) // restores answer at /nonexistent:5432
	dir, port := drilltest.MLflowDB(t, true)
	var asked []string
	stopped := false
	f.o.Wait = 5 * time.Second
	f.o.Forward = func(_ context.Context, host string, p int) (string, func(), error) {
		asked = append(asked, net.JoinHostPort(host, strconv.Itoa(p)))
		return net.JoinHostPort(dir, strconv.Itoa(port)), func() { stopped = true }, nil
	}
	r := f.run(t)
	if err := r.Err(); err != nil {
		t.Fatalf("drill failed: %v\n%+v", err, r.Steps)
	}
	if len(asked) != 1 || asked[0] != "/nonexistent:5432" {
		t.Errorf("forwards asked for %v, want the restored endpoint /nonexistent:5432 once", asked)
	}
	if s := steps(r); s["forward"].Status != drill.StatusOK || s["connect"].Status != drill.StatusOK {
		t.Errorf("steps %+v", r.Steps)
	}
	if !stopped {
		t.Error("the forward was not closed")
	}
}

// TestIAMPostgresDialsTheForwardWithTheRDSName: with Endpoint.Dial set,
// the check connects to that loopback address, and its TLS handshake
// names, and verifies, the RDS host (SNI and certificate), not 127.0.0.1.
func TestIAMPostgresDialsTheForwardWithTheRDSName(t *testing.T) {
	const rdsHost = "prod-mlflow-drill-1.abcdefghijkl.eu-west-1.rds.amazonaws.com"
	pool, cert := hostCert(t, rdsHost)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- "accept: " + err.Error()
			return
		}
		defer c.Close()
		// PostgreSQL's SSLRequest: length 8, code 80877103; answer 'S'.
		var req [8]byte
		if _, err := io.ReadFull(c, req[:]); err != nil || binary.BigEndian.Uint32(req[4:]) != 80877103 {
			got <- "no SSLRequest"
			return
		}
		_, _ = c.Write([]byte{'S'})
		var sni string
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{cert}, GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
			sni = h.ServerName
			return nil, nil
		}})
		if err := tc.Handshake(); err != nil {
			got <- "handshake: " + err.Error()
			return
		}
		_, _ = bufio.NewReader(tc).Peek(1) // the startup message
		got <- "sni=" + sni
	}()
	chk := drill.IAMPostgres{AWS: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""), RootCAs: func(context.Context) (*x509.CertPool, error) { return pool, nil }}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, checkErr := chk.Check(ctx, drill.Endpoint{Host: rdsHost, Port: 5432, Database: "mlflow", User: "mlflow", Region: "eu-west-1", Dial: ln.Addr().String()})
	select {
	case s := <-got:
		if s != "sni="+rdsHost {
			t.Errorf("the forwarded connection: %s, want sni=%s", s, rdsHost)
		}
	case <-ctx.Done():
		t.Fatalf("no connection reached the forwarded address (check: %v)", checkErr)
	}
}

// hostCert is a self-signed certificate for host and a pool trusting it.
func hostCert(t *testing.T, host string) (*x509.CertPool, tls.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return pool, tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
