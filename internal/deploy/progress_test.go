package deploy

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

func outputs(op apitype.OpType, typ, name string) events.EngineEvent {
	return events.EngineEvent{EngineEvent: apitype.EngineEvent{ResOutputsEvent: &apitype.ResOutputsEvent{
		Metadata: apitype.StepEventMetadata{Op: op, URN: urnPrefix + typ + "::" + name, Type: typ},
	}}}
}

func diag(urn, msg string) events.EngineEvent {
	return events.EngineEvent{EngineEvent: apitype.EngineEvent{DiagnosticEvent: &apitype.DiagnosticEvent{URN: urn, Message: msg, Severity: "error"}}}
}

// fakeClock advances a second per reading.
func fakeClock() func() time.Time {
	t := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func TestProgressPlain(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, false, 0, 2, fakeClock())
	for _, e := range []events.EngineEvent{
		pre(apitype.OpSame, "aws:kms/key:Key", "keys-logs", true),
		pre(apitype.OpCreate, "aws:iam/role:Role", "cluster-role", false),
		outputs(apitype.OpCreate, "aws:iam/role:Role", "cluster-role"),
		pre(apitype.OpCreate, "aws:eks/cluster:Cluster", "cluster", false),
		diag(urnPrefix+"aws:eks/cluster:Cluster::cluster", "\x1b[31mcreating EKS cluster: AccessDenied\x1b[0m\n  more"),
		diag(urnPrefix+"pulumi:pulumi:Stack::mlops-platform-prod-aws", "update failed"),
	} {
		p.Handle(e)
	}
	want := strings.Join([]string{
		"[0/2 00:01] creating  aws:iam/role:Role cluster-role",
		"[1/2 00:02] created   aws:iam/role:Role cluster-role",
		"[1/2 00:03] creating  aws:eks/cluster:Cluster cluster",
		"[1/2 00:04] FAILED    aws:eks/cluster:Cluster cluster: creating EKS cluster: AccessDenied more",
		"",
	}, "\n")
	if b.String() != want {
		t.Errorf("progress\n%s\nwant\n%s", b.String(), want)
	}
	if f := p.Failures(); len(f) != 1 || f[0].Name != "cluster" || f[0].Type != "aws:eks/cluster:Cluster" {
		t.Errorf("failures %+v", f)
	}
}

func TestProgressTerminal(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, true, 60, 3, fakeClock())
	p.Handle(pre(apitype.OpCreate, "aws:eks/cluster:Cluster", "cluster", false))
	p.Handle(pre(apitype.OpCreate, "aws:rds/instance:Instance", "database", false))
	out := b.String()
	// The status line names what is in flight and is redrawn in place.
	last := out[strings.LastIndex(out, "\n")+1:]
	if !strings.HasPrefix(last, "0/3 done") || !strings.Contains(last, "in progress: cluster (create), dat") {
		t.Errorf("status line %q", last)
	}
	if !strings.Contains(out, "\r\x1b[2K") {
		t.Error("the status line is not erased before a new line")
	}
	for _, line := range strings.Split(strings.ReplaceAll(out, "\r\x1b[2K", "\n"), "\n") {
		if len([]rune(line)) > 60 {
			t.Errorf("line wider than the terminal: %q", line)
		}
	}
}
