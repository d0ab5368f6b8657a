package cli

import (
	"fmt"

	"github.com/mlops-platform/mlops-platform/internal/output"
	"github.com/mlops-platform/mlops-platform/internal/timetogpu"
)

// runTimeToGPU prints the time-to-GPU budget of the stack's GPU pool:
// per family, the stages from a pending pod to Running (internal/timetogpu).
func runTimeToGPU(env Env, o CostOptions) error {
	r, err := o.source(o.Stack, env.Now()).Resolve()
	if err != nil {
		return err
	}
	d, err := timetogpu.Load()
	if err != nil {
		return err
	}
	gpu := r.Spec.NodeGroups.GPU
	fams, err := timetogpu.Budget(d, gpu.PoolFamilies(), gpu.InstanceTypes)
	if err != nil {
		return fmt.Errorf("time to GPU of stack %s: %w", o.Stack, err)
	}
	if o.Output == output.JSON {
		return output.WriteJSON(env.Out, fams)
	}
	return timetogpu.Render(env.Out, o.Stack, d, fams)
}
