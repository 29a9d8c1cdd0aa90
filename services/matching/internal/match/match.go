// Package match is the match domain: a proposed pairing of a room and a student, and its
// lifecycle (SPEC §2):
//
//	PROPOSED → MEETING_SCHEDULED → ACCEPTED (host and student both accepted) → APPROVED → COMPLETED
//	PROPOSED|MEETING_SCHEDULED|ACCEPTED → DECLINED | CANCELLED | EXPIRED
//	APPROVED → CANCELLED (the contract is cancelled before the stay)
//
// Any other transition is refused with FailedPrecondition and a message that says why. The
// invariant "one ACCEPTED or APPROVED match per room and per student" spans matches, so the
// store guards it (unique partial indexes); this package only decides one match's moves.
package match

import (
	"strings"
	"time"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
)

// Status is a match's place in its lifecycle.
type Status string

// The statuses of SPEC §2.
const (
	StatusProposed         Status = "PROPOSED"
	StatusMeetingScheduled Status = "MEETING_SCHEDULED"
	StatusAccepted         Status = "ACCEPTED"
	StatusApproved         Status = "APPROVED"
	StatusCompleted        Status = "COMPLETED"
	StatusDeclined         Status = "DECLINED"
	StatusCancelled        Status = "CANCELLED"
	StatusExpired          Status = "EXPIRED"
)

// Open reports whether the match is still on its way to a stay: it may yet be declined,
// cancelled or expire.
func (s Status) Open() bool {
	return s == StatusProposed || s == StatusMeetingScheduled || s == StatusAccepted
}

// Party is one side of a match.
type Party string

// The parties.
const (
	PartyHost    Party = "HOST"
	PartyStudent Party = "STUDENT"
)

// DefaultExpiryDays is how long a proposal stays open when the programme set nothing.
const DefaultExpiryDays = 14

// Errors of the lifecycle.
var (
	// ErrStatus is a transition the current status does not allow; its message names both.
	ErrStatus          = errs.FailedPrecondition("MATCH_STATUS", "the match's status does not allow this")
	ErrNoMeeting       = errs.FailedPrecondition("MEETING_NOT_SCHEDULED", "the parties answer after they have met: schedule the meeting first")
	ErrAlreadyAnswered = errs.FailedPrecondition("ALREADY_ANSWERED", "this party has already accepted the match")
	ErrNotDue          = errs.FailedPrecondition("NOT_EXPIRED", "the match has not reached its expiry time")
)

func refuse(action string, s Status, allowed ...Status) error {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return ErrStatus.WithMessage("cannot %s a match that is %s: it must be %s", action, s, strings.Join(names, " or "))
}

// Pair is what the match is about, fixed when it is proposed.
type Pair struct {
	RoomID        string `json:"roomId"`
	HostID        string `json:"hostId"`
	StudentID     string `json:"studentId"`
	ApplicationID string `json:"applicationId"`
	// HostAccountID and StudentAccountID own the parties' records ("" for an assisted host):
	// they are who may see and answer the match as a party.
	HostAccountID    string       `json:"hostAccountId,omitempty"`
	StudentAccountID string       `json:"studentAccountId,omitempty"`
	Host             pool.Summary `json:"host"`
	Student          pool.Summary `json:"student"`
}

// Record is the whole state of a match, for storage.
type Record struct {
	ID                string    `json:"id"`
	ProgrammeID       string    `json:"programmeId"`
	Pair              Pair      `json:"pair"`
	Status            Status    `json:"status"`
	Score             float64   `json:"score"`
	ProposedBy        string    `json:"proposedBy"`
	AllocationID      string    `json:"allocationId,omitempty"`
	MeetingAt         time.Time `json:"meetingAt,omitzero"`
	HostAccepted      bool      `json:"hostAccepted,omitempty"`
	StudentAccepted   bool      `json:"studentAccepted,omitempty"`
	HostAnsweredBy    string    `json:"hostAnsweredBy,omitempty"`
	StudentAnsweredBy string    `json:"studentAnsweredBy,omitempty"`
	DeclinedBy        Party     `json:"declinedBy,omitempty"`
	DeclineReason     string    `json:"declineReason,omitempty"`
	CancelReason      string    `json:"cancelReason,omitempty"`
	WasApproved       bool      `json:"wasApproved,omitempty"`
	ApprovedBy        string    `json:"approvedBy,omitempty"`
	ExpireAt          time.Time `json:"expireAt"`
	Version           int       `json:"version"`
	CreatedAt         time.Time `json:"createdAt"`
	UpdatedAt         time.Time `json:"updatedAt"`
}

// Match is a match; its fields change only through its transitions.
type Match struct{ r Record }

// New proposes pair as a match expiring at expireAt. The checks that need other records (the
// pair is in the pool, breaks no hard constraint, neither side is taken) are the caller's.
func New(id, programmeID string, p Pair, score float64, proposedBy string, expireAt, now time.Time) *Match {
	return &Match{r: Record{
		ID: id, ProgrammeID: programmeID, Pair: p, Status: StatusProposed, Score: score, ProposedBy: proposedBy,
		ExpireAt: expireAt, Version: 1, CreatedAt: now, UpdatedAt: now,
	}}
}

// FromRecord restores a stored match.
func FromRecord(r Record) *Match { return &Match{r: r} }

// Record returns a copy of the state.
func (m *Match) Record() Record { return m.r }

// ID is the match's id.
func (m *Match) ID() string { return m.r.ID }

// ProgrammeID is the programme the match belongs to.
func (m *Match) ProgrammeID() string { return m.r.ProgrammeID }

// Status is the current status.
func (m *Match) Status() Status { return m.r.Status }

// Version counts the changes; Etag renders it.
func (m *Match) Version() int { return m.r.Version }

// Etag is the match's current etag.
func (m *Match) Etag() string { return etag.Of(m.r.Version) }

// Pair is what the match is about.
func (m *Match) Pair() Pair { return m.r.Pair }

func (m *Match) touch(now time.Time) {
	m.r.Version++
	m.r.UpdatedAt = now
}

// ScheduleMeeting records when the parties meet: PROPOSED → MEETING_SCHEDULED. A scheduled
// meeting may be moved (the status stays). Errors: Invalid (meetingAt not in the future),
// FailedPrecondition.
func (m *Match) ScheduleMeeting(at, now time.Time) error {
	if m.r.Status != StatusProposed && m.r.Status != StatusMeetingScheduled {
		return refuse("schedule a meeting for", m.r.Status, StatusProposed, StatusMeetingScheduled)
	}
	if !at.After(now) {
		return errs.Invalid(errs.Violation{Field: "meetingAt", Description: "must be in the future"})
	}
	m.r.Status = StatusMeetingScheduled
	m.r.MeetingAt = at
	m.touch(now)
	return nil
}

// Accept records party's yes, given by account by (the party itself or a coordinator on its
// behalf). When both parties have accepted the match is ACCEPTED. Errors: FailedPrecondition
// (not MEETING_SCHEDULED, or this party already accepted).
func (m *Match) Accept(party Party, by string, now time.Time) error {
	switch m.r.Status {
	case StatusMeetingScheduled:
	case StatusProposed:
		return ErrNoMeeting
	default:
		return refuse("accept", m.r.Status, StatusMeetingScheduled)
	}
	if party == PartyHost {
		if m.r.HostAccepted {
			return ErrAlreadyAnswered
		}
		m.r.HostAccepted, m.r.HostAnsweredBy = true, by
	} else {
		if m.r.StudentAccepted {
			return ErrAlreadyAnswered
		}
		m.r.StudentAccepted, m.r.StudentAnsweredBy = true, by
	}
	if m.r.HostAccepted && m.r.StudentAccepted {
		m.r.Status = StatusAccepted
	}
	m.touch(now)
	return nil
}

// Decline records party's no with a reason: PROPOSED|MEETING_SCHEDULED|ACCEPTED → DECLINED.
// Errors: Invalid (no reason), FailedPrecondition.
func (m *Match) Decline(party Party, by, reason string, now time.Time) error {
	if !m.r.Status.Open() {
		return refuse("decline", m.r.Status, StatusProposed, StatusMeetingScheduled, StatusAccepted)
	}
	if strings.TrimSpace(reason) == "" {
		return errs.Invalid(errs.Violation{Field: "reason", Description: "is required"})
	}
	m.r.Status, m.r.DeclinedBy, m.r.DeclineReason = StatusDeclined, party, reason
	if party == PartyHost {
		m.r.HostAnsweredBy = by
	} else {
		m.r.StudentAnsweredBy = by
	}
	m.touch(now)
	return nil
}

// Approve is the coordinator's approval: ACCEPTED → APPROVED. Errors: FailedPrecondition.
func (m *Match) Approve(by string, now time.Time) error {
	if m.r.Status != StatusAccepted {
		return refuse("approve", m.r.Status, StatusAccepted)
	}
	m.r.Status, m.r.ApprovedBy = StatusApproved, by
	m.touch(now)
	return nil
}

// Cancel ends the match before the stay: PROPOSED|MEETING_SCHEDULED|ACCEPTED|APPROVED →
// CANCELLED. WasApproved tells consumers to put room and application back in the pool.
// Errors: Invalid (no reason), FailedPrecondition.
func (m *Match) Cancel(reason string, now time.Time) error {
	if !m.r.Status.Open() && m.r.Status != StatusApproved {
		return refuse("cancel", m.r.Status, StatusProposed, StatusMeetingScheduled, StatusAccepted, StatusApproved)
	}
	if strings.TrimSpace(reason) == "" {
		return errs.Invalid(errs.Violation{Field: "reason", Description: "is required"})
	}
	m.r.WasApproved = m.r.Status == StatusApproved
	m.r.Status, m.r.CancelReason = StatusCancelled, reason
	m.touch(now)
	return nil
}

// Expire closes an open match past its expiry time: PROPOSED|MEETING_SCHEDULED|ACCEPTED →
// EXPIRED. Errors: FailedPrecondition (not open, or not due).
func (m *Match) Expire(now time.Time) error {
	if !m.r.Status.Open() {
		return refuse("expire", m.r.Status, StatusProposed, StatusMeetingScheduled, StatusAccepted)
	}
	if now.Before(m.r.ExpireAt) {
		return ErrNotDue
	}
	m.r.Status = StatusExpired
	m.touch(now)
	return nil
}

// Complete records that the stay ended: APPROVED → COMPLETED. Errors: FailedPrecondition.
func (m *Match) Complete(now time.Time) error {
	if m.r.Status != StatusApproved {
		return refuse("complete", m.r.Status, StatusApproved)
	}
	m.r.Status = StatusCompleted
	m.touch(now)
	return nil
}
