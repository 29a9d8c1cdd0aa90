package app

import (
	"context"

	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/person"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// ClaimStudent applies identity's invitation.accepted: account accountID, which signed up
// with the invitation's code, now owns student studentID, so that she sees and changes her own
// record, applies and signs her own contract. It publishes student.updated, whose profile
// carries the owner. It runs in the event's inbox transaction, on an App bound to it (Within).
// Errors: NotFound (unknown student); FailedPrecondition (another owner, another programme).
func (a *App) ClaimStudent(ctx context.Context, studentID, accountID, programmeID string) error {
	return a.store.UpdateStudentIn(ctx, studentID, func(s *student.Student) ([]*eventsv1.Envelope, error) {
		now := a.now()
		changed, err := person.ClaimInvited(s, "student", accountID, programmeID, now)
		if err != nil || !changed {
			return nil, err
		}
		ev, err := studentEvent(studentsevents.StudentUpdated.Subject, s, now)
		if err != nil {
			return nil, err
		}
		return []*eventsv1.Envelope{ev}, nil
	})
}
