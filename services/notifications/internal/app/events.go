package app

import (
	"strings"
	"time"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	notificationseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/events/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/event"
)

// SubjectCallRequested announces a new line of the call list (the desk's agenda shows it).
const SubjectCallRequested = "cohabit.notifications.call.requested"

func callRequested(n postgres.Notification, at time.Time) (*eventsv1.Envelope, error) {
	return event.New(SubjectCallRequested, n.ProgrammeID, at, &notificationseventsv1.CallRequested{
		NotificationId: n.ID, ProgrammeId: n.ProgrammeID, RecipientId: n.RecipientID,
		RecipientKind: strings.ToUpper(string(n.RecipientKind)), Topic: string(n.Topic),
	})
}
