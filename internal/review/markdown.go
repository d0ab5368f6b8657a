package review

import (
	"fmt"
	"sort"
	"strings"
)

// CommentLimit is the most characters GitHub keeps in an issue or
// pull-request comment body.
const CommentLimit = 65536

// Marker heads the review comment of a stack, so a workflow finds its own
// comment to update instead of adding one per push.
func Marker(stack string) string { return "<!-- mlops-review stack=" + stack + " -->" }

// Markdown renders the review as a pull-request comment: a summary, then
// each section collapsed in a <details> block. A body over limit
// characters loses its last rows, with a note saying how many.
func (r Review) Markdown(limit int) string {
	var head strings.Builder
	fmt.Fprintf(&head, "%s\n### mlops review: stack `%s`\n\n", Marker(r.Stack), r.Stack)
	fmt.Fprintf(&head, "`%s` → `%s` — **%s**\n\n", r.Base, r.Head, r.Verdict())
	if r.Empty() {
		head.WriteString("No change: resources, cost, guardrails, permissions and Key Differences are the same.\n")
		return head.String()
	}
	var blocks []block
	for _, p := range r.parts() {
		h, rows := p.rows()
		fmt.Fprintf(&head, "- **%s**: %s\n", p.title, p.summary)
		if len(rows) > 0 {
			blocks = append(blocks, block{summary: p.title + ": " + p.summary, header: h, rows: rows})
		}
	}
	return fit(head.String()+"\n", blocks, limit)
}

type block struct {
	summary string
	header  []string
	rows    [][]string
}

func (b block) render(rows int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "<details><summary>%s</summary>\n\n", escape(b.summary))
	s.WriteString("| " + strings.Join(b.header, " | ") + " |\n")
	s.WriteString(strings.Repeat("| --- ", len(b.header)) + "|\n")
	for _, row := range b.rows[:rows] {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = escape(c)
		}
		s.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	if cut := len(b.rows) - rows; cut > 0 {
		fmt.Fprintf(&s, "\n*%d more row(s) left out to fit GitHub's %d-character comment limit: run `mlops review` for all of them.*\n", cut, CommentLimit)
	}
	s.WriteString("\n</details>\n\n")
	return s.String()
}

// fit appends the blocks to head, each whole while it fits, then as many
// of its rows as fit; later blocks get a line each saying they were left
// out. The note lines are reserved up front, so the body never exceeds
// limit.
func fit(head string, blocks []block, limit int) string {
	var s strings.Builder
	s.WriteString(head)
	for i, b := range blocks {
		reserve := 0
		for _, later := range blocks[i+1:] {
			reserve += len(omitted(later))
		}
		room := limit - s.Len() - reserve
		if full := b.render(len(b.rows)); len(full) <= room {
			s.WriteString(full)
			continue
		}
		// the most rows that fit: render grows with the rows it keeps.
		n := sort.Search(len(b.rows)+1, func(k int) bool { return len(b.render(k)) > room }) - 1
		if n < 0 {
			s.WriteString(omitted(b))
			continue
		}
		s.WriteString(b.render(n))
	}
	return s.String()
}

func omitted(b block) string {
	return fmt.Sprintf("*%s: left out to fit GitHub's comment limit; run `mlops review` for it.*\n\n", escape(b.summary))
}

// escape keeps a cell inside its table column and its text literal.
func escape(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}
