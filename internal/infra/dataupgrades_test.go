package infra_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestDatabaseUpgradesAndOrdering.
func TestDatabaseUpgradesAndOrdering(t *testing.T) {
	for stack, immediately := range map[string]bool{"prod": false, "dev": true} {
		db := stacktest.One(t, stacktest.Graph(t, stack), tDB)
		if err := expect(db, "allowMajorVersionUpgrade", true); err != nil {
			t.Error(err)
		}
		if err := expect(db, "applyImmediately", immediately); err != nil {
			t.Error(err)
		}
	}
	g := stacktest.Graph(t, "prod")
	db := stacktest.One(t, g, tDB)
	att, err := stacktest.Named(g, typetoken.RolePolicyAttachment, "database-monitoring")
	if err != nil {
		t.Fatal(err)
	}
	if !g.DependsOn(db.URN, att.URN) {
		t.Error("the RDS instance does not wait for its monitoring role's policy attachment")
	}
	fl := stacktest.One(t, g, typetoken.FlowLog)
	pol, err := stacktest.Named(g, tRolePol, "logs-flow-logs")
	if err != nil {
		t.Fatal(err)
	}
	if !g.DependsOn(fl.URN, pol.URN) {
		t.Error("the flow log does not wait for its role's policy")
	}
	// The final snapshot carries the data key's ID and a fingerprint of
	// the inputs that replace the instance: a new stack (new key) or a
	// replacement never collides with the snapshot an earlier deletion
	// left behind.
	snap := fmt.Sprint(db.Inputs["finalSnapshotIdentifier"])
	key, err := stacktest.Named(g, tKey, "keys-data")
	if err != nil {
		t.Fatal(err)
	}
	prefix := fmt.Sprint(db.Inputs["identifier"]) + "-final-" + key.ID[:8] + "-"
	if rest, ok := strings.CutPrefix(snap, prefix); !ok || len(rest) != 8 {
		t.Errorf("finalSnapshotIdentifier %q, want %s<8 hex digits>", snap, prefix)
	}
}
