package app

import (
	"context"
	"errors"
	"strings"
	"time"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/matching/internal/score"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Errors of proposals.
var (
	ErrStudentTaken    = errs.FailedPrecondition("STUDENT_ALREADY_MATCHED", "the student already has an accepted or approved match")
	ErrRoomTaken       = errs.FailedPrecondition("ROOM_ALREADY_MATCHED", "the room already has an accepted or approved match")
	ErrHardConstraints = errs.FailedPrecondition("HARD_CONSTRAINTS", "the pair breaks hard constraints")
	ErrApplicationGone = errs.FailedPrecondition("APPLICATION_NOT_OPEN", "the student's application is no longer open")
	ErrPartyRequired   = errs.Invalid(errs.Violation{Field: "party", Description: "is required when a coordinator answers for a party (PARTY_HOST or PARTY_STUDENT)"})
	ErrNotYourParty    = errs.PermissionDenied("NOT_YOUR_PARTY", "you may answer only for your own side of the match")
	errMatchNotFound   = postgres.ErrMatchNotFound
)

// proposal is one pair to propose, checked against the pool in the proposing transaction.
type proposal struct {
	programmeID, roomID, studentID, by, allocationID string
}

// propose checks a pair and inserts its PROPOSED match with its event, in tx. The room and
// the application are read under a share lock, so that a withdrawal consumed meanwhile waits
// for this transaction instead of slipping under it. Errors: NotFound (room or student not
// in the programme's pool), FailedPrecondition (not available, no open application, taken,
// breaks hard constraints), the store's.
func (a *App) propose(ctx context.Context, tx *postgres.Store, pr proposal, requestID string, now time.Time) (*match.Match, error) {
	o, ok, err := tx.Offer(ctx, pr.roomID, true)
	if err != nil {
		return nil, err
	}
	if !ok || o.Room.ProgrammeID != pr.programmeID {
		return nil, ErrRoomNotFound
	}
	if !o.InPool() {
		return nil, ErrRoomNotInPool.WithMessage("the room is %s and its host %s: only a published room of a verified host is matched", o.Room.Status, o.Host.Status)
	}
	st, ok, err := tx.Student(ctx, pr.studentID)
	if err != nil {
		return nil, err
	}
	if !ok || st.ProgrammeID != pr.programmeID {
		return nil, ErrStudentNotFound
	}
	s, ok, err := tx.OpenSeeker(ctx, pr.studentID, true)
	if err != nil {
		return nil, err
	}
	if !ok || !s.InPool() {
		return nil, ErrNoApplication
	}
	roomTaken, studentTaken, err := tx.Taken(ctx, pr.roomID, pr.studentID)
	if err != nil {
		return nil, err
	}
	if roomTaken {
		return nil, ErrRoomTaken
	}
	if studentTaken {
		return nil, ErrStudentTaken
	}
	r := score.Score(o.ScoreRoom(a.langs), s.ScoreStudent(a.langs), a.weights(ctx, pr.programmeID))
	if !r.Feasible() {
		codes := make([]string, len(r.Broken))
		for i, c := range r.Broken {
			codes[i] = string(c.Code)
		}
		return nil, ErrHardConstraints.WithMessage("the pair breaks hard constraints: %s", strings.Join(codes, ", "))
	}
	days, err := a.expiryDays(ctx, pr.programmeID)
	if err != nil {
		return nil, err
	}
	m := match.New(ids.New(), pr.programmeID, pairOf(o, s), r.Score, pr.by, now.AddDate(0, 0, days), now)
	if pr.allocationID != "" {
		rec := m.Record()
		rec.AllocationID = pr.allocationID
		m = match.FromRecord(rec)
	}
	if err := tx.InsertMatch(ctx, m, pr.by, requestID); err != nil {
		return nil, err
	}
	ev, err := changed(m, "", now)
	if err != nil {
		return nil, err
	}
	return m, tx.Append(ctx, ev)
}

func pairOf(o pool.Offer, s pool.Seeker) match.Pair {
	return match.Pair{
		RoomID: o.Room.ID, HostID: o.Host.ID, StudentID: s.Student.ID, ApplicationID: s.Application.ID,
		HostAccountID: o.Host.OwnerAccountID, StudentAccountID: s.Student.OwnerAccountID,
		Host: o.Host.Summary(), Student: s.Student.Summary(),
	}
}

// CreateMatch proposes a room to a student of the coordinator's programme. A retry with the
// same request id returns the first match. Errors: see propose; AlreadyExists (the pair is
// already under way).
func (a *App) CreateMatch(ctx context.Context, roomID, studentID, requestID string) (*match.Match, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if requestID != "" {
		if m, err := a.store.MatchByRequest(ctx, p.AccountID, requestID); err == nil {
			return m, nil
		}
	}
	var m *match.Match
	err = a.store.InTx(ctx, func(tx *postgres.Store) error {
		var err error
		m, err = a.propose(ctx, tx, proposal{programmeID: p.ProgrammeID, roomID: roomID, studentID: studentID, by: p.AccountID}, requestID, a.now())
		return err
	})
	if c, ok := pg.IsUniqueViolation(err); ok && c == "matches_request" {
		// A concurrent retry committed first: answer with its match.
		return a.store.MatchByRequest(ctx, p.AccountID, requestID)
	}
	return m, err
}

// GetMatch returns a match to its parties or a coordinator of its programme. Errors: NotFound.
func (a *App) GetMatch(ctx context.Context, id string) (*match.Match, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	m, err := a.store.Match(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSeeMatch(p, m) {
		return nil, errMatchNotFound
	}
	return m, nil
}

// MatchQuery filters a list of matches.
type MatchQuery struct {
	Status    match.Status
	RoomID    string
	StudentID string
	Page      page.Request
}

// ListMatches lists the matches the caller may see: a coordinator's programme's, a party's
// own.
func (a *App) ListMatches(ctx context.Context, q MatchQuery) ([]*match.Match, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, "", err
	}
	after, limit, err := q.Page.Bounds()
	if err != nil {
		return nil, "", err
	}
	if (q.RoomID != "" && !ids.Valid(q.RoomID)) || (q.StudentID != "" && !ids.Valid(q.StudentID)) {
		return nil, "", nil // an id that names nothing filters everything out
	}
	f := postgres.MatchFilter{Status: q.Status, RoomID: q.RoomID, StudentID: q.StudentID, After: after, Limit: limit}
	switch p.Role {
	case auth.RoleCoordinator:
		f.ProgrammeID = p.ProgrammeID
	case auth.RoleHost:
		f.HostAccountID = p.AccountID
	case auth.RoleStudent:
		f.StudentAccountID = p.AccountID
	default:
		return nil, "", errs.PermissionDenied("ROLE_NOT_ALLOWED", "your role may not list matches")
	}
	ms, err := a.store.ListMatches(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return ms, page.Next(ms, limit, (*match.Match).ID), nil
}

// change runs one transition of match id under its row lock: the caller must see the match,
// sentEtag must be current, then fn changes it and returns the events it publishes.
func (a *App) change(ctx context.Context, id, sentEtag string, fn func(tx *postgres.Store, p auth.Principal, m *match.Match, now time.Time) ([]*eventsv1.Envelope, error)) (*match.Match, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return a.store.UpdateMatch(ctx, id, func(tx *postgres.Store, m *match.Match) ([]*eventsv1.Envelope, error) {
		if !canSeeMatch(p, m) {
			return nil, errMatchNotFound
		}
		if err := etag.Check(sentEtag, m.Version()); err != nil {
			return nil, err
		}
		return fn(tx, p, m, a.now())
	})
}

func one(ev *eventsv1.Envelope, err error) ([]*eventsv1.Envelope, error) {
	if err != nil {
		return nil, err
	}
	return []*eventsv1.Envelope{ev}, nil
}

// ScheduleMeeting records when the parties meet (coordinator). Errors: NotFound, Aborted
// (stale etag), Invalid (meeting not in the future), FailedPrecondition.
func (a *App) ScheduleMeeting(ctx context.Context, id, sentEtag string, at time.Time) (*match.Match, error) {
	return a.change(ctx, id, sentEtag, func(_ *postgres.Store, _ auth.Principal, m *match.Match, now time.Time) ([]*eventsv1.Envelope, error) {
		if err := m.ScheduleMeeting(at, now); err != nil {
			return nil, err
		}
		return one(changed(m, "", now))
	})
}

// partyOf is the side the caller answers for: implied for a host or student (who may name
// only their own side), required of a coordinator.
func partyOf(p auth.Principal, asked match.Party) (match.Party, error) {
	var own match.Party
	switch p.Role {
	case auth.RoleHost:
		own = match.PartyHost
	case auth.RoleStudent:
		own = match.PartyStudent
	default:
		if asked == "" {
			return "", ErrPartyRequired
		}
		return asked, nil
	}
	if asked != "" && asked != own {
		return "", ErrNotYourParty
	}
	return own, nil
}

// AcceptMatch records a party's yes. When it is the second yes the match becomes ACCEPTED;
// the unique indexes then let only one match per room and per student be ACCEPTED or
// APPROVED. Errors: NotFound, Invalid (party), PermissionDenied, Aborted (stale etag, or
// another match of the room or student was accepted first), FailedPrecondition.
func (a *App) AcceptMatch(ctx context.Context, id, sentEtag string, asked match.Party) (*match.Match, error) {
	return a.change(ctx, id, sentEtag, func(_ *postgres.Store, p auth.Principal, m *match.Match, now time.Time) ([]*eventsv1.Envelope, error) {
		party, err := partyOf(p, asked)
		if err != nil {
			return nil, err
		}
		if err := m.Accept(party, p.AccountID, now); err != nil {
			return nil, err
		}
		if m.Status() != match.StatusAccepted {
			return nil, nil // one yes of two: the record changes, no status, no event
		}
		return one(changed(m, party, now))
	})
}

// DeclineMatch records a party's no, with a reason. Errors: as AcceptMatch, Invalid (reason).
func (a *App) DeclineMatch(ctx context.Context, id, sentEtag string, asked match.Party, reason string) (*match.Match, error) {
	return a.change(ctx, id, sentEtag, func(_ *postgres.Store, p auth.Principal, m *match.Match, now time.Time) ([]*eventsv1.Envelope, error) {
		party, err := partyOf(p, asked)
		if err != nil {
			return nil, err
		}
		if err := m.Decline(party, p.AccountID, reason, now); err != nil {
			return nil, err
		}
		return one(changed(m, party, now))
	})
}

// ApproveMatch approves an ACCEPTED match (coordinator) and publishes what the contract needs.
// The room and the application must still be in the pool (not withdrawn meanwhile). The row
// lock makes two approvals at once one success and one FailedPrecondition. Errors: NotFound,
// Aborted (stale etag), FailedPrecondition.
func (a *App) ApproveMatch(ctx context.Context, id, sentEtag string) (*match.Match, error) {
	m, err := a.approveMatch(ctx, id, sentEtag, false)
	// The copy may lag the desk (its outbox, the stream, this consumer): wait for it and look
	// again for a short while before refusing for the documents.
	deadline := time.Now().Add(documentsPatience)
	for errors.Is(err, errDocumentsNotYet) {
		if err := a.syncDocuments(ctx); err != nil {
			return nil, err
		}
		last := time.Now().After(deadline)
		if !last {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
		m, err = a.approveMatch(ctx, id, sentEtag, last)
	}
	return m, err
}

func (a *App) approveMatch(ctx context.Context, id, sentEtag string, waited bool) (*match.Match, error) {
	return a.change(ctx, id, sentEtag, func(tx *postgres.Store, p auth.Principal, m *match.Match, now time.Time) ([]*eventsv1.Envelope, error) {
		if err := m.Approve(p.AccountID, now); err != nil {
			return nil, err
		}
		pr := m.Pair()
		o, ok, err := tx.Offer(ctx, pr.RoomID, true)
		if err != nil {
			return nil, err
		}
		if !ok || !o.InPool() {
			return nil, ErrRoomNotInPool.WithMessage("the room is no longer available (%s): cancel the match", o.Room.Status)
		}
		s, ok, err := tx.Seeker(ctx, pr.ApplicationID, true)
		if err != nil {
			return nil, err
		}
		if !ok || !s.InPool() {
			return nil, ErrApplicationGone.WithMessage("the student's application is no longer open (%s): cancel the match", s.Application.Status)
		}
		if err := checkDocuments(ctx, tx, pr.HostID, pr.StudentID, s.Application.MoveIn, waited); err != nil {
			return nil, err
		}
		return one(approved(m, o, s, now))
	})
}

// CancelMatch cancels a match before the stay (coordinator), with a reason. Errors: NotFound,
// Aborted (stale etag), Invalid (reason), FailedPrecondition.
func (a *App) CancelMatch(ctx context.Context, id, sentEtag, reason string) (*match.Match, error) {
	return a.change(ctx, id, sentEtag, func(_ *postgres.Store, _ auth.Principal, m *match.Match, now time.Time) ([]*eventsv1.Envelope, error) {
		if err := m.Cancel(reason, now); err != nil {
			return nil, err
		}
		return one(changed(m, "", now))
	})
}

// ExpireDue expires every open match past its expiry time, in batches, and returns how many.
// Safe to run on several replicas at once (see postgres.Store.ExpireDue).
func (a *App) ExpireDue(ctx context.Context) (int, error) {
	const batch = 100
	total := 0
	for {
		now := a.now()
		n, err := a.store.ExpireDue(ctx, now, batch, func(m *match.Match) ([]*eventsv1.Envelope, error) {
			if err := m.Expire(now); err != nil {
				return nil, err
			}
			return one(changed(m, "", now))
		})
		total += n
		if err != nil || n < batch {
			return total, err
		}
	}
}
