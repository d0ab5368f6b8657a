package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDeployerPolicyCommand(t *testing.T) {
	out, _, err := run(t, "deployer-policy", "--stack", "prod", "--dir", repoRoot())
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Stack    string
		Policies []struct {
			Size     int
			Document struct{ Statement []struct{ Action []string } }
		}
		Boundary struct {
			Name, ARN string
			Document  struct{ Statement []struct{ Action []string } }
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if res.Stack != "prod" || len(res.Policies) == 0 || !strings.Contains(out, `"rds:CreateDBInstance"`) {
		t.Fatalf("unexpected policy for prod:\n%s", out)
	}
	// The boundary an administrator creates from this output.
	if res.Boundary.Name != "mlops-platform-prod-permissions-boundary" || !strings.HasSuffix(res.Boundary.ARN, ":policy/"+res.Boundary.Name) ||
		len(res.Boundary.Document.Statement) == 0 {
		t.Errorf("no boundary for prod in the output: %+v", res.Boundary)
	}
	if _, _, err := run(t, "deployer-policy"); ExitCode(err) != ExitUsage {
		t.Errorf("no --stack: exit %d, want %d", ExitCode(err), ExitUsage)
	}
}
