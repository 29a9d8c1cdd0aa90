package grpcx

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/grpc"
)

func TestLazyDialsOnceTheTargetIsKnown(t *testing.T) {
	t.Parallel()
	target, dials := "", 0
	l := NewLazy(func() string { return target }, func(to string) (*grpc.ClientConn, error) {
		dials++
		return Dial(to)
	})
	if err := l.Invoke(context.Background(), "/x.Y/Z", nil, nil); !errors.Is(err, ErrNotListening) {
		t.Fatalf("before an address: %v, want ErrNotListening", err)
	}
	target = "127.0.0.1:1" // nothing listens: the call fails, the connection stays
	_ = l.Invoke(context.Background(), "/x.Y/Z", nil, nil)
	_ = l.Invoke(context.Background(), "/x.Y/Z", nil, nil)
	if dials != 1 {
		t.Errorf("dialled %d times, want once", dials)
	}
	if err := l.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
