package simdeploy

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/mlops-platform/mlops-platform/internal/testing/apiserver"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// ReleaseReport is what deploying one release did.
type ReleaseReport struct {
	Name, Namespace, Chart, Version string
	// Rendered counts the objects Helm rendered (CRDs and hooks included).
	Rendered int
	// Applied counts the objects the API server accepted.
	Applied int
	// Refused are the objects the API server refused, with why.
	Refused []string
	// Workloads are the release's Deployments, StatefulSets and
	// DaemonSets as they stood when the release's wait ended.
	Workloads []Workload
	// Applying is the time from the first apply to the last (hook Jobs
	// waited for); Took adds the wait for the workloads.
	Applying, Took time.Duration
}

// Ready reports whether every workload of the release is available.
func (r ReleaseReport) Ready() bool {
	for _, w := range r.Workloads {
		if !w.Available() {
			return false
		}
	}
	return true
}

// Report is what Deploy did.
type Report struct {
	Releases []ReleaseReport
	// Refused are the program's own objects the API server refused.
	Refused []string
}

// Deploy applies the layer in order, as the program does: the
// foundation, every release's CRDs (waiting until they are established),
// then each release (pre-install hooks, waiting for hook Jobs to
// complete; the manifest in Helm's kind order; post-install hooks) and a
// wait of up to wait for its workloads to be available, as an install
// with --wait does; then the dependents and, last, the APIServices (see
// StandIns). Webhook configurations are redirected to standIn first.
// A refusal or a release not ready does not stop the deploy; the report
// holds them.
func Deploy(ctx context.Context, c *simcluster.Cluster, l Layer, standIn *StandIn, wait time.Duration, log *slog.Logger) (Report, error) {
	var rep Report
	refused, err := apply(ctx, c, l.Foundation, nil)
	if err != nil {
		return rep, err
	}
	rep.Refused = append(rep.Refused, refused...)
	var crds []apiserver.Object
	for _, r := range l.Releases {
		for _, o := range r.Objects {
			if o.GetKind() == "CustomResourceDefinition" {
				crds = append(crds, wrap(r.Name, o))
			}
		}
	}
	crdRefused, err := apply(ctx, c, crds, nil)
	if err != nil {
		return rep, err
	}
	if err := c.WaitEstablished(ctx, crds); err != nil {
		return rep, err
	}
	var deferred []apiserver.Object
	for _, r := range l.Releases {
		begin := time.Now()
		rr := ReleaseReport{Name: r.Name, Namespace: r.Namespace, Chart: r.Chart, Version: r.Version, Rendered: len(r.Objects)}
		applied := map[string]bool{}
		for _, o := range r.Objects {
			if o.GetKind() == "CustomResourceDefinition" {
				applied[wrap(r.Name, o).URN] = true
			}
		}
		for _, msg := range crdRefused {
			if strings.HasPrefix(msg, r.Name+": ") {
				rr.Refused = append(rr.Refused, msg)
			}
		}
		pre, main, post := phases(r.Objects)
		for _, phase := range [][]*unstructured.Unstructured{pre, main, post} {
			var batch []apiserver.Object
			for _, o := range phase {
				if _, err := standIn.Redirect(o); err != nil {
					return rep, err
				}
				if o.GetKind() == "APIService" {
					deferred = append(deferred, wrap(r.Name, o))
					continue
				}
				batch = append(batch, wrap(r.Name, o))
			}
			refused, err := apply(ctx, c, batch, applied)
			if err != nil {
				return rep, err
			}
			rr.Refused = append(rr.Refused, refused...)
			if err := waitJobs(ctx, c, batch, wait); err != nil {
				rr.Refused = append(rr.Refused, err.Error())
			}
		}
		rr.Applied = len(applied)
		rr.Applying = time.Since(begin)
		rr.Workloads = WaitAvailable(ctx, c.Client, workloadRefs(r.Objects), wait)
		rr.Took = time.Since(begin)
		log.Info("release deployed", "release", r.Name, "applied", rr.Applied, "refused", len(rr.Refused), "ready", rr.Ready(), "took", rr.Took.Round(time.Millisecond))
		rep.Releases = append(rep.Releases, rr)
	}
	for _, objs := range [][]apiserver.Object{l.Dependents, deferred} {
		refused, err := apply(ctx, c, objs, nil)
		if err != nil {
			return rep, err
		}
		rep.Refused = append(rep.Refused, refused...)
	}
	return rep, nil
}

// apply server-side applies objs, returns the refusals and marks in
// applied (when not nil) the URNs of those accepted.
func apply(ctx context.Context, c *simcluster.Cluster, objs []apiserver.Object, applied map[string]bool) (refused []string, err error) {
	res, err := c.Apply(ctx, objs)
	if err != nil {
		return nil, err
	}
	for _, a := range res {
		switch {
		case a.Err != nil:
			refused = append(refused, fmt.Sprintf("%s: %v", a.Object.URN, a.Err))
		case applied != nil:
			applied[a.Object.URN] = true
		}
	}
	return refused, nil
}

// wrap names a rendered object by its release.
func wrap(release string, o *unstructured.Unstructured) apiserver.Object {
	return apiserver.Object{URN: fmt.Sprintf("%s: %s %s/%s", release, o.GetKind(), o.GetNamespace(), o.GetName()), Unstructured: o}
}
