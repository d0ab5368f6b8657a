package deploy

import (
	"errors"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
)

// TestRelayEndsWithoutTheSDKClosing: the SDK leaves its channel open when
// the CLI fails before connecting to its events server; once the engine
// call returned, the relay ends after the grace period, delivers what came
// before, and keeps draining so a late sender is not blocked.
func TestRelayEndsWithoutTheSDKClosing(t *testing.T) {
	in := make(chan events.EngineEvent)
	out := make(chan events.EngineEvent)
	returned := make(chan struct{})
	expire := make(chan time.Time)
	graceAsked := make(chan struct{}, 1)
	go relay(in, out, returned, func() <-chan time.Time { graceAsked <- struct{}{}; return expire })

	in <- events.EngineEvent{Error: errors.New("first")}
	if e := <-out; e.Error == nil || e.Error.Error() != "first" {
		t.Fatalf("relayed %+v", e)
	}
	close(returned)
	<-graceAsked
	select {
	case _, ok := <-out:
		t.Fatalf("the relay ended (open %v) before the grace period", ok)
	default:
	}
	expire <- time.Time{}
	if _, ok := <-out; ok {
		t.Fatal("an event after the grace period, want the stream closed")
	}
	// A late event from the SDK is drained, not left blocking its sender.
	sent := make(chan struct{})
	go func() { in <- events.EngineEvent{}; close(sent) }()
	<-sent
}

// TestRelayEndsWhenTheSDKCloses: a normal run ends when the SDK closes the
// channel, without the grace period.
func TestRelayEndsWhenTheSDKCloses(t *testing.T) {
	in := make(chan events.EngineEvent)
	out := make(chan events.EngineEvent)
	go relay(in, out, make(chan struct{}), func() <-chan time.Time {
		t.Error("grace period asked for, the engine has not returned")
		return nil
	})
	go func() { in <- events.EngineEvent{}; close(in) }()
	n := 0
	for range out {
		n++
	}
	if n != 1 {
		t.Errorf("%d events relayed, want 1", n)
	}
}

// TestStreamedReturnsAfterTheGrace: an engine call that fails before any
// event returns its error once the grace period passes, though the SDK
// never closes the channel.
func TestStreamedReturnsAfterTheGrace(t *testing.T) {
	expire := make(chan time.Time, 1)
	var asked time.Duration
	d := &Deployer{after: func(d time.Duration) <-chan time.Time { asked = d; expire <- time.Time{}; return expire }}
	want := errors.New("error: the stack is currently locked by 1 lock(s)")
	got := d.streamed(func(chan<- events.EngineEvent) error { return want }, func(ch <-chan events.EngineEvent) {
		for range ch {
		}
	})
	if got != want || asked != DefaultGrace {
		t.Errorf("streamed returned %v after a grace of %s, want %v after %s", got, asked, want, DefaultGrace)
	}
}

// TestEngineMessage keeps Pulumi's own lines of an Automation API error
// (the SDK's autoError text: error, code, stdout, stderr).
func TestEngineMessage(t *testing.T) {
	for _, tc := range []struct{ name, err, want string }{
		{"stderr", "failed to run update: exit status 255\ncode: 255\nstdout: \nstderr: error: getting stack configuration: get stack secrets manager: incorrect passphrase\n",
			"error: getting stack configuration: get stack secrets manager: incorrect passphrase"},
		{"stdout when stderr is empty", "failed to run preview: exit status 1\ncode: 1\nstdout: Previewing\n\n  error: boom\nstderr: \n",
			"Previewing\n  error: boom"},
		{"multi-line stderr", "failed to select stack: exit status 1\ncode: 1\nstdout: \nstderr: warning: w\nerror: read \".pulumi/meta.yaml\": permission denied\n",
			"warning: w\nerror: read \".pulumi/meta.yaml\": permission denied"},
		{"not the CLI's", "context deadline exceeded", "context deadline exceeded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := EngineMessage(errors.New(tc.err)); got != tc.want {
				t.Errorf("EngineMessage = %q, want %q", got, tc.want)
			}
		})
	}
}
