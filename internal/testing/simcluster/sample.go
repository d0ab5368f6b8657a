package simcluster

import (
	"sync"
	"time"
)

// Sample calls f every interval, in a goroutine of its own, until the
// returned stop is called; stop returns once f has returned for the last
// time. Tests use it to watch the cluster while a drain runs.
func Sample(interval time.Duration, f func()) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(interval):
			}
			f()
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}
