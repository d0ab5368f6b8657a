package deploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/mlops-platform/mlops-platform/internal/layer"
)

// recordPrefix starts the line of an update's message that holds its
// Record as JSON.
const recordPrefix = "mlops-record: "

// Record is what each `mlops up` leaves in the state's update history as
// the update's message: who ran it, the command (with its --set values)
// and the effective configuration it deployed, so that `mlops history`
// can say when, who and what changed.
type Record struct {
	// By is who ran the deploy ($USER, or the AWS caller).
	By string `json:"by"`
	// Command is the command line, --set values included.
	Command string `json:"command"`
	// Config is the effective configuration, flattened to dotted keys.
	Config map[string]string `json:"config"`
}

// Message is the update message: a readable first line, then the record.
func (r Record) Message() (string, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("encoding the deploy record: %w", err)
	}
	return fmt.Sprintf("%s (by %s)\n%s%s", r.Command, r.By, recordPrefix, b), nil
}

// ParseRecord reads the Record of an update's message; false when the
// message holds none (an update not made by mlops up).
func ParseRecord(msg string) (Record, bool) {
	// The Pulumi CLI (v3.274.1, file backend) hands the message back
	// quoted, as a Go string literal.
	if u, err := strconv.Unquote(msg); err == nil {
		msg = u
	}
	for _, line := range strings.Split(msg, "\n") {
		if js, ok := strings.CutPrefix(line, recordPrefix); ok {
			var r Record
			if json.Unmarshal([]byte(js), &r) == nil {
				return r, true
			}
		}
	}
	return Record{}, false
}

// Changed are the keys whose values differ between two configurations,
// sorted, each "key: old → new" ("(unset)" for a missing side).
func Changed(old, new map[string]string) []string {
	var out []string
	show := func(m map[string]string, k string) string {
		if v, ok := m[k]; ok {
			return v
		}
		return "(unset)"
	}
	for k := range union(old, new) {
		if o, n := show(old, k), show(new, k); o != n {
			out = append(out, fmt.Sprintf("%s: %s → %s", k, o, n))
		}
	}
	sort.Strings(out)
	return out
}

func union(a, b map[string]string) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// Update is one entry of a layer stack's update history.
type Update struct {
	Version int
	// Kind is update, refresh, destroy…; Result succeeded, failed….
	Kind, Result string
	// Start is when it began, as the engine wrote it (RFC 3339).
	Start string
	// Message is the update's message; Record is parsed from it.
	Message string
	Record  *Record
}

// History is a layer's update history, oldest first; none for a layer
// never deployed.
func (d *Deployer) History(ctx context.Context, l layer.Layer) ([]Update, error) {
	s, err := d.stack(ctx, l, false)
	if errors.Is(err, ErrNoStack) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sums, err := s.History(ctx, 0, 0)
	if err != nil {
		return nil, fmt.Errorf("reading the history of %s: %w", d.StackName(l), engineErr(err))
	}
	// The engine lists the newest first; a file backend leaves Version
	// 0, so the position numbers the updates.
	slices.Reverse(sums)
	out := make([]Update, 0, len(sums))
	for i, u := range sums {
		up := update(u)
		if up.Version == 0 {
			up.Version = i + 1
		}
		out = append(out, up)
	}
	return out, nil
}

func update(u auto.UpdateSummary) Update {
	up := Update{Version: u.Version, Kind: u.Kind, Result: u.Result, Start: u.StartTime, Message: u.Message}
	if r, ok := ParseRecord(u.Message); ok {
		up.Record = &r
	}
	return up
}
