package service

import (
	"context"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
)

// all registers several services' REST handlers that one backend serves (identity serves
// its own and the audit trail's).
func all(fns ...registerFunc) registerFunc {
	return func(ctx context.Context, mux *runtime.ServeMux, cc grpc.ClientConnInterface) error {
		for _, fn := range fns {
			if err := fn(ctx, mux, cc); err != nil {
				return err
			}
		}
		return nil
	}
}
