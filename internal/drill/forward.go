package drill

import "context"

// Forwarder opens a port forward to host:port (the restored instance's
// endpoint) and returns the local address that reaches it and a function
// that closes the forward. The CLI's opens a second Session Manager
// port-forwarding session through the bastion (internal/tunnel).
type Forwarder func(ctx context.Context, host string, port int) (local string, stop func(), err error)

// forward opens o.Forward to ep, when set, and points ep at it; it
// reports the step, and returns false when the forward failed.
func (d *dbDrill) forward(ctx context.Context, ep *Endpoint) (func(), bool) {
	if d.o.Forward == nil {
		return func() {}, true
	}
	local, stop, err := d.o.Forward(ctx, ep.Host, ep.Port)
	if err != nil {
		d.r.failed("forward", "forwarding a local port to %s:%d through the bastion: %v", ep.Host, ep.Port, err)
		return nil, false
	}
	ep.Dial = local
	d.r.ok("forward", "%s forwards to %s:%d through the bastion; TLS still verifies %s", local, ep.Host, ep.Port, ep.Host)
	return stop, true
}
