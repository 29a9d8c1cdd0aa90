package host

import (
	"context"
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// myHostEditor is the host's own profile form, once she has one.
var myHostEditor = webapp.Editor[*hostsv1.Host, *hostsv1.UpdateHostRequest]{
	Spec: webapp.HostSpec, Kind: "host", Nav: "home", Prefix: "myHostEdit", Create: "/host/profile",
	Name: (*hostsv1.Host).GetDisplayName,
	Find: func(a *webapp.App, ctx context.Context, r *http.Request) (*hostsv1.Host, error) {
		return (&app{a}).myHost(ctx, webapp.StateOf(r.Context()).Me)
	},
	Back:   func(*hostsv1.Host) string { return "/host" },
	Action: func(string) string { return "/host/profile/edit" },
	Values: webapp.HostValues, Request: webapp.UpdateHost, Send: webapp.SendHost,
}

func (a *app) hostProfilePage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	// One profile per account: with one, the home page is where to go.
	if h, err := a.myHost(ctx, webapp.StateOf(r.Context()).Me); err != nil || h != nil {
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		webapp.Redirect(w, r, "/host")
		return
	}
	p := a.NewPage(w, r, "hostProfile.title", nil)
	p.Nav = "home"
	p.Form = webapp.NewForm(webapp.HostSpec, webapp.HostFormDefaults())
	a.Render(w, r, http.StatusOK, "host_profile", p)
}

// hostProfileCreate lets a host who signed up fill in her own profile (not assisted: she
// owns the record).
func (a *app) hostProfileCreate(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(webapp.HostSpec, r.PostForm)
	h := webapp.HostFromForm(f)
	if h.Email == "" {
		h.Email = webapp.StateOf(r.Context()).Me.GetEmail()
	}
	p := a.NewPage(w, r, "hostProfile.title", nil)
	p.Nav = "home"
	p.Form = f
	if !f.OK() {
		a.Render(w, r, http.StatusBadRequest, "host_profile", p)
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	if _, err := a.Svc.Hosts.CreateHost(ctx, &hostsv1.CreateHostRequest{Host: h, RequestId: f.Value("requestId")}); err != nil {
		if f.FromStatus(err, p.L) {
			a.Render(w, r, http.StatusBadRequest, "host_profile", p)
			return
		}
		// A refusal (her association registered her already: INVITATION_REQUIRED) over the form.
		if key, _, ok := a.ActionError(err); ok {
			f.Global(key)
			a.Render(w, r, http.StatusBadRequest, "host_profile", p)
			return
		}
		a.Fail(w, r, err)
		return
	}
	webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "hostProfile.done"})
	webapp.Redirect(w, r, "/host")
}
