// Package grpcapi is the hosts service's gRPC face: it translates between proto messages and
// the domain, and declares who may call each method.
package grpcapi

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/person"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

func profileFromProto(h *hostsv1.Host, v *errs.Violations) host.Profile {
	a := h.GetAddress()
	svcs := person.ServicesFromProto(v, "servicesWanted", h.GetServicesWanted())
	return host.Profile{
		DisplayName:         h.GetDisplayName(),
		BirthDate:           date.Field(v, "birthDate", h.GetBirthDate()),
		Phone:               h.GetPhone(),
		Email:               h.GetEmail(),
		Address:             host.Address{Line1: a.GetLine1(), Postcode: a.GetPostcode(), City: a.GetCity(), Lat: a.GetLat(), Lng: a.GetLng()},
		Languages:           h.GetLanguages(),
		Smokes:              h.GetSmokes(),
		HasPets:             h.GetHasPets(),
		ServicesWanted:      svcs,
		HoursWantedPerWeek:  int(h.GetHoursWantedPerWeek()),
		NightsWantedPerWeek: int(h.GetNightsWantedPerWeek()),
		Rhythm:              protoenum.Name(h.GetRhythm(), typev1.Rhythm_name, "RHYTHM_"),
		GenderPreference:    protoenum.Name(h.GetGenderPreference(), typev1.Gender_name, "GENDER_"),
		IsTenant:            h.GetIsTenant(),
		LandlordInformed:    h.GetLandlordInformed(),
		Guardianship:        protoenum.Name(h.GetGuardianship(), hostsv1.Guardianship_name, "GUARDIANSHIP_"),
		LegalRepresentative: representativeFromProto(h.GetLegalRepresentative()),
	}
}

func representativeFromProto(r *hostsv1.LegalRepresentative) host.Representative {
	return host.Representative{Name: r.GetName(), Phone: r.GetPhone(), Email: r.GetEmail(), Relationship: r.GetRelationship()}
}

// guardianshipToProto: a host under no measure shows GUARDIANSHIP_NONE and no representative.
func guardianshipToProto(p host.Profile) (hostsv1.Guardianship, *hostsv1.LegalRepresentative) {
	if p.Guardianship == "" {
		return hostsv1.Guardianship_GUARDIANSHIP_NONE, nil
	}
	r := p.LegalRepresentative
	return hostsv1.Guardianship(hostsv1.Guardianship_value["GUARDIANSHIP_"+p.Guardianship]),
		&hostsv1.LegalRepresentative{Name: r.Name, Phone: r.Phone, Email: r.Email, Relationship: r.Relationship}
}

func hostToProto(h *host.Host) *hostsv1.Host {
	r := h.Record()
	p := r.Profile
	out := &hostsv1.Host{
		Id:                    r.ID,
		ProgrammeId:           r.ProgrammeID,
		Status:                hostsv1.HostStatus(hostsv1.HostStatus_value["HOST_STATUS_"+string(r.Status)]),
		DisplayName:           p.DisplayName,
		BirthDate:             p.BirthDate.String(),
		Phone:                 p.Phone,
		Email:                 p.Email,
		Address:               &hostsv1.Address{Line1: p.Address.Line1, Postcode: p.Address.Postcode, City: p.Address.City, Lat: p.Address.Lat, Lng: p.Address.Lng, Approximate: p.Address.Approximate},
		Languages:             p.Languages,
		Smokes:                p.Smokes,
		HasPets:               p.HasPets,
		HoursWantedPerWeek:    int32(p.HoursWantedPerWeek),
		NightsWantedPerWeek:   int32(p.NightsWantedPerWeek),
		Rhythm:                typev1.Rhythm(typev1.Rhythm_value["RHYTHM_"+p.Rhythm]),
		GenderPreference:      typev1.Gender(typev1.Gender_value["GENDER_"+p.GenderPreference]),
		IsTenant:              p.IsTenant,
		LandlordInformed:      p.LandlordInformed,
		Assisted:              r.Assisted,
		ConsentRecorded:       r.ConsentRecorded,
		ConsentNoticeVersion:  r.ConsentNoticeVersion,
		ConsentTime:           timestamppb.New(r.CreatedAt),
		OwnerAccountId:        r.OwnerAccountID,
		RegisteredByAccountId: r.RegisteredBy,
		Etag:                  h.Etag(),
		CreateTime:            timestamppb.New(r.CreatedAt),
		UpdateTime:            timestamppb.New(r.UpdatedAt),
	}
	out.ServicesWanted = person.ServicesToProto(p.ServicesWanted)
	if !r.VerifiedAt.IsZero() {
		out.VerifiedTime = timestamppb.New(r.VerifiedAt)
	}
	out.Guardianship, out.LegalRepresentative = guardianshipToProto(p)
	return out
}

func detailsFromProto(r *hostsv1.Room, v *errs.Violations) room.Details {
	return room.Details{
		Title:                    r.GetTitle(),
		Description:              r.GetDescription(),
		AreaM2:                   r.GetAreaM2(),
		Floor:                    int(r.GetFloor()),
		Elevator:                 r.GetElevator(),
		Furnished:                r.GetFurnished(),
		PrivateBathroom:          r.GetPrivateBathroom(),
		MonthlyContributionCents: int(r.GetMonthlyContributionCents()),
		FormulaID:                r.GetFormulaId(),
		SharedSpaces:             r.GetSharedSpaces(),
		AvailableFrom:            date.Field(v, "availableFrom", r.GetAvailableFrom()),
		AvailableUntil:           date.Field(v, "availableUntil", r.GetAvailableUntil()),
		MinStayMonths:            int(r.GetMinStayMonths()),
		SmokingAllowed:           r.GetSmokingAllowed(),
		PetsAllowed:              r.GetPetsAllowed(),
	}
}

func roomToProto(r *room.Room) *hostsv1.Room {
	rec := r.Record()
	d := rec.Details
	return &hostsv1.Room{
		Id:                       rec.ID,
		ProgrammeId:              rec.ProgrammeID,
		HostId:                   rec.HostID,
		Status:                   hostsv1.RoomStatus(hostsv1.RoomStatus_value["ROOM_STATUS_"+string(rec.Status)]),
		Title:                    d.Title,
		Description:              d.Description,
		AreaM2:                   d.AreaM2,
		Floor:                    int32(d.Floor),
		Elevator:                 d.Elevator,
		Furnished:                d.Furnished,
		PrivateBathroom:          d.PrivateBathroom,
		MonthlyContributionCents: int32(d.MonthlyContributionCents),
		FormulaId:                d.FormulaID,
		SharedSpaces:             d.SharedSpaces,
		AvailableFrom:            d.AvailableFrom.String(),
		AvailableUntil:           d.AvailableUntil.String(),
		MinStayMonths:            int32(d.MinStayMonths),
		SmokingAllowed:           d.SmokingAllowed,
		PetsAllowed:              d.PetsAllowed,
		City:                     rec.City,
		Etag:                     r.Etag(),
		CreateTime:               timestamppb.New(rec.CreatedAt),
		UpdateTime:               timestamppb.New(rec.UpdatedAt),
	}
}

func hostStatusFromProto(s hostsv1.HostStatus) host.Status {
	return host.Status(protoenum.Name(s, hostsv1.HostStatus_name, "HOST_STATUS_"))
}

func roomStatusFromProto(s hostsv1.RoomStatus) room.Status {
	return room.Status(protoenum.Name(s, hostsv1.RoomStatus_name, "ROOM_STATUS_"))
}
