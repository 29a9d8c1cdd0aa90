package app

import (
	"context"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/platform/person"
)

// ClaimHost applies identity's invitation.accepted: account accountID, which signed up with
// the invitation's code, now owns host hostID, so that she sees and changes her own record and
// signs her own contract. It publishes host.updated, whose profile carries the owner. It runs
// in the event's inbox transaction, on an App bound to it (Within).
// Errors: NotFound (unknown host); FailedPrecondition (another owner, another programme).
func (a *App) ClaimHost(ctx context.Context, hostID, accountID, programmeID string) error {
	return a.store.UpdateHostIn(ctx, hostID, func(h *host.Host) ([]*eventsv1.Envelope, error) {
		now := a.now()
		changed, err := person.ClaimInvited(h, "host", accountID, programmeID, now)
		if err != nil || !changed {
			return nil, err
		}
		ev, err := hostEvent(hostsevents.HostUpdated.Subject, h, now)
		if err != nil {
			return nil, err
		}
		return []*eventsv1.Envelope{ev}, nil
	})
}
