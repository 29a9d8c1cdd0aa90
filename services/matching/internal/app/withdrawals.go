package app

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/match"
)

// CancelReasonWithdrawn is the coded reason of a match cancelled because the student withdrew
// the application it was made for (like CancelReasonContract, a code the clients translate).
const CancelReasonWithdrawn = "APPLICATION_WITHDRAWN"

// CancelMatchesOfWithdrawnApplication cancels every match of applicationID still under way
// (PROPOSED, MEETING_SCHEDULED, ACCEPTED or APPROVED), each with its match.cancelled, exactly
// as a coordinator's cancellation would: a student who has left must not keep a room waiting,
// nor an approved match's contract be drafted or signed. It runs in tx, the inbox transaction
// of the application.withdrawn event, so that the cancellations commit with the event's claim
// and a redelivery changes nothing twice. Matches are found by application, not by student:
// a late withdrawal of an old application must not cancel the matches of a newer one. A match
// already closed (COMPLETED, DECLINED, CANCELLED, EXPIRED) is left alone.
func (a *App) CancelMatchesOfWithdrawnApplication(ctx context.Context, tx pgx.Tx, applicationID string) error {
	now := a.now()
	_, err := a.store.Within(tx).UpdateOpenMatchesOfApplication(ctx, applicationID, func(m *match.Match) ([]*eventsv1.Envelope, error) {
		if err := m.Cancel(CancelReasonWithdrawn, now); err != nil {
			return nil, err
		}
		return one(changed(m, "", now))
	})
	if err != nil {
		return fmt.Errorf("cancel the matches of withdrawn application %s: %w", applicationID, err)
	}
	return nil
}
