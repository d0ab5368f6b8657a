package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// logger is where a command logs. With -v/--verbose it is slog's text
// format at INFO; without, human output carries no log-format lines
// (review m15): INFO is dropped and a warning or error is one plain
// "warning: …" line.
func (env Env) logger() *slog.Logger {
	if env.verbose != nil && *env.verbose {
		return slog.New(slog.NewTextHandler(env.Err, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return slog.New(plainHandler{w: env.Err, min: slog.LevelWarn})
}

// progressLogger is logger for commands that wait minutes on AWS (dr
// drill): without -v their INFO records stay, as plain "msg (k=v, …)"
// lines, so a long wait shows progress.
func (env Env) progressLogger() *slog.Logger {
	if env.verbose != nil && *env.verbose {
		return env.logger()
	}
	return slog.New(plainHandler{w: env.Err, min: slog.LevelInfo})
}

// plainHandler writes records at min and above as "msg (k=v, …)", a
// warning or error prefixed "warning: " or "error: ".
type plainHandler struct {
	w     io.Writer
	min   slog.Level
	attrs []slog.Attr
}

func (h plainHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.min }

func (h plainHandler) Handle(_ context.Context, r slog.Record) error {
	var kv []string
	add := func(a slog.Attr) bool {
		kv = append(kv, fmt.Sprintf("%s=%v", a.Key, a.Value.Resolve()))
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	line := r.Message
	switch {
	case r.Level >= slog.LevelError:
		line = "error: " + line
	case r.Level >= slog.LevelWarn:
		line = "warning: " + line
	}
	if len(kv) > 0 {
		line += " (" + strings.Join(kv, ", ") + ")"
	}
	_, err := fmt.Fprintln(h.w, line)
	return err
}

func (h plainHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return plainHandler{w: h.w, min: h.min, attrs: append(append([]slog.Attr{}, h.attrs...), attrs...)}
}

// WithGroup is not used by the commands; attributes stay flat.
func (h plainHandler) WithGroup(string) slog.Handler { return h }
