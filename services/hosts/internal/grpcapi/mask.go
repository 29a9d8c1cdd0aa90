package grpcapi

import (
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/fieldmask"
)

// Fields a client may change, by update_mask path (proto names, as grpc-gateway derives them
// from a PATCH body). Status, ids, ownership and consent are changed only by their own methods.
var hostMask = fieldmask.Setters[host.Profile]{
	"display_name":           func(d *host.Profile, s host.Profile) { d.DisplayName = s.DisplayName },
	"birth_date":             func(d *host.Profile, s host.Profile) { d.BirthDate = s.BirthDate },
	"phone":                  func(d *host.Profile, s host.Profile) { d.Phone = s.Phone },
	"email":                  func(d *host.Profile, s host.Profile) { d.Email = s.Email },
	"address":                func(d *host.Profile, s host.Profile) { d.Address = s.Address },
	"address.line1":          func(d *host.Profile, s host.Profile) { d.Address.Line1 = s.Address.Line1 },
	"address.postcode":       func(d *host.Profile, s host.Profile) { d.Address.Postcode = s.Address.Postcode },
	"address.city":           func(d *host.Profile, s host.Profile) { d.Address.City = s.Address.City },
	"address.lat":            func(d *host.Profile, s host.Profile) { d.Address.Lat = s.Address.Lat },
	"address.lng":            func(d *host.Profile, s host.Profile) { d.Address.Lng = s.Address.Lng },
	"languages":              func(d *host.Profile, s host.Profile) { d.Languages = s.Languages },
	"smokes":                 func(d *host.Profile, s host.Profile) { d.Smokes = s.Smokes },
	"has_pets":               func(d *host.Profile, s host.Profile) { d.HasPets = s.HasPets },
	"services_wanted":        func(d *host.Profile, s host.Profile) { d.ServicesWanted = s.ServicesWanted },
	"hours_wanted_per_week":  func(d *host.Profile, s host.Profile) { d.HoursWantedPerWeek = s.HoursWantedPerWeek },
	"nights_wanted_per_week": func(d *host.Profile, s host.Profile) { d.NightsWantedPerWeek = s.NightsWantedPerWeek },
	"rhythm":                 func(d *host.Profile, s host.Profile) { d.Rhythm = s.Rhythm },
	"gender_preference":      func(d *host.Profile, s host.Profile) { d.GenderPreference = s.GenderPreference },
	"is_tenant":              func(d *host.Profile, s host.Profile) { d.IsTenant = s.IsTenant },
	"landlord_informed":      func(d *host.Profile, s host.Profile) { d.LandlordInformed = s.LandlordInformed },
	"guardianship":           func(d *host.Profile, s host.Profile) { d.Guardianship = s.Guardianship },
	"legal_representative":   func(d *host.Profile, s host.Profile) { d.LegalRepresentative = s.LegalRepresentative },
	"legal_representative.name": func(d *host.Profile, s host.Profile) {
		d.LegalRepresentative.Name = s.LegalRepresentative.Name
	},
	"legal_representative.phone": func(d *host.Profile, s host.Profile) {
		d.LegalRepresentative.Phone = s.LegalRepresentative.Phone
	},
	"legal_representative.email": func(d *host.Profile, s host.Profile) {
		d.LegalRepresentative.Email = s.LegalRepresentative.Email
	},
	"legal_representative.relationship": func(d *host.Profile, s host.Profile) {
		d.LegalRepresentative.Relationship = s.LegalRepresentative.Relationship
	},
}

var roomMask = fieldmask.Setters[room.Details]{
	"title":                      func(d *room.Details, s room.Details) { d.Title = s.Title },
	"description":                func(d *room.Details, s room.Details) { d.Description = s.Description },
	"area_m2":                    func(d *room.Details, s room.Details) { d.AreaM2 = s.AreaM2 },
	"floor":                      func(d *room.Details, s room.Details) { d.Floor = s.Floor },
	"elevator":                   func(d *room.Details, s room.Details) { d.Elevator = s.Elevator },
	"furnished":                  func(d *room.Details, s room.Details) { d.Furnished = s.Furnished },
	"private_bathroom":           func(d *room.Details, s room.Details) { d.PrivateBathroom = s.PrivateBathroom },
	"monthly_contribution_cents": func(d *room.Details, s room.Details) { d.MonthlyContributionCents = s.MonthlyContributionCents },
	"formula_id":                 func(d *room.Details, s room.Details) { d.FormulaID = s.FormulaID },
	"shared_spaces":              func(d *room.Details, s room.Details) { d.SharedSpaces = s.SharedSpaces },
	"available_from":             func(d *room.Details, s room.Details) { d.AvailableFrom = s.AvailableFrom },
	"available_until":            func(d *room.Details, s room.Details) { d.AvailableUntil = s.AvailableUntil },
	"min_stay_months":            func(d *room.Details, s room.Details) { d.MinStayMonths = s.MinStayMonths },
	"smoking_allowed":            func(d *room.Details, s room.Details) { d.SmokingAllowed = s.SmokingAllowed },
	"pets_allowed":               func(d *room.Details, s room.Details) { d.PetsAllowed = s.PetsAllowed },
}

// ignored are paths a client may echo back from a GET without meaning to change them.
var ignored = map[string]bool{"id": true, "etag": true, "programme_id": true, "status": true, "create_time": true,
	"update_time": true, "host_id": true, "city": true, "assisted": true, "consent_recorded": true,
	"owner_account_id": true, "registered_by_account_id": true, "verified_time": true}

func hostChange(in *hostsv1.UpdateHostRequest) (func(*host.Profile) error, error) {
	return hostMask.Parse(in.GetUpdateMask(), func(v *errs.Violations) host.Profile { return profileFromProto(in.GetHost(), v) }, ignored)
}

func roomChange(in *hostsv1.UpdateRoomRequest) (func(*room.Details) error, error) {
	return roomMask.Parse(in.GetUpdateMask(), func(v *errs.Violations) room.Details { return detailsFromProto(in.GetRoom(), v) }, ignored)
}
