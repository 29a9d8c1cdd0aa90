package app

import (
	"strings"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/notificationsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	notificationseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/events/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/event"
)

func callRequested(n postgres.Notification, at time.Time) (*eventsv1.Envelope, error) {
	// A new line of the call list (the desk's agenda shows it).
	return event.Of(notificationsevents.CallRequested, n.ProgrammeID, at, &notificationseventsv1.CallRequested{
		NotificationId: n.ID, ProgrammeId: n.ProgrammeID, RecipientId: n.RecipientID,
		RecipientKind: strings.ToUpper(string(n.RecipientKind)), Topic: string(n.Topic),
	})
}
