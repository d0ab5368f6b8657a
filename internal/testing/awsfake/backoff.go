package awsfake

import (
	"sync"
	"time"
)

// Backoffs is a retry backoff for tests (awsclient.Options.Backoff): it
// records each error the SDK retried and waits a millisecond.
type Backoffs struct {
	mu   sync.Mutex
	errs []error
}

// BackoffDelay implements retry.BackoffDelayer.
func (b *Backoffs) BackoffDelay(_ int, err error) (time.Duration, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errs = append(b.errs, err)
	return time.Millisecond, nil
}

// Count is how many retries the SDK made.
func (b *Backoffs) Count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.errs)
}
