package diagram

import "github.com/mlops-platform/mlops-platform/internal/plan"

// font is one Graphviz ships metrics for, so the layout is the same
// wherever it is rendered.
const font = "Helvetica"

var (
	nodeDefaults = Attrs{"shape": "box", "style": "rounded,filled", "fillcolor": "white", "fontname": font, "fontsize": "10", "margin": "0.15,0.06"}
	edgeDefaults = Attrs{"fontname": font, "fontsize": "9", "color": "#555555", "arrowsize": "0.7"}
)

// style are the attributes of each kind of box and edge.
var style = map[string]Attrs{
	// Boxes (clusters).
	"vpc":        {"fontsize": "11", "style": "rounded,filled", "fillcolor": "#f2f8ee", "color": "#6a9f4a"},
	"az":         {"fontsize": "11", "style": "rounded,dashed,filled", "fillcolor": "#ffffff", "color": "#6a9f4a"},
	"eks":        {"fontsize": "11", "style": "rounded,filled", "fillcolor": "#fdf3e7", "color": "#e07b00"},
	"addons":     {"fontsize": "11", "style": "rounded,dashed", "color": "#e07b00"},
	"kubernetes": {"fontsize": "11", "style": "rounded,filled", "fillcolor": "#eef3fb", "color": "#326ce5"},
	"namespace":  {"fontsize": "11", "style": "rounded,dashed,filled", "fillcolor": "#ffffff", "color": "#326ce5"},
	"rds":        {"fontsize": "11", "style": "rounded,filled", "fillcolor": "#eef0fb", "color": "#3b48cc"},
	"s3":         {"fontsize": "11", "style": "rounded,filled", "fillcolor": "#f1f8ef", "color": "#3f8624"},
	"kms":        {"fontsize": "11", "style": "rounded,filled", "fillcolor": "#fbeeee", "color": "#c7131f"},
	"iam":        {"fontsize": "11", "style": "rounded,filled", "fillcolor": "#fbeef3", "color": "#bf0816"},
	"irsa":       {"fontsize": "11", "style": "rounded,dashed,filled", "fillcolor": "#ffffff", "color": "#bf0816"},
	// Nodes.
	"public":  {"fillcolor": "#e4f2d9"},
	"private": {"fillcolor": "#dbe9f6"},
	"ALB":     {"fillcolor": "#f6ecd9"},
	"gateway": {"fillcolor": "#f3e6f7"},
	"compute": {"fillcolor": "#ffe7c2"},
	"control": {"fillcolor": "#ffd9a0"},
	"addon":   {"fillcolor": "#fff4e0"},
	"release": {"fillcolor": "#dde7fa"},
	"job":     {"fillcolor": "#eef3fb"},
	"sa":      {"fillcolor": "#f0f4fc", "shape": "note", "style": "filled"},
	"data":    {"fillcolor": "#e3e6fa", "shape": "cylinder", "style": "filled"},
	"key":     {"fillcolor": "#f8dede"},
	"role":    {"fillcolor": "#f8dfe8"},
	// Edges.
	"egress":    {"style": "dashed", "color": "#6a9f4a"},
	"placement": {"color": "#7d8aa0"},
	"assumes":   {"style": "dashed", "color": "#bf0816"},
	"uses":      {"color": "#3b48cc"},
}

// graphAttrs are the whole diagram's: left to right, compound edges on,
// the stack named in the title.
func graphAttrs(g *plan.Graph) Attrs {
	return Attrs{
		"label":     "mlops-platform: stack " + g.Stack,
		"labelloc":  "t",
		"fontname":  font,
		"fontsize":  "16",
		"rankdir":   "LR",
		"compound":  "true",
		"newrank":   "true",
		"nodesep":   "0.25",
		"ranksep":   "0.6",
		"fontcolor": "#222222",
	}
}
