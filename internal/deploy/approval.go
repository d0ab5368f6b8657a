package deploy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// DeclinedError means the deploy was not approved.
type DeclinedError struct{ Reason string }

func (e *DeclinedError) Error() string { return "not approved: " + e.Reason }

// Approval decides whether a change may go ahead.
type Approval struct {
	// Required is true in prod.
	Required bool
	// Yes is --yes: approved in advance.
	Yes bool
	// TTY says In and Out are a terminal, where a person can answer.
	TTY bool
	In  io.Reader
	Out io.Writer
}

// Ask approves, or returns a DeclinedError. Without --yes off a terminal
// (CI) nobody can answer, so a required approval is declined.
func (a Approval) Ask(ctx context.Context, question string) error {
	if !a.Required || a.Yes {
		return nil
	}
	if !a.TTY {
		return &DeclinedError{Reason: "prod needs approval: answer the prompt on a terminal, or pass --yes"}
	}
	fmt.Fprintf(a.Out, "%s [y/N] ", question)
	answer := make(chan string, 1)
	go func() {
		line, err := bufio.NewReader(a.In).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			line = ""
		}
		answer <- strings.TrimSpace(strings.ToLower(line))
	}()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case ans := <-answer:
		if ans == "y" || ans == "yes" {
			return nil
		}
		return &DeclinedError{Reason: "the answer was not yes"}
	}
}
