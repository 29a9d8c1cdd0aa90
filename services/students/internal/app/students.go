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
	"github.com/cohabit/cohabit/services/platform/person"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// RegisterStudent creates a student in PENDING_VERIFICATION: a student registering themselves
// (they own the record), or a coordinator registering one for their programme (no account).
// Errors: Invalid, AlreadyExists (the account already has a student), PermissionDenied.
func (a *App) RegisterStudent(ctx context.Context, prof student.Profile, requestID string) (*student.Student, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	reg := student.Registration{ID: ids.New(), ProgrammeID: p.ProgrammeID, At: a.now(), RegisteredBy: p.AccountID}
	switch p.Role {
	case auth.RoleStudent:
		reg.OwnerAccountID = p.AccountID
	case auth.RoleCoordinator:
	default:
		return nil, errs.PermissionDenied("ROLE_NOT_ALLOWED", "only a student or a coordinator registers a student")
	}
	if reg.ProgrammeID == "" {
		return nil, errs.FailedPrecondition("NO_PROGRAMME", "your account belongs to no programme")
	}
	s, err := student.New(prof, reg)
	if err != nil {
		return nil, err
	}
	if reg.OwnerAccountID != "" {
		if err := person.RefuseSecondRegistration(ctx, a.store.UnclaimedStudentWithEmail, reg.ProgrammeID, s.Record().Profile.Email); err != nil {
			return nil, err
		}
	}
	ev, err := studentEvent(studentsevents.StudentRegistered.Subject, s, reg.At)
	if err != nil {
		return nil, err
	}
	return a.store.CreateStudent(ctx, s, p.AccountID, requestID, ev)
}

// GetStudent returns a student its caller may see. Errors: NotFound (also for students out of
// reach).
func (a *App) GetStudent(ctx context.Context, id string) (*student.Student, error) {
	return person.Read(ctx, auth.RoleStudent, id, a.store.Student, postgres.ErrStudentNotFound)
}

// ListStudents lists the students of the coordinator's programme, or the student's own record.
func (a *App) ListStudents(ctx context.Context, status student.Status, query string, req page.Request) ([]*student.Student, string, error) {
	return person.List(ctx, auth.RoleStudent, "students", query, req, func(ctx context.Context, l person.Listing) ([]*student.Student, error) {
		return a.store.ListStudents(ctx, postgres.StudentFilter{ProgrammeID: l.ProgrammeID, OwnerAccountID: l.OwnerAccountID,
			Status: status, Query: l.Query, After: l.After, Limit: l.Limit})
	}, (*student.Student).ID)
}

// UpdateStudent applies change to the student's profile when sentEtag is current. Errors:
// NotFound, Aborted (stale etag), Invalid, FailedPrecondition (archived).
func (a *App) UpdateStudent(ctx context.Context, id, sentEtag string, change func(*student.Profile) error) (*student.Student, error) {
	return a.changeStudent(ctx, id, sentEtag, studentsevents.StudentUpdated.Subject, func(_ auth.Principal, s *student.Student, _ string) error {
		prof := s.Record().Profile
		if err := change(&prof); err != nil {
			return err
		}
		return s.UpdateProfile(prof, a.now())
	})
}

// VerifyStudent records a coordinator's verification. Errors: PermissionDenied (not the
// programme's coordinator), FailedPrecondition (too old, wrong status), NotFound, Aborted.
func (a *App) VerifyStudent(ctx context.Context, id, sentEtag string) (*student.Student, error) {
	return a.changeStudent(ctx, id, sentEtag, studentsevents.StudentVerified.Subject, func(p auth.Principal, s *student.Student, _ string) error {
		if !p.CoordinatesProgramme(s.ProgrammeID()) {
			return errs.PermissionDenied("COORDINATOR_ONLY", "only a coordinator of the student's programme verifies a student")
		}
		_, maxAge, err := a.rules(ctx, s.ProgrammeID())
		if err != nil {
			return err
		}
		return s.Verify(p.AccountID, maxAge, a.now())
	})
}

// ArchiveStudent closes the record of a pending or verified student with no open application.
// Errors: PermissionDenied, FailedPrecondition, NotFound, Aborted.
func (a *App) ArchiveStudent(ctx context.Context, id, sentEtag string) (*student.Student, error) {
	return a.changeStudent(ctx, id, sentEtag, studentsevents.StudentArchived.Subject, func(p auth.Principal, s *student.Student, openID string) error {
		if !p.CoordinatesProgramme(s.ProgrammeID()) {
			return errs.PermissionDenied("COORDINATOR_ONLY", "only a coordinator of the student's programme archives a student")
		}
		return s.Archive(openID != "", a.now())
	})
}

// changeStudent is every student change: lock, check access and etag, change, store with the
// event. A caller who may not see the student gets NotFound, whatever the student's existence.
func (a *App) changeStudent(ctx context.Context, id, sentEtag, subject string, change func(p auth.Principal, s *student.Student, openApplicationID string) error) (*student.Student, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	s, err := a.store.UpdateStudent(ctx, id, func(s *student.Student, openID string) ([]*eventsv1.Envelope, error) {
		if !canManageStudent(p, s) {
			return nil, postgres.ErrStudentNotFound
		}
		if err := etag.Check(sentEtag, s.Version()); err != nil {
			return nil, err
		}
		if err := change(p, s, openID); err != nil {
			return nil, err
		}
		ev, err := studentEvent(subject, s, a.now())
		if err != nil {
			return nil, err
		}
		return []*eventsv1.Envelope{ev}, nil
	})
	if err != nil {
		return nil, errs.Annotate(err, "change student %s", id)
	}
	return s, nil
}
