package cli

import (
	"context"
	"fmt"
)

// unlockCommand releases the layers' stack locks that a killed run left.
var unlockCommand = deployCommand{name: "unlock",
	short: "Release a stale stack lock that a killed run left behind (pulumi cancel); only when no other run is going on",
	long: "unlock releases the lock of each layer's stack, as pulumi cancel does. A run that is killed (SIGKILL, a CI job " +
		"timeout) leaves its lock, and every later run is refused with Pulumi's message naming who holds it and since " +
		"when. Release it only when that run's process is gone: a run still going on would write its state unlocked.",
	run: runUnlock, flags: yesFlag}

func runUnlock(ctx context.Context, s *session) error {
	for _, l := range s.layers {
		name := s.d.StackName(l)
		if err := s.approval().Ask(ctx, fmt.Sprintf("Release the lock of %s? No other run on it may be going on.", name)); err != nil {
			return err
		}
		if err := s.d.Unlock(ctx, l); err != nil {
			return err
		}
		fmt.Fprintf(s.env.Err, "%s: unlocked\n", name)
	}
	return nil
}
