// Package eventsub holds the contracts service's durable consumers of other services' events:
// approved and cancelled matches (MATCHING), and the hosts' and students' profiles (HOSTS,
// STUDENTS), which say who owns each party's record and their name. Each event is handled
// once per consumer (platform/inbox): claiming it and applying it commit together.
package eventsub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/app"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// Subjects consumed.
const (
	SubjectMatchApproved  = "cohabit.matching.match.approved"
	SubjectMatchCancelled = "cohabit.matching.match.cancelled"
	SubjectHosts          = "cohabit.hosts.host.>"
	SubjectStudents       = "cohabit.students.student.>"
)

// Durable names, "<consumer>-<source>"; each is also the consumer's name in the inbox.
const (
	DurableMatching = "contracts-matching"
	DurableHosts    = "contracts-hosts"
	DurableStudents = "contracts-students"
)

// Consumers returns the service's consumers of other services' streams.
func Consumers(pool *pgxpool.Pool, a *app.App, log *slog.Logger) []*natsx.Consumer {
	return []*natsx.Consumer{Matching(pool, a, log), Hosts(pool, a, log), Students(pool, a, log)}
}

// Matching drafts a contract for each approved match, and cancels it when the match is
// cancelled after its approval.
func Matching(pool *pgxpool.Pool, a *app.App, log *slog.Logger) *natsx.Consumer {
	return &natsx.Consumer{
		Stream:   "MATCHING",
		Durable:  DurableMatching,
		Subjects: []string{SubjectMatchApproved, SubjectMatchCancelled},
		Log:      log,
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			at := a.Now()
			switch e.GetType() {
			case SubjectMatchApproved:
				m, err := event.Payload(e, &matchingeventsv1.MatchApproved{})
				if err != nil {
					return permanent(err)
				}
				return handle(ctx, pool, DurableMatching, e, func(tx pgx.Tx) error { return a.DraftFromMatch(ctx, tx, m, at) })
			case SubjectMatchCancelled:
				m, err := event.Payload(e, &matchingeventsv1.MatchChanged{})
				if err != nil {
					return permanent(err)
				}
				return handle(ctx, pool, DurableMatching, e, func(tx pgx.Tx) error { return a.CancelFromMatch(ctx, tx, m, at) })
			}
			return nil
		},
	}
}

// Hosts copies each host's owner account, name and assisted flag.
func Hosts(pool *pgxpool.Pool, a *app.App, log *slog.Logger) *natsx.Consumer {
	return &natsx.Consumer{
		Stream:   "HOSTS",
		Durable:  DurableHosts,
		Subjects: []string{SubjectHosts},
		Log:      log,
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			m, err := e.GetPayload().UnmarshalNew()
			if err != nil {
				return permanent(err)
			}
			h, ok := m.(interface {
				GetHost() *hostseventsv1.HostProfile
			})
			if !ok || h.GetHost() == nil {
				return nil
			}
			p := h.GetHost()
			return handle(ctx, pool, DurableHosts, e, func(tx pgx.Tx) error {
				return a.SaveParty(ctx, tx, contract.PartyHost, p.GetHostId(), p.GetProgrammeId(), p.GetOwnerAccountId(), p.GetDisplayName(), p.GetAssisted(), e.GetOccurredAt().AsTime())
			})
		},
	}
}

// Students copies each student's owner account and name.
func Students(pool *pgxpool.Pool, a *app.App, log *slog.Logger) *natsx.Consumer {
	return &natsx.Consumer{
		Stream:   "STUDENTS",
		Durable:  DurableStudents,
		Subjects: []string{SubjectStudents},
		Log:      log,
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			m, err := e.GetPayload().UnmarshalNew()
			if err != nil {
				return permanent(err)
			}
			s, ok := m.(interface {
				GetStudent() *studentseventsv1.StudentProfile
			})
			if !ok || s.GetStudent() == nil {
				return nil
			}
			p := s.GetStudent()
			return handle(ctx, pool, DurableStudents, e, func(tx pgx.Tx) error {
				return a.SaveParty(ctx, tx, contract.PartyStudent, p.GetStudentId(), p.GetProgrammeId(), p.GetOwnerAccountId(), p.GetDisplayName(), false, e.GetOccurredAt().AsTime())
			})
		},
	}
}

// handle applies fn once per (consumer, event), and turns an unusable event into a
// permanent failure (terminated and logged rather than retried forever).
func handle(ctx context.Context, pool *pgxpool.Pool, consumer string, e *eventsv1.Envelope, fn func(pgx.Tx) error) error {
	err := inbox.Handle(ctx, pool, consumer, e.GetId(), fn)
	if errors.Is(err, app.ErrBadEvent) {
		return permanent(err)
	}
	return err
}

func permanent(err error) error { return fmt.Errorf("%w: %w", natsx.ErrPermanent, err) }
