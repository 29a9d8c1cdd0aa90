package app

import (
	"context"
	"fmt"
	"time"

	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
)

// Kinds of reminder.
const (
	ReminderMeeting = "meeting"
	ReminderCheckin = "checkin"
)

// MeetingReminderDue is when a meeting's reminder goes: a day before it.
func MeetingReminderDue(at time.Time) time.Time { return at.Add(-24 * time.Hour) }

// CheckinReminderDue is when a check-in visit's reminder goes: 09:00 UTC (10:00 or 11:00 in
// Paris) the day before its due date.
func CheckinReminderDue(day time.Time) time.Time { return day.Add(-24*time.Hour + 9*time.Hour) }

// RemindDue plans the reminders due now, at most limit, and returns how many it took. The
// reminders are taken with FOR UPDATE SKIP LOCKED, planned and marked done in one
// transaction: with several replicas each reminder is planned by one, once. A reminder whose
// meeting or visit is already past is dropped (the service was down that day).
func (a *App) RemindDue(ctx context.Context, limit int) (int, error) {
	now := a.Now()
	planned := 0
	n, err := a.Store.DueReminders(ctx, now, limit, func(st *postgres.Store, r postgres.Reminder) error {
		if !r.At.After(now) {
			return nil
		}
		topic, p := notice.MeetingReminder, postgres.Params{Meeting: r.At, Path: "/"}
		if r.Kind == ReminderCheckin {
			topic, p = notice.CheckinReminder, postgres.Params{Date: r.At.Format(time.DateOnly), Path: "/"}
		}
		// The event id of a reminder names the time it is for: a meeting moved gets a
		// reminder of its own, a second run of the same one creates nothing.
		eventID := fmt.Sprintf("reminder:%s:%s:%d", r.Kind, r.SubjectID, r.At.Unix())
		for _, party := range []struct {
			kind      notice.Kind
			id, other string
			otherKind notice.Kind
		}{{notice.Host, r.HostID, r.StudentID, notice.Student}, {notice.Student, r.StudentID, r.HostID, notice.Host}} {
			pp := p
			pp.OtherKind, pp.OtherID = string(party.otherKind), party.other
			k, err := a.plan(ctx, st, Intent{EventID: eventID, EventTime: now, ProgrammeID: r.ProgrammeID, Topic: topic,
				Kind: party.kind, RecipientID: party.id, Params: pp})
			if err != nil {
				return err
			}
			planned += k
		}
		return nil
	})
	if planned > 0 {
		a.Kick()
	}
	return n, err
}
