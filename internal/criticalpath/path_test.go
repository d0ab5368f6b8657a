package criticalpath

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlops-platform/mlops-platform/internal/stack/stacktest"
	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

var (
	once    sync.Once
	results map[string]*Result
	evalErr error
)

// stackResult evaluates and schedules dev and prod once per test binary.
func stackResult(t *testing.T, stack string) *Result {
	t.Helper()
	once.Do(func() {
		results = map[string]*Result{}
		for _, st := range []string{"dev", "prod"} {
			var err error
			if results[st], err = Estimate(stacktest.Graph(t, st)); err != nil {
				evalErr = err
				return
			}
		}
	})
	if evalErr != nil {
		t.Fatal(evalErr)
	}
	return results[stack]
}

func find(t *testing.T, r *Result, typ string) string {
	t.Helper()
	for _, res := range r.g.Resources {
		if res.Type == typ {
			return res.URN
		}
	}
	t.Fatalf("no %s in %s", typ, r.Stack)
	return ""
}

func TestRDSIsNotOnTheClusterPath(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			r := stackResult(t, stack)
			cluster := find(t, r, typetoken.Cluster)
			db := find(t, r, typetoken.DBInstance)
			if r.Waits(cluster, db) || r.Waits(db, cluster) {
				t.Fatalf("a dependency serialises the cluster and the database (cluster waits: %v, db waits: %v)",
					r.Waits(cluster, db), r.Waits(db, cluster))
			}
			for _, s := range r.PathTo(cluster) {
				if s.Type == typetoken.DBInstance {
					t.Errorf("RDS instance %s on the cluster's path", s.Name)
				}
			}
		})
	}
}

func TestCriticalPath(t *testing.T) {
	tests := []struct {
		stack    string
		min, max time.Duration
	}{
		{"dev", 15 * time.Minute, 45 * time.Minute},
		{"prod", 18 * time.Minute, 45 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.stack, func(t *testing.T) {
			r := stackResult(t, tc.stack)
			if r.Total < tc.min || r.Total > tc.max {
				t.Errorf("total %s outside [%s, %s]", r.Total, tc.min, tc.max)
			}
			var types []string
			var prev time.Duration
			for _, s := range r.Path {
				if s.Start < prev {
					t.Errorf("%s starts at %s before its predecessor finishes at %s", s.Name, s.Start, prev)
				}
				prev = s.Finish
				types = append(types, s.Type)
			}
			if prev != r.Total {
				t.Errorf("path ends at %s, total is %s", prev, r.Total)
			}
			if !strings.Contains(strings.Join(types, " "), typetoken.Cluster) {
				t.Errorf("critical path misses the cluster: %v", types)
			}
		})
	}
}
