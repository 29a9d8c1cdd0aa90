package grpcx

import (
	"context"
	"errors"
	"sync"

	"google.golang.org/grpc"
)

// Lazy is a connection to another service that dials on its first call, at the address
// known then: in the all-in-one process the services bind their ports while the others
// start, so an address read at build time may not exist yet. A failed dial is tried again
// on the next call.
type Lazy struct {
	target func() string
	dial   func(string) (*grpc.ClientConn, error)

	mu sync.Mutex
	cc *grpc.ClientConn
}

// NewLazy returns a connection that dials target() with dial on its first call.
func NewLazy(target func() string, dial func(string) (*grpc.ClientConn, error)) *Lazy {
	return &Lazy{target: target, dial: dial}
}

// ErrNotListening is returned by a call made before the target service has an address.
var ErrNotListening = errors.New("the service does not listen yet")

func (l *Lazy) conn() (*grpc.ClientConn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cc != nil {
		return l.cc, nil
	}
	t := l.target()
	if t == "" {
		return nil, ErrNotListening
	}
	cc, err := l.dial(t)
	if err != nil {
		return nil, err
	}
	l.cc = cc
	return cc, nil
}

// Invoke implements grpc.ClientConnInterface.
func (l *Lazy) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	cc, err := l.conn()
	if err != nil {
		return err
	}
	return cc.Invoke(ctx, method, args, reply, opts...)
}

// NewStream implements grpc.ClientConnInterface.
func (l *Lazy) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	cc, err := l.conn()
	if err != nil {
		return nil, err
	}
	return cc.NewStream(ctx, desc, method, opts...)
}

// Close closes the connection if it was dialled.
func (l *Lazy) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cc == nil {
		return nil
	}
	err := l.cc.Close()
	l.cc = nil
	return err
}
