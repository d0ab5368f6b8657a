package platform

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/charts"
)

// ChartSource is where the releases' charts come from (spec key charts).
type ChartSource struct {
	// Source is public, mirror or local.
	Source string
	// Mirror is an oci:// registry path or an https:// Helm repository.
	Mirror string
	// Dir holds one folder per chart (Release.Dir), as third_party/charts.
	Dir string
}

// Chart sources, as the spec spells them.
const (
	SourcePublic = "public"
	SourceMirror = "mirror"
	SourceLocal  = "local"
)

// Location returns the chart reference and repository the Helm release
// is given for src: a local chart's path (its Chart.yaml version checked
// against the pin, since Helm ignores the version of a path), or the chart
// in the public repository or the mirror, where Helm fetches the pinned
// version itself and fails if the repository lacks it.
func (r Release) Location(src ChartSource) (chart, repo string, err error) {
	base := r.Repo
	switch src.Source {
	case SourceLocal:
		path := filepath.Join(src.Dir, r.Dir)
		got, err := charts.Version(path)
		if err != nil {
			return "", "", fmt.Errorf("charts.dir: release %s: %w", r.Name, err)
		}
		if got != r.Version {
			return "", "", fmt.Errorf("charts.dir: %s holds %s %s, release %s pins %s", path, r.Chart, got, r.Name, r.Version)
		}
		return path, "", nil
	case SourceMirror:
		base = src.Mirror
	case SourcePublic, "":
	default:
		return "", "", fmt.Errorf("charts.source: unknown source %q", src.Source)
	}
	if strings.HasPrefix(base, "oci://") {
		return strings.TrimSuffix(base, "/") + "/" + r.Chart, "", nil
	}
	return r.Chart, base, nil
}
