// Package app holds the notifications service's use cases: turning an event into the
// notifications it calls for (plan), sending them (the dispatcher), reminders, the list and
// the settings.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/notifications/internal/contact"
	"github.com/cohabit/cohabit/services/notifications/internal/email"
	"github.com/cohabit/cohabit/services/notifications/internal/message"
	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/notifications/internal/sms"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/ids"
)

// Invitations reads an invitation's code from identity (GetInvitationCode, service accounts
// only): the code is never in an event nor in this database, only in the email.
type Invitations interface {
	Code(ctx context.Context, invitationID string) (string, error)
}

// ErrInvitationGone is an invitation used, replaced or expired: its email is not sent.
var ErrInvitationGone = contact.ErrInvitationGone

// App is the use cases over their dependencies.
type App struct {
	Store       *postgres.Store
	Contacts    contact.Reader
	Invitations Invitations
	Templates   *message.Templates
	Mail        email.Sender
	SMS         sms.Providers
	Now         func() time.Time
	// PublicURL is where the web application is, for the links in messages.
	PublicURL string
	// RetryBase is the delay after the first failed attempt (notice.Backoff).
	RetryBase time.Duration
	// Lease is how long an attempt holds its notification before another may take it:
	// longer than any send (the SMTP client's timeout is 30 s).
	Lease time.Duration
	Log   *slog.Logger

	kick chan struct{}
}

// New returns the use cases with defaults filled in.
func New(a App) *App {
	if a.Now == nil {
		a.Now = time.Now
	}
	if a.RetryBase == 0 {
		a.RetryBase = 30 * time.Second
	}
	if a.Lease == 0 {
		a.Lease = 2 * time.Minute
	}
	if a.Log == nil {
		a.Log = slog.New(slog.DiscardHandler)
	}
	a.kick = make(chan struct{}, 1)
	return &a
}

// Intent is one thing to tell one recipient, as an event calls for it.
type Intent struct {
	EventID     string
	EventTime   time.Time
	ProgrammeID string
	Topic       notice.Topic
	Kind        notice.Kind
	RecipientID string
	Params      postgres.Params
}

// Plan plans the notifications of intents in tx, the inbox transaction of the event they
// answer: an event redelivered, or handled by two replicas at once, creates each notification
// once. The consumer wakes the dispatcher after the commit (Kick).
func (a *App) Plan(ctx context.Context, tx pgx.Tx, intents []Intent) error {
	st := a.Store.Within(tx)
	for _, in := range intents {
		if _, err := a.plan(ctx, st, in); err != nil {
			return err
		}
	}
	return nil
}

// Kick wakes the dispatcher.
func (a *App) Kick() {
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// plan records the notifications of one intent: one per channel the recipient can be reached
// on (notice.Channels), each PENDING, SKIPPED with why, or for a call-list line PENDING until
// someone phones. The recipient's contact details are read to choose the channels and are not
// kept. A recipient whose record is gone is told nothing. st is bound to the transaction the
// notifications are recorded in.
func (a *App) plan(ctx context.Context, st *postgres.Store, in Intent) (int, error) {
	if in.Kind == notice.Coordinator {
		set, _, err := st.Settings(ctx, in.RecipientID)
		if err != nil {
			return 0, err
		}
		return a.insert(ctx, st, in, set.Language, notice.CoordinatorChannels(set))
	}
	p, err := a.Contacts.Read(ctx, in.Kind, in.RecipientID)
	if errors.Is(err, contact.ErrNotFound) {
		a.Log.InfoContext(ctx, "recipient not found; nothing sent", "event", in.EventID, "recipient", in.RecipientID)
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	account := p.AccountID
	if in.Kind == notice.Account {
		// The recipient is the account itself: its settings say its language.
		account = in.RecipientID
	}
	if account == "" {
		if account, err = st.AccountOf(ctx, in.RecipientID); err != nil {
			return 0, err
		}
	}
	set, _, err := st.Settings(ctx, account)
	if err != nil {
		return 0, err
	}
	return a.insert(ctx, st, in, set.Language, notice.Channels(p.Reach(), set, a.SMS.For(in.ProgrammeID) != nil))
}

func (a *App) insert(ctx context.Context, st *postgres.Store, in Intent, lang string, plans []notice.Plan) (int, error) {
	d := a.facts(lang, in.Kind, in.Params)
	subject, err := a.Templates.Subject(lang, in.Topic, d)
	if err != nil {
		return 0, err
	}
	now := a.Now()
	n := 0
	for _, p := range plans {
		row := postgres.Notification{
			ID: ids.New(), ProgrammeID: in.ProgrammeID, EventID: in.EventID, RecipientID: in.RecipientID,
			RecipientKind: in.Kind, Channel: p.Channel, Topic: in.Topic, Language: lang, Subject: subject,
			Params: in.Params, Status: notice.Pending, MessageID: notice.MessageID(in.EventID, in.RecipientID, p.Channel),
			EventTime: in.EventTime, CreatedAt: now,
		}
		switch {
		case p.Skip != "":
			row.Status, row.Failure = notice.Skipped, p.Skip
		case p.Channel == notice.Call:
			// A call-list line waits for a person to phone: the dispatcher never takes it.
			if row.Message, err = a.Templates.Call(lang, in.Topic, d); err != nil {
				return 0, err
			}
		default:
			row.NextAttemptAt = &now
		}
		added, err := st.Insert(ctx, row)
		if err != nil {
			return 0, err
		}
		if added {
			n++
		}
		if added && row.Channel == notice.Call && row.Status == notice.Pending {
			ev, err := callRequested(row, now)
			if err != nil {
				return 0, err
			}
			if err := st.Append(ctx, ev); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// facts is what a message may say from the event alone (no name, no contact detail): what
// the subject and the call-list line are written from.
func (a *App) facts(lang string, kind notice.Kind, p postgres.Params) message.Data {
	d := message.Data{Kind: string(kind), Subject: p.Subject, Date: message.DayString(lang, p.Date),
		Severity: message.Severity(lang, p.Severity), Link: a.PublicURL + p.Path}
	if !p.Meeting.IsZero() {
		d.Meeting = message.Moment(lang, p.Meeting)
	}
	return d
}

// Dispatch sends the notifications due now, at most limit, and returns how many it took.
func (a *App) Dispatch(ctx context.Context, limit int) (int, error) {
	attempts, err := a.Store.Claim(ctx, a.Now(), limit, a.Lease)
	if err != nil {
		return 0, err
	}
	for _, at := range attempts {
		if err := a.deliver(ctx, at); err != nil {
			return len(attempts), err
		}
	}
	return len(attempts), nil
}

// deliver makes one attempt and records its outcome. Only a failure to record is returned:
// the row then stays in flight, and its lease brings it back (as a Resend).
func (a *App) deliver(ctx context.Context, at postgres.Attempt) error {
	n := at.Notification
	if at.Resend {
		a.Log.WarnContext(ctx, "sending again after an attempt whose outcome is unknown", "notification", n.ID)
	}
	skip, err := a.send(ctx, n)
	now := a.Now()
	switch {
	case skip != "":
		return a.Store.MarkSkipped(ctx, n.ID, skip, now)
	case err == nil:
		return a.Store.MarkSent(ctx, n.ID, now)
	default:
		var retry *time.Time
		if n.Attempts < notice.MaxAttempts && !errors.Is(err, errPermanent) {
			t := now.Add(notice.Backoff(a.RetryBase, n.Attempts))
			retry = &t
		}
		a.Log.WarnContext(ctx, "notification not sent", "notification", n.ID, "attempt", n.Attempts, "retry", retry != nil, "err", err)
		return a.Store.MarkFailed(ctx, n.ID, failure(err), now, retry)
	}
}

var errPermanent = errors.New("no retry will help")

// failure is the reason recorded: the error's text, bounded.
func failure(err error) string {
	s := err.Error()
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}

// send writes and sends n. It returns why n is skipped instead ("" when not), or the failure.
func (a *App) send(ctx context.Context, n postgres.Notification) (string, error) {
	to, err := a.recipient(ctx, n)
	if errors.Is(err, contact.ErrNotFound) {
		if n.RecipientKind == notice.Coordinator {
			return "the programme has no email address", nil
		}
		return "the recipient's record no longer exists", nil
	}
	if err != nil {
		return "", err
	}
	d := a.facts(n.Language, n.RecipientKind, n.Params)
	d.Name = to.Name
	if n.Params.OtherID != "" {
		other, err := a.Contacts.Read(ctx, notice.Kind(n.Params.OtherKind), n.Params.OtherID)
		switch {
		case errors.Is(err, contact.ErrNotFound):
		case err != nil:
			return "", err
		default:
			d.Other, d.OtherCity = other.Name, other.City
			// SPEC §7: the other party's contact details only once the contract is active.
			if n.Topic.SharesContacts() {
				d.OtherEmail, d.OtherPhone = other.Email, other.Phone
			}
		}
	}
	if n.Topic == notice.Invitation {
		code, err := a.Invitations.Code(ctx, n.Params.Invitation)
		if errors.Is(err, ErrInvitationGone) {
			return "the invitation was used, replaced or has expired", nil
		}
		if err != nil {
			return "", err
		}
		d.Link = a.PublicURL + "/signup?code=" + code
	}
	m, err := a.Templates.Render(n.Language, n.Topic, d)
	if err != nil {
		return "", fmt.Errorf("%w: %w", errPermanent, err)
	}
	switch n.Channel {
	case notice.Email:
		if to.Email == "" {
			return "no email address any more", nil
		}
		return "", a.Mail.Send(ctx, email.Mail{To: to.Email, ToName: to.Name, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
			MessageID: n.MessageID, Language: n.Language})
	case notice.SMS:
		p := a.SMS.For(n.ProgrammeID)
		if p == nil {
			return notice.SkipNoProvider, nil
		}
		if to.Phone == "" {
			return "no phone number any more", nil
		}
		return "", p.Send(ctx, to.Phone, m.Subject+"\n"+m.Text, n.MessageID)
	default:
		return "", fmt.Errorf("%w: channel %s is not sent", errPermanent, n.Channel)
	}
}

// recipient reads how to reach n's recipient: a host or a student from their service; the
// coordinators at their association's address.
func (a *App) recipient(ctx context.Context, n postgres.Notification) (contact.Person, error) {
	if n.RecipientKind != notice.Coordinator {
		return a.Contacts.Read(ctx, n.RecipientKind, n.RecipientID)
	}
	email, err := a.Store.ProgrammeEmail(ctx, n.ProgrammeID)
	if err != nil {
		return contact.Person{}, err
	}
	if email == "" {
		return contact.Person{}, fmt.Errorf("%w: the programme has no email address", contact.ErrNotFound)
	}
	return contact.Person{Email: email}, nil
}

// Woken receives when an event planned notifications: the dispatcher (internal/jobs) then
// runs before its next tick.
func (a *App) Woken() <-chan struct{} { return a.kick }

// RunOnce sends the reminders due and the notifications due, until none is left.
func (a *App) RunOnce(ctx context.Context) error {
	for {
		n, err := a.RemindDue(ctx, 50)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
	}
	for {
		n, err := a.Dispatch(ctx, 20)
		if err != nil || n == 0 {
			return err
		}
	}
}

// ErasePerson applies an erasure (SPEC §9) in tx, the erasure consumer's transaction: the
// person's notifications, reminders, copy and settings go (postgres.Store.ErasePerson).
func (a *App) ErasePerson(ctx context.Context, tx pgx.Tx, p erasure.Person) error {
	return a.Store.Within(tx).ErasePerson(ctx, p)
}
