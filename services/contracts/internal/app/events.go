package app

import (
	"time"

	"google.golang.org/protobuf/proto"

	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/checkin"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/incident"
	"github.com/cohabit/cohabit/services/platform/event"
)

func envelope(subject, programmeID string, at time.Time, payload proto.Message) (*eventsv1.Envelope, error) {
	return event.New(subject, programmeID, at, payload)
}

func contractSummary(c *contract.Contract) *contractseventsv1.ContractSummary {
	r := c.Record()
	return &contractseventsv1.ContractSummary{
		ContractId: r.ID, ProgrammeId: r.ProgrammeID, MatchId: r.MatchID, RoomId: r.RoomID, HostId: r.HostID,
		StudentId: r.StudentID, ApplicationId: r.ApplicationID, Status: string(r.Status),
		StartDate: r.Terms.StartDate.String(), EndDate: c.LastDay().String(),
	}
}

// contractEvent tells of a contract change; reasonCode is a code, never free text.
func contractEvent(subject string, c *contract.Contract, reasonCode string, at time.Time) (*eventsv1.Envelope, error) {
	ev := &contractseventsv1.ContractChanged{Contract: contractSummary(c), ReasonCode: reasonCode}
	if n := c.Record().Termination; n != nil {
		ev.TerminationReason = n.Category // a category, never the reason's words
	}
	return envelope(subject, c.ProgrammeID(), at, ev)
}

func checkinEvent(subject string, ch *checkin.Checkin, at time.Time) (*eventsv1.Envelope, error) {
	r := ch.Record()
	return envelope(subject, r.ProgrammeID, at, &contractseventsv1.CheckinChanged{
		CheckinId: r.ID, ContractId: r.ContractID, ProgrammeId: r.ProgrammeID, Status: string(r.Status),
		DueDate: r.DueDate.String(), Concern: r.Concern, DoneDate: doneDate(r.DoneAt), Late: r.Late,
	})
}

// doneDate is the Paris day a check-in was recorded (the figures count check-ins by it), or
// "" while it is not done.
func doneDate(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return today(at).String()
}

func incidentEvent(subject string, i *incident.Incident, at time.Time) (*eventsv1.Envelope, error) {
	r := i.Record()
	return envelope(subject, r.ProgrammeID, at, &contractseventsv1.IncidentChanged{
		IncidentId: r.ID, ContractId: r.ContractID, ProgrammeId: r.ProgrammeID, Status: string(r.Status), Severity: string(r.Severity),
	})
}

// events builds several events, stopping at the first error.
type events struct {
	list []*eventsv1.Envelope
	err  error
}

func (e *events) add(ev *eventsv1.Envelope, err error) {
	if e.err != nil {
		return
	}
	if err != nil {
		e.err = err
		return
	}
	e.list = append(e.list, ev)
}

// ContractEvent is the event of subject about c, for the jobs.
func ContractEvent(subject string, c *contract.Contract, reasonCode string, at time.Time) (*eventsv1.Envelope, error) {
	return contractEvent(subject, c, reasonCode, at)
}

// CheckinEvent is the event of subject about ch, for the jobs.
func CheckinEvent(subject string, ch *checkin.Checkin, at time.Time) (*eventsv1.Envelope, error) {
	return checkinEvent(subject, ch, at)
}
