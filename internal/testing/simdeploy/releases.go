package simdeploy

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"text/tabwriter"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mlops-platform/mlops-platform/internal/plan"
	"github.com/mlops-platform/mlops-platform/internal/testing/simcluster"
)

// The annotations Helm puts on every object it installs, naming the
// release and the release's namespace (a chart may place objects in
// others, as node-exporter's).
const (
	releaseAnnotation          = "meta.helm.sh/release-name"
	releaseNamespaceAnnotation = "meta.helm.sh/release-namespace"
)

// DeployedRelease is one release as Helm recorded it in the cluster, with
// the workloads it installed.
type DeployedRelease struct {
	plan.ReleaseRow
	// Status is Helm's status of the release's latest revision (deployed,
	// failed, pending-install...), or "absent".
	Status    string
	Revision  string
	Workloads []Workload
}

// Ready reports whether every workload of the release is available.
func (r DeployedRelease) Ready() bool {
	for _, w := range r.Workloads {
		if !w.Available() {
			return false
		}
	}
	return true
}

// DeployedReleases reads, for each release the graph declares, Helm's
// record of it (the release Secrets Helm keeps in the release's
// namespace) and the status of the Deployments, StatefulSets and
// DaemonSets it installed (found by releaseAnnotation). However the layer
// was deployed, this is what the cluster holds.
func DeployedReleases(ctx context.Context, c *simcluster.Cluster, want []plan.ReleaseRow) ([]DeployedRelease, error) {
	var out []DeployedRelease
	byRelease := map[string][]Workload{}
	add := func(kind string, m metav1.ObjectMeta) {
		key := m.Annotations[releaseNamespaceAnnotation] + "/" + m.Annotations[releaseAnnotation]
		byRelease[key] = append(byRelease[key], Workload{Kind: kind, Namespace: m.Namespace, Name: m.Name})
	}
	apps := c.Client.AppsV1()
	deps, err := apps.Deployments("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing Deployments: %w", err)
	}
	for _, d := range deps.Items {
		add("Deployment", d.ObjectMeta)
	}
	sts, err := apps.StatefulSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing StatefulSets: %w", err)
	}
	for _, s := range sts.Items {
		add("StatefulSet", s.ObjectMeta)
	}
	dss, err := apps.DaemonSets("").List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("listing DaemonSets: %w", err)
	}
	for _, d := range dss.Items {
		add("DaemonSet", d.ObjectMeta)
	}
	for _, r := range want {
		row := DeployedRelease{ReleaseRow: r, Status: "absent"}
		secrets, err := c.Client.CoreV1().Secrets(r.Namespace).List(ctx, metav1.ListOptions{LabelSelector: "owner=helm,name=" + r.Release})
		if err != nil {
			return nil, fmt.Errorf("reading release %s/%s: %w", r.Namespace, r.Release, err)
		}
		latest := -1
		for _, s := range secrets.Items {
			var v int
			if _, err := fmt.Sscan(s.Labels["version"], &v); err == nil && v > latest {
				latest, row.Status, row.Revision = v, s.Labels["status"], s.Labels["version"]
			}
		}
		for _, w := range byRelease[r.Namespace+"/"+r.Release] {
			row.Workloads = append(row.Workloads, Status(ctx, c.Client, w))
		}
		sort.Slice(row.Workloads, func(i, j int) bool { return row.Workloads[i].String() < row.Workloads[j].String() })
		out = append(out, row)
	}
	return out, nil
}

// ReleaseTable renders rows: release, chart and version, Helm's status,
// the workloads it installed and their pods ready.
func ReleaseTable(rows []DeployedRelease) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "RELEASE\tNAMESPACE\tCHART\tHELM STATUS\tWORKLOADS\tPODS READY")
	for _, r := range rows {
		ready, desired := int32(0), int32(0)
		for _, wl := range r.Workloads {
			ready += wl.Ready
			desired += wl.Desired
		}
		fmt.Fprintf(w, "%s\t%s\t%s %s\t%s (rev %s)\t%d\t%d/%d\n", r.Release, r.Namespace, path.Base(r.Chart), r.Version, r.Status, r.Revision, len(r.Workloads), ready, desired)
	}
	w.Flush()
	return b.String()
}
