package webapp

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// hostPaths are the update_mask paths of the host form: every field it shows, so what the
// coordinator cleared is cleared. Assisted mode and consent are set at registration.
var hostPaths = []string{
	"display_name", "birth_date", "phone", "email", "address", "languages", "smokes", "has_pets",
	"services_wanted", "hours_wanted_per_week", "nights_wanted_per_week", "rhythm", "gender_preference",
	"is_tenant", "landlord_informed",
}

// hostValues fills the host form from the record: the inverse of hostFromForm.
func hostValues(h *hostsv1.Host) url.Values {
	ad := h.GetAddress()
	v := url.Values{
		"displayName": {h.GetDisplayName()}, "birthDate": {h.GetBirthDate()}, "phone": {h.GetPhone()}, "email": {h.GetEmail()},
		"line1": {ad.GetLine1()}, "postcode": {ad.GetPostcode()}, "city": {ad.GetCity()},
		"lat": {strconv.FormatFloat(ad.GetLat(), 'f', -1, 64)}, "lng": {strconv.FormatFloat(ad.GetLng(), 'f', -1, 64)},
		"languages":           {strings.Join(h.GetLanguages(), ", ")},
		"hoursWantedPerWeek":  {strconv.Itoa(int(h.GetHoursWantedPerWeek()))},
		"nightsWantedPerWeek": {strconv.Itoa(int(h.GetNightsWantedPerWeek()))},
		"etag":                {h.GetEtag()},
	}
	if h.GetRhythm() != 0 {
		v.Set("rhythm", h.GetRhythm().String())
	}
	if h.GetGenderPreference() != 0 {
		v.Set("genderPreference", h.GetGenderPreference().String())
	}
	for _, sv := range h.GetServicesWanted() {
		v.Add("servicesWanted", sv.String())
	}
	for name, on := range map[string]bool{"smokes": h.GetSmokes(), "hasPets": h.GetHasPets(), "isTenant": h.GetIsTenant(), "landlordInformed": h.GetLandlordInformed()} {
		if on {
			v.Set(name, "on")
		}
	}
	return v
}

// hostEditor is the coordinator's form to correct a host's record.
var hostEditor = editor[*hostsv1.Host, *hostsv1.UpdateHostRequest]{
	spec: hostSpec, kind: "host", nav: "hosts", key: "hostEdit", id: pathID,
	back:   func(id string) string { return "/coordinator/hosts/" + url.PathEscape(id) },
	action: func(id string) string { return "/coordinator/hosts/" + url.PathEscape(id) + "/edit" },
	get:    getHost, values: hostValues, request: updateHost, send: sendHost,
}

// myHostEditor is the host's own profile form, once she has one.
var myHostEditor = editor[*hostsv1.Host, *hostsv1.UpdateHostRequest]{
	spec: hostSpec, kind: "host", nav: "home", key: "myHostEdit", create: "/host/profile",
	id: func(a *App, ctx context.Context, r *http.Request) (string, error) {
		h, err := a.myHost(ctx, stateOf(r.Context()).me)
		return h.GetId(), err
	},
	back:   func(string) string { return "/host" },
	action: func(string) string { return "/host/profile/edit" },
	get:    getHost, values: hostValues, request: updateHost, send: sendHost,
}

func getHost(a *App, ctx context.Context, id string) (*hostsv1.Host, error) {
	return a.svc.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
}

func updateHost(f *form, id string) *hostsv1.UpdateHostRequest {
	h := hostFromForm(f)
	h.Id, h.Etag = id, f.Value("etag")
	return &hostsv1.UpdateHostRequest{Host: h, UpdateMask: &fieldmaskpb.FieldMask{Paths: hostPaths}}
}

func sendHost(a *App, ctx context.Context, req *hostsv1.UpdateHostRequest) error {
	_, err := a.svc.hosts.UpdateHost(ctx, req)
	return err
}
