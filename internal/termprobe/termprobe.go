// Package termprobe keeps a package initialiser of a dependency from
// probing the terminal at start-up.
//
// bubbletea (v1.3.10, tea_init.go), which the Pulumi SDK's cmdutil
// imports and the inline program cannot do without, calls
// lipgloss.HasDarkBackground in its init. When stdout is a terminal,
// termenv (v0.16.0, termenv_unix.go) then writes an OSC 11 query and a
// cursor position request and waits up to its OSCTimeout of 5 s for the
// answer; a pseudo-terminal nobody answers (CI's docker run -t, script)
// costs every command 5 s and leaves the escape bytes in the log. termenv
// skips the query when TERM starts with dumb, screen or tmux.
//
// This package sets TERM=dumb in its own init, which Go runs before
// termenv's: the program's packages are initialised in import-path order
// as soon as their dependencies are (the Go spec, "Package
// initialization"), and this one depends on os alone and sorts before
// github.com/muesli/termenv. Restore puts TERM back; main calls it first,
// so that nothing else (the Pulumi CLI's environment) sees the change.
package termprobe

import "os"

var (
	saved    string
	hadTERM  bool
	replaced bool
)

func init() {
	saved, hadTERM = os.LookupEnv("TERM")
	if os.Setenv("TERM", "dumb") == nil {
		replaced = true
	}
}

// Restore sets TERM back to what it was before this package's init.
func Restore() {
	if !replaced {
		return
	}
	replaced = false
	if hadTERM {
		_ = os.Setenv("TERM", saved)
		return
	}
	_ = os.Unsetenv("TERM")
}
