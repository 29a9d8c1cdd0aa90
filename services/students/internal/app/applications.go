package app

import (
	"context"

	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// SubmitApplication submits an application for a verified student, by the student or a
// coordinator of their programme. Errors: NotFound (student out of reach), FailedPrecondition
// (STUDENT_NOT_VERIFIED), AlreadyExists (an open application exists), Invalid.
func (a *App) SubmitApplication(ctx context.Context, studentID string, prefs application.Preferences, requestID string) (*application.Application, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	// The rules are read before the transaction: they come from another service's events and
	// are not locked with the student anyway.
	st, err := a.GetStudent(ctx, studentID)
	if err != nil {
		return nil, err
	}
	rules, _, err := a.rules(ctx, st.ProgrammeID())
	if err != nil {
		return nil, err
	}
	// The room targeted, read before the transaction like the rules: its programme must be
	// the student's (application.New says so otherwise, with the other fields' faults).
	var roomProgramme string
	if id := application.TargetRoom(prefs); id != "" && a.rooms != nil {
		if roomProgramme, err = a.rooms.Programme(ctx, id); err != nil {
			return nil, err
		}
	}
	return a.store.CreateApplication(ctx, studentID, p.AccountID, requestID, func(s *student.Student, openID string) (*application.Application, []*eventsv1.Envelope, error) {
		if !canManageStudent(p, s) {
			return nil, nil, postgres.ErrStudentNotFound
		}
		now := a.now()
		who := application.Applicant{
			StudentID: s.ID(), ProgrammeID: s.ProgrammeID(),
			Verified: s.Status() == student.StatusVerified, OpenApplicationID: openID,
			RoomProgrammeID: roomProgramme,
		}
		app, err := application.New(ids.New(), who, prefs, rules, now)
		if err != nil {
			return nil, nil, err
		}
		ev, err := applicationEvent(studentsevents.ApplicationSubmitted.Subject, app, s, now)
		if err != nil {
			return nil, nil, err
		}
		return app, []*eventsv1.Envelope{ev}, nil
	})
}

// GetApplication returns an application its caller may see: the student's own, or one of the
// coordinator's programme. Errors: NotFound.
func (a *App) GetApplication(ctx context.Context, id string) (*application.Application, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	app, err := a.store.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	s, err := a.store.Student(ctx, app.StudentID())
	if err != nil {
		return nil, err
	}
	if !canManageStudent(p, s) {
		return nil, postgres.ErrApplicationNotFound
	}
	return app, nil
}

// ListApplications lists a student's applications. Errors: NotFound (student out of reach),
// Invalid (page token).
func (a *App) ListApplications(ctx context.Context, studentID string, req page.Request) ([]*application.Application, string, error) {
	after, limit, err := req.Bounds()
	if err != nil {
		return nil, "", err
	}
	if _, err := a.GetStudent(ctx, studentID); err != nil {
		return nil, "", err
	}
	apps, err := a.store.ListApplications(ctx, postgres.ApplicationFilter{StudentID: studentID, After: after, Limit: limit})
	if err != nil {
		return nil, "", err
	}
	return apps, page.Next(apps, limit, (*application.Application).ID), nil
}

// WithdrawApplication withdraws an open application when sentEtag is current. Errors:
// NotFound, Aborted (stale etag), FailedPrecondition (not open).
func (a *App) WithdrawApplication(ctx context.Context, id, sentEtag string) (*application.Application, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	app, err := a.store.UpdateApplication(ctx, id, func(app *application.Application, s *student.Student) ([]*eventsv1.Envelope, error) {
		if !canManageStudent(p, s) {
			return nil, postgres.ErrApplicationNotFound
		}
		if err := etag.Check(sentEtag, app.Version()); err != nil {
			return nil, err
		}
		now := a.now()
		if err := app.Withdraw(now); err != nil {
			return nil, err
		}
		ev, err := applicationEvent(studentsevents.ApplicationWithdrawn.Subject, app, s, now)
		if err != nil {
			return nil, err
		}
		return []*eventsv1.Envelope{ev}, nil
	})
	if err != nil {
		return nil, errs.Annotate(err, "withdraw application %s", id)
	}
	return app, nil
}
