package app

import (
	"context"

	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
)

// ExportHost returns a host and all her rooms, for her export (SPEC §9). GetHost's rule
// applies: her own account or a coordinator of her programme; NotFound otherwise.
func (a *App) ExportHost(ctx context.Context, id string) (*host.Host, []*room.Room, error) {
	h, err := a.GetHost(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	rooms, err := a.store.RoomsOfHost(ctx, h.ID())
	if err != nil {
		return nil, nil, err
	}
	return h, rooms, nil
}
