package deploy

import (
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
)

// DefaultGrace is how long, once the engine call returned, events may
// still arrive before the stream is ended without them.
const DefaultGrace = 2 * time.Second

// streamed runs op, an Automation API call given the channel the SDK sends
// the engine's events to, while consume reads those events; it returns
// op's error once consume has returned.
//
// The SDK (v3.274.1, auto/stack.go eventsServer.StreamEvents) closes its
// channel only when the Pulumi CLI connected to its events server and
// disconnected again. A CLI that fails before it connects (a held lock, a
// wrong passphrase, a backend it cannot write) leaves the channel open for
// ever, and waiting for it to close hangs. So the channel is relayed and
// the relay ends at the latest grace after op returned.
func (d *Deployer) streamed(op func(chan<- events.EngineEvent) error, consume func(<-chan events.EngineEvent)) error {
	sdk := make(chan events.EngineEvent)
	out := make(chan events.EngineEvent)
	returned := make(chan struct{})
	consumed := make(chan struct{})
	after := d.after
	if after == nil {
		after = time.After
	}
	go relay(sdk, out, returned, func() <-chan time.Time { return after(DefaultGrace) })
	go func() { consume(out); close(consumed) }()
	err := op(sdk)
	close(returned)
	<-consumed
	return err
}

// relay passes events from in to out until in closes or, once returned is
// closed, the channel grace gives fires; then it closes out. What in
// still sends after that is drained and dropped, so the SDK's sender is
// not blocked for ever.
func relay(in <-chan events.EngineEvent, out chan<- events.EngineEvent, returned <-chan struct{}, grace func() <-chan time.Time) {
	defer close(out)
	var expired <-chan time.Time
	for {
		select {
		case e, ok := <-in:
			if !ok {
				return
			}
			out <- e
		case <-returned:
			returned = nil
			expired = grace()
		case <-expired:
			go func() {
				for range in {
				}
			}()
			return
		}
	}
}
