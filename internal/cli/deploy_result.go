package cli

import (
	"github.com/mlops-platform/mlops-platform/internal/layer"
	"github.com/mlops-platform/mlops-platform/internal/output"
)

// Results of a layer in destroy's and refresh's -o json summary.
const (
	resultDestroyed        = "destroyed"
	resultNothingToDestroy = "nothing to destroy"
	resultRefreshed        = "refreshed"
	resultNotDeployed      = "not deployed"
)

// layerResult is what destroy or refresh did to one layer's stack.
type layerResult struct {
	Layer string `json:"layer"`
	Stack string `json:"stack"`
	// Result is destroyed, nothing to destroy, refreshed or not deployed.
	Result string `json:"result"`
	// Resources are how many resources destroy deleted (the engine's
	// steps) or refresh read back (the state's resources).
	Resources int `json:"resources"`
}

// commandResult is destroy's and refresh's -o json summary on stdout
// (review m5: -o is the format everywhere); the table format prints
// nothing on stdout, as the progress on stderr says it all.
type commandResult struct {
	Command string        `json:"command"`
	Stack   string        `json:"stack"`
	Layers  []layerResult `json:"layers"`
}

// result records what the command did to layer l.
func (s *session) result(rs []layerResult, l layer.Layer, result string, resources int) []layerResult {
	return append(rs, layerResult{Layer: string(l), Stack: s.d.StackName(l), Result: result, Resources: resources})
}

// writeResults writes the -o json summary; nothing for the table format.
func (s *session) writeResults(command string, rs []layerResult) error {
	if s.o.Output != output.JSON {
		return nil
	}
	if rs == nil {
		rs = []layerResult{}
	}
	return output.WriteJSON(s.env.Out, commandResult{Command: command, Stack: s.o.Stack, Layers: rs})
}
