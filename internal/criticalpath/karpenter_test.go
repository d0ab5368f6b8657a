package criticalpath

import (
	"strings"
	"testing"

	"github.com/mlops-platform/mlops-platform/internal/typetoken"
)

// TestKarpenterIsOnTheFirstDeploy: the first deploy schedules the
// Karpenter release after its CRDs and its AWS side (the controller's
// role, the interruption queue), and the NodePools after the CRDs; the
// release's finish includes them.
func TestKarpenterIsOnTheFirstDeploy(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			r := stackResult(t, stack)
			byName := map[string]string{}
			for _, res := range r.g.Resources {
				byName[res.Type+" "+res.Name] = res.URN
			}
			release := byName[typetoken.HelmRelease+" platform-karpenter"]
			crds := byName[typetoken.HelmRelease+" platform-karpenter-crd"]
			queue := byName[typetoken.SQSQueue+" karpenter-interruption"]
			role := byName[typetoken.Role+" karpenter-controller"]
			pool := byName[typetoken.NodePool+" platform-nodepool-gpu"]
			for what, urn := range map[string]string{"release": release, "CRD release": crds, "queue": queue, "controller role": role, "gpu NodePool": pool} {
				if urn == "" {
					t.Fatalf("no Karpenter %s in %s", what, stack)
				}
				if _, ok := r.Finish(urn); !ok {
					t.Errorf("the %s is not scheduled", what)
				}
			}
			for _, w := range []struct{ from, to, why string }{
				{release, crds, "the controller needs its CRDs"},
				{release, queue, "settings.interruptionQueue names the queue"},
				{release, role, "the service account's role"},
				{pool, crds, "a NodePool needs its CRD"},
			} {
				if !r.Waits(w.from, w.to) {
					t.Errorf("%s does not wait for %s (%s)", w.from, w.to, w.why)
				}
			}
			rel, _ := r.Finish(release)
			q, _ := r.Finish(queue)
			if rel <= q {
				t.Errorf("release finishes at %s, not after the queue (%s)", rel, q)
			}
			for _, s := range r.PathTo(release) {
				t.Logf("%8s %8s %-40s %s", s.Start, s.Finish, s.Type, strings.TrimPrefix(s.Name, "platform-"))
			}
		})
	}
}
