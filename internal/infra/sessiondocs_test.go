package infra_test

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/drill"
	"github.com/mlops-platform/mlops-platform/internal/infra/bastion"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// portDocument is what Session Manager reads of a Port session document.
type portDocument struct {
	SessionType string
	Parameters  map[string]struct{ AllowedPattern string }
	Properties  struct{ Type, Host, PortNumber string }
}

func sessionDocument(t *testing.T, g *plan.Graph, name string) (plan.Resource, portDocument) {
	t.Helper()
	r, err := stacktest.Named(g, typetoken.SSMDocument, name)
	if err != nil {
		t.Fatal(err)
	}
	var d portDocument
	if err := json.Unmarshal([]byte(r.String("content")), &d); err != nil {
		t.Fatalf("%s: content: %v", name, err)
	}
	if r.String("documentType") != "Session" || d.SessionType != "Port" || d.Properties.Type != "LocalPortForwarding" {
		t.Errorf("%s: documentType %q, sessionType %q, type %q; want a Session document of type Port, LocalPortForwarding",
			name, r.String("documentType"), d.SessionType, d.Properties.Type)
	}
	return r, d
}

// apiServerHost is the host the platform's Kubernetes provider connects
// to: the cluster endpoint's.
func apiServerHost(t *testing.T, g *plan.Graph) string {
	t.Helper()
	p, err := stacktest.Named(g, "pulumi:providers:kubernetes", "platform-k8s")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(p.String("kubeconfig"), "\n") {
		if s, ok := strings.CutPrefix(strings.TrimSpace(line), "server: "); ok {
			if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
				return u.Hostname()
			}
		}
	}
	t.Fatal("the Kubernetes provider's kubeconfig names no server")
	return ""
}

// TestBastionSessionDocuments (review N11): with the bastion, the stack
// holds the tunnel's Port document, whose host is the cluster endpoint's
// and port 443, both fixed (the only parameter is the caller's local
// port), and the drill's, whose port is 5432 and whose host parameter
// admits only a drill's restored instance of this database. Without the
// bastion there are none.
func TestBastionSessionDocuments(t *testing.T) {
	g := stacktest.Graph(t, "prod")
	sp := stacktest.Spec(t, "prod")

	r, tun := sessionDocument(t, g, "bastion-tunnel-document")
	if got, want := r.DeclaredName(), bastion.TunnelDocumentName(sp.ClusterName); got != want {
		t.Errorf("tunnel document named %q, want %q", got, want)
	}
	if host := apiServerHost(t, g); tun.Properties.Host != host || tun.Properties.PortNumber != "443" {
		t.Errorf("the tunnel forwards to %s:%s, want the endpoint %s:443", tun.Properties.Host, tun.Properties.PortNumber, host)
	}
	if len(tun.Parameters) != 1 || tun.Parameters["localPortNumber"].AllowedPattern == "" {
		t.Errorf("tunnel document parameters %v, want only a restricted localPortNumber", tun.Parameters)
	}

	r, dr := sessionDocument(t, g, "bastion-drill-document")
	if got, want := r.DeclaredName(), bastion.DrillDocumentName(sp.ClusterName); got != want {
		t.Errorf("drill document named %q, want %q", got, want)
	}
	if dr.Properties.Host != "{{ host }}" || dr.Properties.PortNumber != "5432" || len(dr.Parameters) != 2 {
		t.Errorf("drill document forwards to %s:%s with parameters %v, want {{ host }}:5432 with host and localPortNumber",
			dr.Properties.Host, dr.Properties.PortNumber, dr.Parameters)
	}
	db := stacktest.One(t, g, typetoken.DBInstance).String("identifier")
	const domain = ".abcdefghijkl.eu-west-1.rds.amazonaws.com" // the offline engine's RDS domain
	hostPattern := regexp.MustCompile(dr.Parameters["host"].AllowedPattern)
	restored := drill.TempID(db, time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)) + domain
	for host, want := range map[string]bool{
		restored:      true,
		db + domain:   false, // the source database itself
		"10.100.0.10": false,
		"internal-alb-1." + strings.TrimPrefix(domain, "."): false,
		restored + ".attacker.example":                      false,
	} {
		if got := hostPattern.MatchString(host); got != want {
			t.Errorf("drill document host pattern %s admits %s: %t, want %t", hostPattern, host, got, want)
		}
	}

	without := stacktest.Evaluate(t, "prod", "bastion.enabled=false", "clusterEndpointPrivateAccessCidrs=[10.200.0.0/16]")
	if docs := without.ByType(typetoken.SSMDocument); len(docs) != 0 {
		t.Errorf("without the bastion the stack declares %d session documents", len(docs))
	}
}
