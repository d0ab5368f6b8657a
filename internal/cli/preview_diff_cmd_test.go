package cli

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// TestPreviewDiffThroughEngine: through the real engine and the fake
// provider, a deployed dev AWS layer previews clean under
// --expect-no-changes; then a change of the general node group's instance
// types (an input the provider says forces a new node group, as EKS does)
// and of the log retention (in place) is previewed with each input's old
// → new and the replacement's reason, fails --expect-no-changes with
// exit 9, and is deployed with progress counting each step once, the
// replacement as two.
func TestPreviewDiffThroughEngine(t *testing.T) {
	e := newEngineCLI(t)
	_, stderr, err := e.run("up", "--stack", "dev", "--layer", "aws")
	wantCode(t, "up", err, ExitOK, stderr)
	out, stderr, err := e.run("preview", "--stack", "dev", "--layer", "aws", "--expect-no-changes")
	wantCode(t, "preview --expect-no-changes of the deployed stack", err, ExitOK, stderr+out)

	sets := []string{"--set", "nodeGroups.general.instanceTypes=[m6i.xlarge]", "--set", "logRetentionDays=14"}
	out, stderr, err = e.run(append([]string{"preview", "--stack", "dev", "--layer", "aws", "--expect-no-changes"}, sets...)...)
	wantCode(t, "preview --expect-no-changes of a change", err, ExitDrift, stderr+out)
	t.Logf("preview:\n%s", out)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^replace nodes-general \(aws:eks/nodeGroup:NodeGroup\): replaced because instanceTypes changed$`),
		// dev's general node group runs t3.large.
		regexp.MustCompile(`(?m)^    ~ instanceTypes: \["t3\.large"\] → \["m6i\.xlarge"\]  \(forces replacement\)$`),
		regexp.MustCompile(`(?m)^update \S+ \(aws:cloudwatch/logGroup:LogGroup\)$`),
		regexp.MustCompile(`(?m)^    ~ retentionInDays: \d+ → 14$`),
	} {
		if !want.MatchString(out) {
			t.Errorf("the preview lacks %s:\n%s", want, out)
		}
	}
	if !strings.Contains(err.Error(), "aws: 0 to create, 4 to update, 1 to replace, 0 to delete") {
		t.Errorf("--expect-no-changes error %v", err)
	}

	_, stderr, err = e.run(append([]string{"up", "--stack", "dev", "--layer", "aws", "--diff"}, sets...)...)
	wantCode(t, "up of the change", err, ExitOK, stderr)
	t.Logf("up:\n%s", stderr)
	for _, line := range []string{"created replacement aws:eks/nodeGroup:NodeGroup nodes-general", "deleted replaced aws:eks/nodeGroup:NodeGroup nodes-general"} {
		if n := strings.Count(stderr, line); n != 1 {
			t.Errorf("%q printed %d times, want once:\n%s", line, n, stderr)
		}
	}
	// The preview's 6 steps: 4 updates, the replacement's 2; the engine
	// may add dependents (the node group's autoscaler tags).
	var n, total int
	m := regexp.MustCompile(`dev-aws: \d+ of \d+ steps done`).FindString(stderr)
	if _, err := fmt.Sscanf(m, "dev-aws: %d of %d steps done", &n, &total); err != nil || n != total || total < 6 {
		t.Errorf("the deploy's last line %q does not count every step done (%v)\n%s", m, err, stderr)
	}
}
