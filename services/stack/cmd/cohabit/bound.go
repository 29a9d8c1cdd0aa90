package main

import (
	"net"
	"sync"
)

// boundAddrs are the gRPC addresses the services bound, for a service that reads another:
// they are known only once each listens (free ports in the browser tests).
type boundAddrs struct{ m sync.Map }

// report wraps ready so that it records the address service name bound.
func (b *boundAddrs) report(name string, ready func(net.Addr)) func(net.Addr) {
	return func(a net.Addr) {
		b.m.Store(name, a.String())
		ready(a)
	}
}

// get returns the address service name bound, or "" while it does not listen.
func (b *boundAddrs) get(name string) string {
	v, _ := b.m.Load(name)
	s, _ := v.(string)
	return s
}
