package app

import (
	"time"

	deskeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/event"
)

// Subjects the desk publishes on, all on the DESK stream. Payload: DocumentChanged (ids, kind,
// status, dates; never a file, a name or a rejection's reason).
const (
	SubjectDocumentRequested = "cohabit.desk.document.requested"
	SubjectDocumentReceived  = "cohabit.desk.document.received"
	SubjectDocumentVerified  = "cohabit.desk.document.verified"
	SubjectDocumentRejected  = "cohabit.desk.document.rejected"
	SubjectDocumentExpired   = "cohabit.desk.document.expired"
)

// lifeCode is the timeline's code for each of the desk's own facts.
var lifeCode = map[string]string{
	SubjectDocumentRequested: "DOCUMENT_REQUESTED",
	SubjectDocumentReceived:  "DOCUMENT_RECEIVED",
	SubjectDocumentVerified:  "DOCUMENT_VERIFIED",
	SubjectDocumentRejected:  "DOCUMENT_REJECTED",
	SubjectDocumentExpired:   "DOCUMENT_EXPIRED",
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
