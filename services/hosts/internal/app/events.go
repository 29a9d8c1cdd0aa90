package app

import (
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/person"
)

func envelope(subject, programmeID string, at time.Time, payload proto.Message) (*eventsv1.Envelope, error) {
	return event.New(subject, programmeID, at, payload)
}

// hostProfile is what other services may know of a host: no phone, email, street or birth
// date (ARCHITECTURE.md, events).
func hostProfile(h *host.Host, at time.Time) *hostseventsv1.HostProfile {
	r := h.Record()
	p := r.Profile
	return &hostseventsv1.HostProfile{
		HostId:              r.ID,
		ProgrammeId:         r.ProgrammeID,
		Status:              string(r.Status),
		DisplayName:         p.DisplayName,
		Age:                 int32(p.BirthDate.YearsOn(date.Of(at))),
		City:                p.Address.City,
		Lat:                 p.Address.Lat,
		Lng:                 p.Address.Lng,
		ApproximatePosition: p.Address.Approximate,
		Languages:           p.Languages,
		Smokes:              p.Smokes,
		HasPets:             p.HasPets,
		ServicesWanted:      person.ServicesToProto(p.ServicesWanted),
		HoursWantedPerWeek:  int32(p.HoursWantedPerWeek),
		NightsWantedPerWeek: int32(p.NightsWantedPerWeek),
		Rhythm:              typev1.Rhythm(typev1.Rhythm_value["RHYTHM_"+p.Rhythm]),
		GenderPreference:    typev1.Gender(typev1.Gender_value["GENDER_"+p.GenderPreference]),
		Assisted:            r.Assisted,
		OwnerAccountId:      r.OwnerAccountID,
		IsTenant:            p.IsTenant,
	}
}

func roomProfile(r *room.Room) *hostseventsv1.RoomProfile {
	rec := r.Record()
	d := rec.Details
	return &hostseventsv1.RoomProfile{
		RoomId:                   rec.ID,
		HostId:                   rec.HostID,
		ProgrammeId:              rec.ProgrammeID,
		Status:                   string(rec.Status),
		Title:                    d.Title,
		AreaM2:                   d.AreaM2,
		MonthlyContributionCents: int32(d.MonthlyContributionCents),
		FormulaId:                d.FormulaID,
		AvailableFrom:            d.AvailableFrom.String(),
		AvailableUntil:           d.AvailableUntil.String(),
		MinStayMonths:            int32(d.MinStayMonths),
		SmokingAllowed:           d.SmokingAllowed,
		PetsAllowed:              d.PetsAllowed,
		City:                     rec.City,
		SharedSpaces:             d.SharedSpaces,
	}
}

func hostEvent(subject string, h *host.Host, at time.Time) (*eventsv1.Envelope, error) {
	var payload proto.Message
	prof := hostProfile(h, at)
	switch subject {
	case hostsevents.HostRegistered.Subject:
		payload = &hostseventsv1.HostRegistered{Host: prof}
	case hostsevents.HostUpdated.Subject:
		payload = &hostseventsv1.HostUpdated{Host: prof}
	case hostsevents.HostVerified.Subject:
		payload = &hostseventsv1.HostVerified{Host: prof, VerifiedByAccountId: h.Record().VerifiedBy}
	default:
		payload = &hostseventsv1.HostStatusChanged{Host: prof, Reason: h.Record().StatusReason}
	}
	return envelope(subject, h.ProgrammeID(), at, payload)
}

func roomEvent(subject string, r *room.Room, h *host.Host, at time.Time) (*eventsv1.Envelope, error) {
	var payload proto.Message
	prof := roomProfile(r)
	switch subject {
	case hostsevents.RoomCreated.Subject:
		payload = &hostseventsv1.RoomCreated{Room: prof}
	case hostsevents.RoomPublished.Subject:
		payload = &hostseventsv1.RoomPublished{Room: prof, Host: hostProfile(h, at)}
	case hostsevents.RoomWithdrawn.Subject:
		payload = &hostseventsv1.RoomWithdrawn{Room: prof}
	default:
		payload = &hostseventsv1.RoomUpdated{Room: prof}
	}
	return envelope(subject, r.ProgrammeID(), at, payload)
}
