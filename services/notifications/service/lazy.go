package service

import (
	"context"
	"errors"
	"sync"

	"google.golang.org/grpc"
)

// lazyConn dials a service on its first call, at the address known then: in the all-in-one
// process the services bind free ports (Config.AddrOf), and notifications may be built before
// hosts or students listen. A failed dial is tried again on the next call.
type lazyConn struct {
	target func() string
	dial   func(string) (*grpc.ClientConn, error)

	mu sync.Mutex
	cc *grpc.ClientConn
}

var errNotListening = errors.New("the service does not listen yet")

func (l *lazyConn) conn() (*grpc.ClientConn, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cc != nil {
		return l.cc, nil
	}
	t := l.target()
	if t == "" {
		return nil, errNotListening
	}
	cc, err := l.dial(t)
	if err != nil {
		return nil, err
	}
	l.cc = cc
	return cc, nil
}

// Invoke implements grpc.ClientConnInterface.
func (l *lazyConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	cc, err := l.conn()
	if err != nil {
		return err
	}
	return cc.Invoke(ctx, method, args, reply, opts...)
}

// NewStream implements grpc.ClientConnInterface.
func (l *lazyConn) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	cc, err := l.conn()
	if err != nil {
		return nil, err
	}
	return cc.NewStream(ctx, desc, method, opts...)
}

// Close closes the connection if it was dialled.
func (l *lazyConn) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cc == nil {
		return nil
	}
	return l.cc.Close()
}
