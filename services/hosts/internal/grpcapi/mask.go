package grpcapi

import (
	"strings"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Fields a client may change, by update_mask path (proto names, as grpc-gateway derives them
// from a PATCH body). Status, ids, ownership and consent are changed only by their own methods.
var hostMask = map[string]func(dst *host.Profile, src host.Profile){
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
}

var roomMask = map[string]func(dst *room.Details, src room.Details){
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

// maskPaths returns the paths to apply: the mask's, or every settable one when it is empty
// (AIP-134: an absent mask means a full replacement).
func maskPaths[T any](mask *fieldmaskpb.FieldMask, allowed map[string]T, v *errs.Violations) []string {
	if len(mask.GetPaths()) == 0 {
		paths := make([]string, 0, len(allowed))
		for p := range allowed {
			if !strings.Contains(p, ".") {
				paths = append(paths, p)
			}
		}
		return paths
	}
	var paths []string
	for _, p := range mask.GetPaths() {
		switch {
		case ignored[p]:
		case hasKey(allowed, p):
			paths = append(paths, p)
		default:
			v.Add("updateMask", "%q cannot be changed with this call", p)
		}
	}
	return paths
}

func hasKey[T any](m map[string]T, k string) bool { _, ok := m[k]; return ok }

func hostChange(in *hostsv1.UpdateHostRequest) (func(*host.Profile) error, error) {
	var v errs.Violations
	src := profileFromProto(in.GetHost(), &v)
	paths := maskPaths(in.GetUpdateMask(), hostMask, &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return func(dst *host.Profile) error {
		for _, p := range paths {
			hostMask[p](dst, src)
		}
		return nil
	}, nil
}

func roomChange(in *hostsv1.UpdateRoomRequest) (func(*room.Details) error, error) {
	var v errs.Violations
	src := detailsFromProto(in.GetRoom(), &v)
	paths := maskPaths(in.GetUpdateMask(), roomMask, &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return func(dst *room.Details) error {
		for _, p := range paths {
			roomMask[p](dst, src)
		}
		return nil
	}, nil
}
