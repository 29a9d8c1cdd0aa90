// Package notice is the domain of notifications (SPEC §7): who is told what, through which
// channel, and how a notification moves from PENDING to SENT, FAILED or SKIPPED. No I/O.
package notice

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/cohabit/cohabit/services/platform/errs"
)

// Channel is how a notification reaches its recipient.
type Channel string

// Channels of SPEC §7. CALL is a line of the coordinator's call list: a person phones.
const (
	Email Channel = "EMAIL"
	SMS   Channel = "SMS"
	Call  Channel = "CALL"
)

// Status is where a notification stands.
type Status string

// Statuses of SPEC §7.
const (
	Pending Status = "PENDING"
	Sent    Status = "SENT"
	Failed  Status = "FAILED"
	Skipped Status = "SKIPPED"
)

// Kind is the kind of recipient: a host or student record, a coordinator's account, or an
// account known only as such (whatever its role: the owner of an address someone signed up
// with).
type Kind string

// Kinds of recipient.
const (
	Host        Kind = "host"
	Student     Kind = "student"
	Coordinator Kind = "coordinator"
	Account     Kind = "account"
)

// Topic is what a notification is about; its templates are named after it.
type Topic string

// Topics. Parties are told about their match and contract; coordinators about what needs
// them at once.
const (
	MatchProposed    Topic = "MATCH_PROPOSED"
	MeetingScheduled Topic = "MEETING_SCHEDULED"
	MeetingReminder  Topic = "MEETING_REMINDER"
	MatchApproved    Topic = "MATCH_APPROVED"
	MatchDeclined    Topic = "MATCH_DECLINED"
	MatchCancelled   Topic = "MATCH_CANCELLED"
	ContractToSign   Topic = "CONTRACT_TO_SIGN"
	ContractActive   Topic = "CONTRACT_ACTIVE"
	NoticeGiven      Topic = "NOTICE_GIVEN"
	CheckinReminder  Topic = "CHECKIN_REMINDER"
	Invitation       Topic = "INVITATION"
	SignupToVerify   Topic = "SIGNUP_TO_VERIFY"
	IncidentReported Topic = "INCIDENT_REPORTED"
	CheckinConcern   Topic = "CHECKIN_CONCERN"
	// SignupDuplicated tells the owner of an account that someone signed up with its address
	// (the sign-up's answer did not say so: SPEC §3).
	SignupDuplicated Topic = "SIGNUP_DUPLICATED"
)

// Topics lists every topic (each has its templates in both languages).
var Topics = []Topic{MatchProposed, MeetingScheduled, MeetingReminder, MatchApproved, MatchDeclined,
	MatchCancelled, ContractToSign, ContractActive, NoticeGiven, CheckinReminder, Invitation,
	SignupToVerify, IncidentReported, CheckinConcern, SignupDuplicated}

// SharesContacts reports whether a message of topic may carry the other party's contact
// details: only once the contract is active (SPEC §7), so never for a proposal or a meeting.
func (t Topic) SharesContacts() bool { return t == ContractActive }

// Languages the platform writes in; French unless the person chose English.
const (
	French  = "fr"
	English = "en"
)

// Settings are an account's choices of channels and language.
type Settings struct {
	Email    bool
	SMS      bool
	Language string
}

// DefaultSettings are an account's until it changes them: email and SMS on (SMS goes out only
// where the programme has a provider), French.
func DefaultSettings() Settings { return Settings{Email: true, SMS: true, Language: French} }

// ErrLanguage is a language other than fr or en.
var ErrLanguage = errs.Invalid(errs.Violation{Field: "language", Description: `must be "fr" or "en"`})

// CheckLanguage returns ErrLanguage unless lang is fr or en.
func CheckLanguage(lang string) error {
	if lang != French && lang != English {
		return ErrLanguage
	}
	return nil
}

// Reach is what decides how a person can be reached, read from the record's owner when the
// event is handled: whether they have an email address and a phone, and whether they are an
// assisted host.
type Reach struct {
	HasEmail bool
	HasPhone bool
	Assisted bool
}

// Plan is one notification to create for a recipient: its channel, and for a channel that
// will not be used, why (the notification is then recorded SKIPPED).
type Plan struct {
	Channel Channel
	Skip    string
}

// Reasons a channel is skipped.
const (
	SkipEmailOff   = "email turned off in the person's settings"
	SkipSMSOff     = "SMS turned off in the person's settings"
	SkipNoProvider = "the programme has no SMS provider"
)

// Channels decides the channels of one notification to a person. An assisted host, or a
// person with neither email nor phone, gets a call-list line and nothing else (SPEC §7:
// nobody is left out, and an assisted host does not read email). Otherwise each channel the
// person can be reached on is planned: sent when their settings allow it (and, for SMS, the
// programme has a provider), recorded SKIPPED with why when not, so the record says why they
// were not told.
func Channels(r Reach, s Settings, smsProvider bool) []Plan {
	if r.Assisted || (!r.HasEmail && !r.HasPhone) {
		return []Plan{{Channel: Call}}
	}
	var out []Plan
	if r.HasEmail {
		p := Plan{Channel: Email}
		if !s.Email {
			p.Skip = SkipEmailOff
		}
		out = append(out, p)
	}
	if r.HasPhone {
		p := Plan{Channel: SMS}
		switch {
		case !s.SMS:
			p.Skip = SkipSMSOff
		case !smsProvider:
			p.Skip = SkipNoProvider
		}
		out = append(out, p)
	}
	return out
}

// CoordinatorChannels decides the channels of a notification to a coordinator: email, unless
// turned off. Coordinators are staff with an account and an email: no call list for them.
func CoordinatorChannels(s Settings) []Plan {
	p := Plan{Channel: Email}
	if !s.Email {
		p.Skip = SkipEmailOff
	}
	return []Plan{p}
}

// MessageID is the Message-ID of the message of (event, recipient, channel): stable, so that
// a message sent again after a crash (see the dispatcher) is recognisably the same message.
func MessageID(eventID, recipientID string, ch Channel) string {
	sum := sha256.Sum256([]byte(eventID + "\x00" + recipientID + "\x00" + string(ch)))
	return hex.EncodeToString(sum[:16]) + "@notifications.cohabit"
}

// Retry policy: a failed attempt is tried again after Backoff(attempts); after MaxAttempts
// the notification stays FAILED.
const MaxAttempts = 8

// Backoff returns the delay before the attempt after the n-th (n ≥ 1) failed one: base, then
// doubling, at most an hour.
func Backoff(base time.Duration, n int) time.Duration {
	d := base
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}
