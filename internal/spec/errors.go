package spec

import (
	"fmt"
	"strings"
)

// FieldError is one problem with one configuration key.
type FieldError struct {
	// Path is the dotted configuration key, for example nodeGroups.gpu.minSize.
	Path string
	// Msg says what is wrong and, where it helps, what to set instead.
	Msg string
}

func (e FieldError) Error() string { return e.Path + ": " + e.Msg }

// Errors aggregates every problem found, so users fix them in one pass.
type Errors []FieldError

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, fe := range e {
		msgs[i] = fe.Error()
	}
	return fmt.Sprintf("invalid configuration (%d problem(s)):\n  %s", len(e), strings.Join(msgs, "\n  "))
}

// Warning is advice about a valid but questionable setting.
type Warning = FieldError

type collector struct{ errs, warns Errors }

func (c *collector) errf(path, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (c *collector) warnf(path, format string, args ...any) {
	c.warns = append(c.warns, FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (c *collector) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}
