package cost

import (
	"bytes"
	"io"
	"math"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// round2 rounds to cents.
func round2(v float64) float64 { return math.Round(v*100) / 100 }

// num reads a number input, which the plan holds as int64 or float64.
func num(v any, ok bool) (float64, bool) {
	if !ok {
		return 0, false
	}
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// str reads a string input.
func str(v any, ok bool) string {
	s, _ := v.(string)
	if !ok {
		return ""
	}
	return s
}

// strs reads a list of strings input.
func strs(v any, ok bool) []string {
	list, _ := v.([]any)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
