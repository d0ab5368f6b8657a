package cli

import (
	"os"

	"golang.org/x/term"
)

// terminal reports whether input and the progress stream are both a
// terminal (a person can answer a prompt and watch a redrawn status
// line), and the terminal's width.
func terminal(s Streams) (bool, int) {
	in, ok1 := s.In.(*os.File)
	errf, ok2 := s.Err.(*os.File)
	if !ok1 || !ok2 || !term.IsTerminal(int(in.Fd())) || !term.IsTerminal(int(errf.Fd())) {
		return false, 0
	}
	w, _, err := term.GetSize(int(errf.Fd()))
	if err != nil || w <= 0 {
		w = 80
	}
	return true, w
}
