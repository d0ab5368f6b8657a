package spec

import (
	"net/url"
	"strings"
)

// Charts selects where the in-cluster layer's Helm charts come from. In
// every mode the releases install the versions pinned in the program.
type Charts struct {
	// Source is public (each chart's public repository, the default),
	// mirror (one OCI registry or Helm repository holding every chart, for
	// accounts without internet access) or local (a directory).
	Source string `json:"source"`
	// Mirror is the mirror's URL with source mirror: oci://host/path (the
	// charts are oci://host/path/<chart>) or https://host/path (a Helm
	// repository with an index.yaml).
	Mirror string `json:"mirror,omitempty"`
	// Dir is the directory with source local: one folder per chart, laid
	// out as the repository's third_party/charts (which is such a
	// directory). A relative path is relative to where the program runs.
	Dir string `json:"dir,omitempty"`
}

// Chart sources.
const (
	ChartsPublic = "public"
	ChartsMirror = "mirror"
	ChartsLocal  = "local"
)

// validateCharts checks the chart source and that the key it needs, and
// only that one, is set.
func validateCharts(c *collector, s *Spec) {
	ch := s.Charts
	switch ch.Source {
	case ChartsPublic, ChartsMirror, ChartsLocal:
	default:
		c.errf("charts.source", "must be %q, %q or %q, got %q", ChartsPublic, ChartsMirror, ChartsLocal, ch.Source)
		return
	}
	if ch.Source == ChartsMirror {
		if ch.Mirror == "" {
			c.errf("charts.mirror", "charts.source is mirror: set the mirror's URL (oci://registry/path or https://helm.example.com/charts)")
		} else if u, err := url.Parse(ch.Mirror); err != nil || (u.Scheme != "oci" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			c.errf("charts.mirror", "%q is not an oci:// registry path or an https:// Helm repository URL", ch.Mirror)
		}
	} else if ch.Mirror != "" {
		c.errf("charts.mirror", "is read only with charts.source=mirror (source is %s)", ch.Source)
	}
	if ch.Source == ChartsLocal {
		if strings.TrimSpace(ch.Dir) == "" {
			c.errf("charts.dir", "charts.source is local: set the directory holding one folder per chart (such as third_party/charts)")
		}
	} else if ch.Dir != "" {
		c.errf("charts.dir", "is read only with charts.source=local (source is %s)", ch.Source)
	}
}
