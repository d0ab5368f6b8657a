package cost

import (
	"bytes"
	"io"
	"math"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// round2 rounds to cents.
func round2(v float64) float64 { return math.Round(v*100) / 100 }
