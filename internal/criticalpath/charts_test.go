package criticalpath

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// workloadKind matches a manifest kind that runs pods.
var workloadKind = regexp.MustCompile(`(?m)^kind:\s*(Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|Pod)\b`)

// TestWorkloadFreeChartsRenderNoPods reads the repository's copy of each
// chart counted as seconds (templates and the files they include): none
// may declare a kind that runs pods, or its release would roll out like
// any other.
func TestWorkloadFreeChartsRenderNoPods(t *testing.T) {
	for chart := range WorkloadFreeCharts {
		dir := filepath.Join("..", "..", "third_party", "charts", chart)
		manifests := 0
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if m := workloadKind.FindSubmatch(b); m != nil {
				t.Errorf("%s: %s declares a %s", chart, p, m[1])
			}
			if regexp.MustCompile(`(?m)^kind:`).Match(b) {
				manifests++
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", chart, err)
		}
		if manifests == 0 {
			t.Errorf("%s: no manifest found under %s", chart, dir)
		}
	}
	// The check itself: a Deployment is seen.
	if !workloadKind.MatchString("apiVersion: apps/v1\nkind: Deployment\n") {
		t.Fatal("workloadKind misses a Deployment")
	}
}
