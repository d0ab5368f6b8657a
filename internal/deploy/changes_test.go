package deploy

import (
	"errors"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

const urnPrefix = "urn:pulumi:prod-aws::mlops-platform::"

func pre(op apitype.OpType, typ, name string, protect bool) events.EngineEvent {
	st := &apitype.StepEventStateMetadata{Protect: protect}
	return events.EngineEvent{EngineEvent: apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{
		Metadata: apitype.StepEventMetadata{Op: op, URN: urnPrefix + typ + "::" + name, Type: typ, Old: st, New: st},
	}}}
}

func TestSummarize(t *testing.T) {
	s := summarize("aws", []events.EngineEvent{
		pre(apitype.OpSame, "aws:kms/key:Key", "keys-logs", true),
		pre(apitype.OpCreate, "aws:iam/role:Role", "cluster-role", false),
		pre(apitype.OpUpdate, "aws:eks/cluster:Cluster", "cluster", false),
		pre(apitype.OpCreateReplacement, "aws:rds/instance:Instance", "database", true),
		pre(apitype.OpReplace, "aws:rds/instance:Instance", "database", true),
		pre(apitype.OpDeleteReplaced, "aws:rds/instance:Instance", "database", true),
		pre(apitype.OpDelete, "aws:eks/nodeGroup:NodeGroup", "nodes-general", false),
		pre(apitype.OpDelete, "aws:eks/nodeGroup:NodeGroup", "nodes-gpu", false),
	})
	if got := s.Line(); got != "1 to create, 1 to update, 1 to replace, 2 to delete" {
		t.Errorf("summary %q", got)
	}
	var risky []string
	for _, c := range s.Risky() {
		risky = append(risky, c.Name)
	}
	if strings.Join(risky, ",") != "database,nodes-general" {
		t.Errorf("risky %v, want the database (protected) and the general node group (stateful)", risky)
	}
}

func TestGate(t *testing.T) {
	s := summarize("aws", []events.EngineEvent{
		pre(apitype.OpReplace, "aws:rds/instance:Instance", "database", true),
		pre(apitype.OpDelete, "aws:s3/bucketV2:BucketV2", "artifacts", false),
		pre(apitype.OpUpdate, "aws:kms/key:Key", "keys-data", true),
		pre(apitype.OpDelete, "aws:iam/role:Role", "irsa-kserve", false),
	})
	tests := []struct {
		name  string
		prod  bool
		allow []string
		held  []string
	}{
		{"dev passes", false, nil, nil},
		{"prod holds both", true, nil, []string{"database", "artifacts"}},
		{"prod one named", true, []string{"database"}, []string{"artifacts"}},
		{"prod all named", true, []string{"artifacts", "database"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Gate(tt.prod, s, tt.allow)
			var refused *RefusedError
			if len(tt.held) == 0 {
				if err != nil {
					t.Fatalf("Gate: %v", err)
				}
				return
			}
			if !errors.As(err, &refused) || len(refused.Changes) != len(tt.held) {
				t.Fatalf("Gate: %v, want %v held", err, tt.held)
			}
			for _, n := range tt.held {
				if !strings.Contains(err.Error(), "--allow-replace "+n) {
					t.Errorf("the refusal does not say --allow-replace %s: %v", n, err)
				}
			}
		})
	}
}
