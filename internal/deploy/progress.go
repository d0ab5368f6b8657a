package deploy

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Failure is a resource operation that failed, with the engine's message.
type Failure struct {
	URN     string `json:"urn"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

// Progress renders engine events as progress: resources done out of the
// total the preview counted, elapsed time, the operations in flight, and
// each failure with its resource and message. On a terminal one status
// line is redrawn below the finished lines (ANSI sequences and width
// handling from charmbracelet/x/ansi); elsewhere (CI) every event is a
// plain line.
type Progress struct {
	w     io.Writer
	tty   bool
	width int
	now   func() time.Time

	mu       sync.Mutex
	start    time.Time
	total    int
	done     map[string]bool
	inflight map[string]string // URN -> operation in progress
	failures []Failure
	status   bool // a status line is on screen
}

// NewProgress renders to w; total is the number of resources the preview
// said would change; width is the terminal's (0 off a terminal).
func NewProgress(w io.Writer, tty bool, width, total int, now func() time.Time) *Progress {
	if now == nil {
		now = time.Now
	}
	return &Progress{w: w, tty: tty, width: width, now: now, start: now(), total: total,
		done: map[string]bool{}, inflight: map[string]string{}}
}

// Run consumes events until ch closes, redrawing the terminal's status
// line every second meanwhile.
func (p *Progress) Run(ctx context.Context, ch <-chan events.EngineEvent) {
	var tick <-chan time.Time
	if p.tty {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				p.clearStatus()
				return
			}
			p.Handle(e)
		case <-tick:
			p.mu.Lock()
			p.drawStatus()
			p.mu.Unlock()
		case <-ctx.Done():
			// Keep draining: the engine closes ch when it stops.
			tick = nil
		}
	}
}

// Handle renders one engine event.
func (p *Progress) Handle(e events.EngineEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case e.ResourcePreEvent != nil:
		m := e.ResourcePreEvent.Metadata
		if !countsStep(m.Op) {
			return
		}
		p.inflight[m.URN] = string(m.Op)
		if n := len(p.done) + len(p.inflight); n > p.total {
			// A step the preview did not count: the total grows.
			p.total = n
		}
		p.line(fmt.Sprintf("%-9s %s %s", ing(m.Op), m.Type, nameOf(m.URN)))
	case e.ResOutputsEvent != nil:
		m := e.ResOutputsEvent.Metadata
		if !countsStep(m.Op) {
			return
		}
		delete(p.inflight, m.URN)
		// A step is a resource and an operation: a replacement's two
		// steps count twice, as the preview's Steps do.
		p.done[m.URN+" "+string(m.Op)] = true
		if len(p.done) > p.total {
			p.total = len(p.done)
		}
		p.line(fmt.Sprintf("%-9s %s %s", ed(m.Op), m.Type, nameOf(m.URN)))
	case e.ResOpFailedEvent != nil:
		delete(p.inflight, e.ResOpFailedEvent.Metadata.URN)
	case e.DiagnosticEvent != nil && e.DiagnosticEvent.Severity == "error" && !summaryLine(e.DiagnosticEvent.Message):
		d := e.DiagnosticEvent
		f := Failure{URN: d.URN, Type: typeOf(d.URN), Name: nameOf(d.URN), Message: cleanMessage(d.Message)}
		if d.URN == "" {
			f.Type, f.Name = "pulumi:pulumi:Stack", "program"
		}
		p.failures = append(p.failures, f)
		p.line(fmt.Sprintf("%-9s %s %s: %s", "FAILED", f.Type, f.Name, f.Message))
	}
}

// Failures are the failed operations seen so far.
func (p *Progress) Failures() []Failure {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Failure(nil), p.failures...)
}

// Done is the number of steps finished.
func (p *Progress) Done() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.done)
}

// Total is the number of steps: the preview's, or more when the engine
// took steps the preview could not foresee (a dependent whose inputs were
// known only once what it depends on was deployed).
func (p *Progress) Total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.total
}

// line prints a finished line with the counters, above the status line
// on a terminal.
func (p *Progress) line(text string) {
	prefix := fmt.Sprintf("[%*d/%d %s] ", digits(p.total), len(p.done), p.total, clock(p.now().Sub(p.start)))
	if p.tty {
		p.eraseStatus()
		fmt.Fprintln(p.w, ansi.Truncate(prefix+text, p.width, "…"))
		p.drawStatus()
		return
	}
	fmt.Fprintln(p.w, prefix+text)
}

// drawStatus draws the status line: counters, elapsed time, in flight.
func (p *Progress) drawStatus() {
	if !p.tty {
		return
	}
	var ops []string
	for urn, op := range p.inflight {
		ops = append(ops, nameOf(urn)+" ("+op+")")
	}
	sort.Strings(ops)
	s := fmt.Sprintf("%d/%d done, %s elapsed", len(p.done), p.total, clock(p.now().Sub(p.start)))
	if len(ops) > 0 {
		s += ", in progress: " + strings.Join(ops, ", ")
	}
	p.eraseStatus()
	fmt.Fprint(p.w, ansi.Truncate(s, p.width, "…"))
	p.status = true
}

func (p *Progress) eraseStatus() {
	if p.status {
		fmt.Fprint(p.w, "\r"+ansi.EraseEntireLine)
		p.status = false
	}
}

func (p *Progress) clearStatus() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.eraseStatus()
}

// typeOf is the type token of a URN (the last segment of its type path).
func typeOf(urn string) string {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return ""
	}
	t := parts[2]
	return t[strings.LastIndex(t, "$")+1:]
}

// cleanMessage keeps the engine's message on one line, without colours.
func cleanMessage(m string) string {
	m = ansi.Strip(m)
	m = strings.Join(strings.Fields(m), " ")
	return m
}

// verbs are a step's progress words: while it runs and once done.
type verbs struct{ ing, ed string }

// verbsOf names what a step of kind op does, replacement halves apart.
func verbsOf(op apitype.OpType) verbs {
	switch op {
	case apitype.OpCreateReplacement:
		return verbs{"creating replacement", "created replacement"}
	case apitype.OpDeleteReplaced, apitype.OpDiscardReplaced:
		return verbs{"deleting replaced", "deleted replaced"}
	}
	o, _ := opOf(op)
	switch o {
	case OpCreate:
		return verbs{"creating", "created"}
	case OpUpdate:
		return verbs{"updating", "updated"}
	case OpReplace:
		return verbs{"replacing", "replaced"}
	}
	return verbs{"deleting", "deleted"}
}

func ing(op apitype.OpType) string { return verbsOf(op).ing }

func ed(op apitype.OpType) string { return verbsOf(op).ed }

func clock(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%02d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

func digits(n int) int { return len(fmt.Sprint(n)) }

// summaryLine reports the engine's closing "update failed" diagnostic,
// which repeats what the resource failures said.
func summaryLine(m string) bool {
	m = strings.TrimSpace(ansi.Strip(m))
	for _, op := range []string{"update", "preview", "destroy", "refresh"} {
		if m == op+" failed" {
			return true
		}
	}
	return false
}
