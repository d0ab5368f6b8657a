package drill_test

import (
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/drill"
	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/verify"
)

func target(t *testing.T, g *plan.Graph) drill.Target {
	t.Helper()
	e, err := verify.Expect(g)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := drill.TargetOf(g, e)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// TestProdDefaultsMakeTheDrillPossible reads the drill's preconditions
// off prod's evaluated program: automated backups kept, artifact
// versioning on, IAM database authentication, a database to check. It
// fails when one of those defaults is broken.
func TestProdDefaultsMakeTheDrillPossible(t *testing.T) {
	tg := target(t, stacktest.Graph(t, "prod"))
	if err := tg.Preconditions(); err != nil {
		t.Fatalf("prod's defaults cannot make the drill succeed: %v", err)
	}
	if tg.DBInstance != "mlops-platform-prod-mlflow" || tg.Database != "mlflow" || tg.BackupRetention < 1 || !tg.Versioning ||
		tg.BucketPrefix != "mlops-platform-prod-artifacts-" {
		t.Errorf("target %+v", tg)
	}
}

// TestPreconditionsNameTheKey: a stack without backups or versioning is
// refused, naming the configuration key.
func TestPreconditionsNameTheKey(t *testing.T) {
	tg := target(t, stacktest.Evaluate(t, "dev", "database.backupRetentionDays=0", "artifacts.versioning=false"))
	err := tg.Preconditions()
	for _, want := range []string{"database.backupRetentionDays is 0", "artifacts.versioning is off"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("preconditions %v, want %q", err, want)
		}
	}
}
