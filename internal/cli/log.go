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
	return slog.New(plainHandler{w: env.Err})
}

// plainHandler writes records at WARN and above as "warning: msg (k=v, …)".
type plainHandler struct {
	w     io.Writer
	attrs []slog.Attr
}

func (h plainHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

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
	word := "warning"
	if r.Level >= slog.LevelError {
		word = "error"
	}
	line := word + ": " + r.Message
	if len(kv) > 0 {
		line += " (" + strings.Join(kv, ", ") + ")"
	}
	_, err := fmt.Fprintln(h.w, line)
	return err
}

func (h plainHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return plainHandler{w: h.w, attrs: append(append([]slog.Attr{}, h.attrs...), attrs...)}
}

// WithGroup is not used by the commands; attributes stay flat.
func (h plainHandler) WithGroup(string) slog.Handler { return h }
