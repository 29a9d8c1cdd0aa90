package app

import (
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/deskevents"
	deskeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/event"
)

// lifeCode is the timeline's code for each of the desk's own facts.
var lifeCode = map[string]string{
	deskevents.DocumentRequested.Subject: "DOCUMENT_REQUESTED",
	deskevents.DocumentReceived.Subject:  "DOCUMENT_RECEIVED",
	deskevents.DocumentVerified.Subject:  "DOCUMENT_VERIFIED",
	deskevents.DocumentRejected.Subject:  "DOCUMENT_REJECTED",
	deskevents.DocumentExpired.Subject:   "DOCUMENT_EXPIRED",
}

func documentEvent(subject string, d *document.Document, at time.Time) (*eventsv1.Envelope, error) {
	p := &deskeventsv1.DocumentChanged{
		DocumentId:  d.ID,
		ProgrammeId: d.ProgrammeID,
		OwnerId:     d.OwnerID,
		Party:       string(d.Party),
		Kind:        KindEnum(d.Kind),
		Status:      string(d.Status),
	}
	if !d.ExpiryDate.IsZero() {
		p.ExpiryDate = d.ExpiryDate.String()
	}
	if d.VerifiedAt != nil {
		p.VerifiedDate = date.Of(d.VerifiedAt.UTC()).String()
	}
	return event.New(subject, d.ProgrammeID, at, p)
}
