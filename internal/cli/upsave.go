package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/mlops-platform/mlops-platform/internal/stack"
)

// runUpCommand is mlops up: the deploy, then its --set overrides written
// into the stack file (comments kept), so that the next plain up does not
// revert them; --no-save keeps them for this run only, and says so.
func runUpCommand(ctx context.Context, s *session) error {
	run := runUp
	if s.o.Plan != "" {
		run = runUpPlan
	}
	if err := run(ctx, s); err != nil {
		return err
	}
	if len(s.o.Sets) == 0 {
		return nil
	}
	file := stackFile(s.o.StackOptions)
	if s.o.NoSave {
		fmt.Fprintf(s.env.Err, "--set not saved (--no-save): the next up without it reverts %s; %s holds the stack's configuration\n",
			strings.Join(setKeys(s.o.Sets), ", "), file)
		return nil
	}
	values, err := stack.SetValues(s.o.Sets)
	if err != nil {
		return UsageError{err}
	}
	if err := stack.WriteConfig(file, values); err != nil {
		return fmt.Errorf("the deploy succeeded, but saving its --set failed (the next up without them reverts them): %w", err)
	}
	fmt.Fprintf(s.env.Err, "--set saved to %s: %s\n", file, strings.Join(setKeys(s.o.Sets), ", "))
	return nil
}

// setKeys are the dotted keys of --set flags, sorted.
func setKeys(sets []string) []string {
	var keys []string
	for _, set := range sets {
		k, _, _ := strings.Cut(set, "=")
		keys = append(keys, strings.TrimSpace(k))
	}
	sort.Strings(keys)
	return keys
}
