package cli

import (
	"fmt"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mlops-platform/mlops-platform/internal/deploy"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// pulumiSDK is the module path of the Pulumi Go SDK.
const pulumiSDK = "github.com/pulumi/pulumi/sdk/v3"

// versionView is what `mlops version` reports: what a bug report needs.
type versionView struct {
	// Commit is the build's VCS revision (vcs.revision), "unknown" when the
	// binary was built without VCS information (go run, go test).
	Commit string `json:"commit"`
	// CommitTime is vcs.time; Modified is vcs.modified (uncommitted changes).
	CommitTime string `json:"commitTime,omitempty"`
	Modified   bool   `json:"modified"`
	Go         string `json:"go"`
	// PulumiSDK is the SDK compiled in; the Pulumi CLI must be at least it.
	PulumiSDK string `json:"pulumiSdk"`
	// Plugins are the resource plugins' pinned versions (deploy.Plugins).
	Plugins map[string]string `json:"plugins"`
}

// readVersion builds the view from the binary's build information.
func readVersion(info *debug.BuildInfo, ok bool) versionView {
	v := versionView{Commit: "unknown", PulumiSDK: "v" + deploy.SDKVersion, Plugins: deploy.Plugins}
	if !ok || info == nil {
		return v
	}
	v.Go = info.GoVersion
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.time":
			v.CommitTime = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	for _, d := range info.Deps {
		if d.Path == pulumiSDK {
			v.PulumiSDK = d.Version
		}
	}
	return v
}

// short is the one-line version (`mlops --version`).
func (v versionView) short() string {
	s := "mlops commit " + v.Commit
	if v.Modified {
		s += " (modified)"
	}
	return s
}

func newVersionCommand(env Env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "version [-o table|json]",
		Short: "The build's commit, and the Pulumi SDK and plugin versions it needs",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := output.Check(format); err != nil {
				return UsageError{err}
			}
			v := readVersion(env.BuildInfo())
			return output.Write(env.Out, format, v, func() []output.Section {
				names := make([]string, 0, len(v.Plugins))
				for n := range v.Plugins {
					names = append(names, n)
				}
				sort.Strings(names)
				var plugins []string
				for _, n := range names {
					plugins = append(plugins, n+" "+v.Plugins[n])
				}
				commit := v.Commit
				if v.CommitTime != "" {
					commit += " (" + v.CommitTime + ")"
				}
				if v.Modified {
					commit += ", modified"
				}
				return []output.Section{{Rows: [][]string{
					{"commit", commit},
					{"go", v.Go},
					{"pulumi sdk", fmt.Sprintf("%s (the Pulumi CLI must be at least this version)", v.PulumiSDK)},
					{"plugins", strings.Join(plugins, ", ")},
				}}}
			})
		},
	}
	cmd.Flags().StringVarP(&format, "output", "o", output.Table, "output format: table or json")
	return cmd
}
