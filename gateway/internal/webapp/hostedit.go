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
var HostPaths = []string{
	"display_name", "birth_date", "phone", "email", "address", "languages", "smokes", "has_pets",
	"services_wanted", "hours_wanted_per_week", "nights_wanted_per_week", "rhythm", "gender_preference",
	"is_tenant", "landlord_informed", "guardianship", "legal_representative",
}

// hostValues fills the host form from the record: the inverse of hostFromForm.
func HostValues(h *hostsv1.Host) url.Values {
	ad := h.GetAddress()
	v := url.Values{
		"displayName": {h.GetDisplayName()}, "birthDate": {h.GetBirthDate()}, "phone": {h.GetPhone()}, "email": {h.GetEmail()},
		"line1": {ad.GetLine1()}, "postcode": {ad.GetPostcode()}, "city": {ad.GetCity()},
		"lat": {coordinate(ad.GetLat(), ad.GetApproximate())}, "lng": {coordinate(ad.GetLng(), ad.GetApproximate())},
		"languages":           {strings.Join(h.GetLanguages(), ", ")},
		"hoursWantedPerWeek":  {strconv.Itoa(int(h.GetHoursWantedPerWeek()))},
		"nightsWantedPerWeek": {strconv.Itoa(int(h.GetNightsWantedPerWeek()))},
		"etag":                {h.GetEtag()},
	}
	if g := h.GetGuardianship(); g != hostsv1.Guardianship_GUARDIANSHIP_UNSPECIFIED {
		v.Set("guardianship", g.String())
	}
	if rep := h.GetLegalRepresentative(); rep != nil {
		v.Set("repName", rep.GetName())
		v.Set("repRelationship", rep.GetRelationship())
		v.Set("repPhone", rep.GetPhone())
		v.Set("repEmail", rep.GetEmail())
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
	spec: hostSpec, kind: "host", nav: "hosts", key: "hostEdit", find: byPath(getHost), name: (*hostsv1.Host).GetDisplayName,
	back:   func(h *hostsv1.Host) string { return "/coordinator/hosts/" + url.PathEscape(h.GetId()) },
	action: func(id string) string { return "/coordinator/hosts/" + url.PathEscape(id) + "/edit" },
	values: HostValues, request: updateHost, send: sendHost,
}

// myHostEditor is the host's own profile form, once she has one.
var myHostEditor = editor[*hostsv1.Host, *hostsv1.UpdateHostRequest]{
	spec: hostSpec, kind: "host", nav: "home", key: "myHostEdit", create: "/host/profile",
	name: (*hostsv1.Host).GetDisplayName,
	find: func(a *App, ctx context.Context, r *http.Request) (*hostsv1.Host, error) {
		return a.myHost(ctx, stateOf(r.Context()).me)
	},
	back:   func(*hostsv1.Host) string { return "/host" },
	action: func(string) string { return "/host/profile/edit" },
	values: HostValues, request: updateHost, send: sendHost,
}

func getHost(a *App, ctx context.Context, id string) (*hostsv1.Host, error) {
	return a.svc.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
}

func updateHost(f *form, id string) *hostsv1.UpdateHostRequest {
	h := hostFromForm(f)
	h.Id, h.Etag = id, f.Value("etag")
	return &hostsv1.UpdateHostRequest{Host: h, UpdateMask: &fieldmaskpb.FieldMask{Paths: HostPaths}}
}

func sendHost(a *App, ctx context.Context, req *hostsv1.UpdateHostRequest) (*hostsv1.Host, error) {
	return a.svc.hosts.UpdateHost(ctx, req)
}

// roomPaths are the update_mask paths of the room form: every field it shows.
var roomPaths = []string{
	"title", "description", "area_m2", "floor", "elevator", "furnished", "private_bathroom",
	"monthly_contribution_cents", "formula_id", "available_from", "available_until", "min_stay_months",
	"smoking_allowed", "pets_allowed", "shared_spaces",
}

// roomFromForm reads the room form, a new room's or an edited one's.
func roomFromForm(f *form) *hostsv1.Room {
	return &hostsv1.Room{
		Title:                    f.Value("title"),
		Description:              f.Value("description"),
		AreaM2:                   f.float("areaM2"),
		Floor:                    f.int32("floor"),
		MonthlyContributionCents: f.cents("contribution"),
		FormulaId:                f.Value("formulaId"),
		AvailableFrom:            f.date("availableFrom"),
		AvailableUntil:           f.date("availableUntil"),
		MinStayMonths:            f.int32("minStayMonths"),
		Furnished:                f.Checked("furnished"),
		PrivateBathroom:          f.Checked("privateBathroom"),
		Elevator:                 f.Checked("elevator"),
		SmokingAllowed:           f.Checked("smokingAllowed"),
		PetsAllowed:              f.Checked("petsAllowed"),
		SharedSpaces:             splitList(f.Value("sharedSpaces")),
	}
}

// roomValues fills the room form from the record: the inverse of roomFromForm.
func RoomValues(rm *hostsv1.Room) url.Values {
	v := url.Values{
		"title": {rm.GetTitle()}, "description": {rm.GetDescription()},
		"areaM2":        {strconv.FormatFloat(rm.GetAreaM2(), 'f', -1, 64)},
		"floor":         {strconv.Itoa(int(rm.GetFloor()))},
		"contribution":  {centsValue(rm.GetMonthlyContributionCents())},
		"formulaId":     {rm.GetFormulaId()},
		"availableFrom": {rm.GetAvailableFrom()}, "availableUntil": {rm.GetAvailableUntil()},
		"minStayMonths": {strconv.Itoa(int(rm.GetMinStayMonths()))},
		"sharedSpaces":  {strings.Join(rm.GetSharedSpaces(), ", ")},
		"etag":          {rm.GetEtag()},
	}
	for name, on := range map[string]bool{"furnished": rm.GetFurnished(), "privateBathroom": rm.GetPrivateBathroom(),
		"elevator": rm.GetElevator(), "smokingAllowed": rm.GetSmokingAllowed(), "petsAllowed": rm.GetPetsAllowed()} {
		if on {
			v.Set(name, "on")
		}
	}
	return v
}

// centsValue writes cents as the euros a form shows and f.cents reads back: "150", "150.5".
func centsValue(c int32) string {
	return strconv.FormatFloat(float64(c)/100, 'f', -1, 64)
}

// roomEditor is the coordinator's form to correct a room: its contribution, its dates, its
// description. A reserved or occupied room's stay is in its contract, not here.
var roomEditor = editor[*hostsv1.Room, *hostsv1.UpdateRoomRequest]{
	spec: roomSpec, kind: "room", nav: "hosts", key: "roomEdit", name: (*hostsv1.Room).GetTitle,
	back: func(rm *hostsv1.Room) string {
		return "/coordinator/hosts/" + url.PathEscape(rm.GetHostId()) + "#rooms"
	},
	action: func(id string) string { return "/coordinator/rooms/" + url.PathEscape(id) + "/edit" },
	find: byPath(func(a *App, ctx context.Context, id string) (*hostsv1.Room, error) {
		return a.svc.hosts.GetRoom(ctx, &hostsv1.GetRoomRequest{Id: id})
	}),
	values: RoomValues,
	request: func(f *form, id string) *hostsv1.UpdateRoomRequest {
		rm := roomFromForm(f)
		rm.Id, rm.Etag = id, f.Value("etag")
		return &hostsv1.UpdateRoomRequest{Room: rm, UpdateMask: &fieldmaskpb.FieldMask{Paths: roomPaths}}
	},
	send: func(a *App, ctx context.Context, req *hostsv1.UpdateRoomRequest) (*hostsv1.Room, error) {
		return a.svc.hosts.UpdateRoom(ctx, req)
	},
	formulas: true,
}

// hostSuspend pauses a verified host (no room of hers is offered meanwhile), with why;
// hostReinstate ends the pause; hostArchive closes her record for good (she left the
// programme). The hosts service refuses what her state does not allow, said in the flash.
func (a *App) hostSuspend(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.hosts.SuspendHost(ctx, &hostsv1.SuspendHostRequest{Id: r.PathValue("id"), Reason: strings.TrimSpace(r.PostFormValue("reason"))})
	a.afterAction(w, r, err, "host.suspended", "/coordinator/hosts/"+url.PathEscape(r.PathValue("id")))
}

func (a *App) hostReinstate(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.hosts.ReinstateHost(ctx, &hostsv1.ReinstateHostRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "host.reinstated", "/coordinator/hosts/"+url.PathEscape(r.PathValue("id")))
}

func (a *App) hostArchive(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.hosts.ArchiveHost(ctx, &hostsv1.ArchiveHostRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "host.archived", "/coordinator/hosts/"+url.PathEscape(r.PathValue("id")))
}
