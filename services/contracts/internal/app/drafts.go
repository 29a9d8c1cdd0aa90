package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

// ErrBadEvent is an event no retry will make usable: a refusal, which the consumer
// terminates (platform/consume).
var ErrBadEvent = errs.FailedPrecondition("BAD_EVENT", "unusable event")

// DraftFromMatch drafts the contract of an approved match, in tx (the consumer's inbox
// transaction), with the match's terms, the programme's notice and trial periods, and the
// default house rules and duties. A match that already has a contract, or was cancelled
// before its approval arrived, drafts nothing. Errors: ErrBadEvent (no match id or
// programme, or dates that do not parse), the database's.
func (a *App) DraftFromMatch(ctx context.Context, tx pgx.Tx, m *matchingeventsv1.MatchApproved, at time.Time) error {
	s := m.GetMatch()
	if s.GetMatchId() == "" || s.GetProgrammeId() == "" || s.GetHostId() == "" || s.GetStudentId() == "" {
		return fmt.Errorf("%w: match approved without match, programme, host or student id", ErrBadEvent)
	}
	start, err := optionalDate(m.GetMoveInDate())
	if err != nil {
		return fmt.Errorf("%w: move-in date: %w", ErrBadEvent, err)
	}
	end, err := optionalDate(m.GetMoveOutDate())
	if err != nil {
		return fmt.Errorf("%w: move-out date: %w", ErrBadEvent, err)
	}
	st := a.store.Within(tx)
	if cancelled, err := st.MatchCancelled(ctx, s.GetMatchId()); err != nil || cancelled {
		return err
	}
	r, err := a.rules(ctx, tx, s.GetProgrammeId())
	if err != nil {
		return err
	}
	from, err := optionalDate(m.GetRoomAvailableFrom())
	if err != nil {
		return fmt.Errorf("%w: room available from: %w", ErrBadEvent, err)
	}
	until, err := optionalDate(m.GetRoomAvailableUntil())
	if err != nil {
		return fmt.Errorf("%w: room available until: %w", ErrBadEvent, err)
	}
	room := contract.Availability{From: from, Until: until}
	// A contract always has an end date and stays within the room's availability: the draft
	// proposes dates that do (the coordinator may change them while DRAFT).
	start, end = contract.ProposeDates(start, end, room, contract.DefaultStayMonths)
	trial, trialNotice := r.settings.Periods()
	terms := contract.Terms{
		RoomTitle: m.GetRoomTitle(), RoomAreaM2: m.GetRoomAreaM2(), SharedSpaces: m.GetRoomSharedSpaces(), StartDate: start, EndDate: end,
		FormulaID: m.GetFormulaId(), MonthlyContributionCents: int(m.GetMonthlyContributionCents()),
		EveningsPerWeek: int(m.GetEveningsPerWeek()), HoursPerWeek: int(m.GetHoursPerWeek()),
		Services:   services(m.GetAgreedServices()),
		HouseRules: contract.DefaultHouseRules, NoticeDays: contract.LegalNoticeDays, TrialDays: trial, TrialNoticeDays: trialNotice,
		HostDuties: contract.DefaultHostDuties, StudentDuties: contract.DefaultStudentDuties,
	}
	c := contract.Draft(ids.New(), contract.Match{
		MatchID: s.GetMatchId(), ProgrammeID: s.GetProgrammeId(), RoomID: s.GetRoomId(), HostID: s.GetHostId(),
		StudentID: s.GetStudentId(), ApplicationID: s.GetApplicationId(), HostAssisted: m.GetHostAssisted(), Room: room,
	}, terms, at)
	ev, err := contractEvent(contractsevents.ContractDrafted.Subject, c, "MATCH_APPROVED", at)
	if err != nil {
		return err
	}
	_, err = st.InsertDraft(ctx, c, ev)
	return err
}

// CancelReasonMatch is the coded reason of a contract cancelled because its match was.
const CancelReasonMatch = "MATCH_CANCELLED"

// CancelFromMatch cancels the contract of a match cancelled after its approval, in tx: a
// DRAFT or AWAITING_SIGNATURES contract becomes CANCELLED; a contract already cancelled, or
// past its signatures, is left alone. When no contract exists yet, the match is remembered so
// that its approval, if it comes later, drafts nothing.
func (a *App) CancelFromMatch(ctx context.Context, tx pgx.Tx, m *matchingeventsv1.MatchChanged, at time.Time) error {
	if !m.GetWasApproved() {
		return nil
	}
	matchID := m.GetMatch().GetMatchId()
	if matchID == "" {
		return fmt.Errorf("%w: match cancelled without match id", ErrBadEvent)
	}
	st := a.store.Within(tx)
	_, err := st.UpdateContractWhere(ctx, `c.match_id = $1`, matchID, func(v postgres.View) (postgres.Effects, error) {
		c := v.Contract
		if c.Status() != contract.StatusDraft && c.Status() != contract.StatusAwaitingSignatures {
			return postgres.Effects{}, errNothingToDo
		}
		// A code, like the reasons matching writes itself: clients say it in their language.
		if err := c.Cancel(CancelReasonMatch, CancelReasonMatch, today(at), at); err != nil {
			return postgres.Effects{}, err
		}
		ev, err := contractEvent(contractsevents.ContractCancelled.Subject, c, CancelReasonMatch, at)
		if err != nil {
			return postgres.Effects{}, err
		}
		return postgres.Effects{Events: []*eventsv1.Envelope{ev}}, nil
	})
	switch {
	case errors.Is(err, errNothingToDo):
		return nil
	case errors.Is(err, postgres.ErrContractNotFound):
		return st.RememberCancelledMatch(ctx, matchID, at)
	}
	return err
}

var errNothingToDo = errors.New("nothing to do")

// SaveParty records what a host or student profile event says of its owner and name.
func (a *App) SaveParty(ctx context.Context, tx pgx.Tx, kind contract.Party, id, programmeID, owner, name string, assisted bool, at time.Time) error {
	if id == "" || programmeID == "" {
		return fmt.Errorf("%w: profile without id or programme", ErrBadEvent)
	}
	return a.store.Within(tx).SaveParty(ctx, kind, id, programmeID, owner, name, assisted, at)
}

func optionalDate(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, nil
	}
	return date.Parse(s)
}

func services(in []typev1.Service) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if n := protoenum.Name(s, typev1.Service_name, "SERVICE_"); n != "" && n != protoenum.Unknown {
			out = append(out, strings.ToUpper(n))
		}
	}
	return out
}
