package cli

import (
	"fmt"
	"time"
)

// NowVariable names the environment variable that sets the clock mlops
// judges support windows by (Kubernetes and PostgreSQL release calendars,
// guardrail 5). CI sets it so that a run gives the same answer on every
// day; operators leave it unset.
const NowVariable = "MLOPS_NOW"

// ClockFromEnv returns the clock of Env.Now as the process's environment
// sets it: the wall clock when NowVariable is unset, otherwise a clock that
// starts at its value (RFC 3339, or a date such as 2026-11-29 for its
// midnight UTC) and runs on from there, so that elapsed times and deadlines
// still pass.
func ClockFromEnv(getenv func(string) string) (func() time.Time, error) {
	v := getenv(NowVariable)
	if v == "" {
		return time.Now, nil
	}
	start, err := time.Parse(time.RFC3339, v)
	if err != nil {
		var dateErr error
		if start, dateErr = time.Parse(time.DateOnly, v); dateErr != nil {
			return nil, fmt.Errorf("%s=%q is neither an RFC 3339 time (2026-11-29T00:00:00Z) nor a date (2026-11-29)", NowVariable, v)
		}
	}
	began := time.Now()
	return func() time.Time { return start.Add(time.Since(began)) }, nil
}
