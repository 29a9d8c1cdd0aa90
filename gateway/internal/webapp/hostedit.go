package webapp

import (
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

type hostEditData struct {
	Host *hostsv1.Host
}

func (a *App) hostEditPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	h, err := a.svc.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: r.PathValue("id")})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.renderHostEdit(w, r, http.StatusOK, h, newForm(hostSpec, hostValues(h)))
}

func (a *App) renderHostEdit(w http.ResponseWriter, r *http.Request, code int, h *hostsv1.Host, f *form) {
	p := a.newPage(w, r, "hostEdit.title", hostEditData{Host: h})
	p.Title = a.cat.loc(stateOf(r.Context()).lang, a.tz).T("hostEdit.heading", "name", h.GetDisplayName())
	p.Nav = "hosts"
	p.Form = f
	a.render(w, r, code, "coord_host_edit", p)
}

// hostUpdate saves the host form over the record the coordinator read (its etag), as
// studentUpdate does for a student.
func (a *App) hostUpdate(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := a.call(r)
	defer cancel()
	f := newForm(hostSpec, r.PostForm)
	h := hostFromForm(f)
	h.Id, h.Etag = id, f.Value("etag")
	if f.ok() {
		_, err := a.svc.hosts.UpdateHost(ctx, &hostsv1.UpdateHostRequest{
			Host: h, UpdateMask: &fieldmaskpb.FieldMask{Paths: hostPaths},
		})
		if err == nil {
			setFlash(w, r, flash{Kind: "ok", Key: "hostEdit.done"})
			redirect(w, r, "/coordinator/hosts/"+url.PathEscape(id))
			return
		}
		if !f.fromUpdate(err, a.cat.loc(stateOf(r.Context()).lang, a.tz)) {
			a.fail(w, r, err)
			return
		}
	}
	current, err := a.svc.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.renderHostEdit(w, r, f.rebase(current.GetEtag()), current, f)
}
