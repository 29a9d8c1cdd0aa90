package host

import (
	"context"
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// myHostEditor is the host's own profile form, once she has one.
var myHostEditor = webapp.HostEditor(webapp.Editor[*hostsv1.Host, *hostsv1.UpdateHostRequest]{
	Nav: "home", Prefix: "myHostEdit", Create: "/host/profile",
	Find: func(a *webapp.App, ctx context.Context, r *http.Request) (*hostsv1.Host, error) {
		return (&app{a}).myHost(ctx, webapp.StateOf(r.Context()).Me)
	},
	Back:   func(*hostsv1.Host) string { return "/host" },
	Action: func(string) string { return "/host/profile/edit" },
})

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
	myHostNew.Show(a.App, w, r, webapp.HostFormDefaults())
}

// myHostNew is the host's form to create her own profile; a refusal (her association
// registered her already: INVITATION_REQUIRED) is said over it.
var myHostNew = webapp.Registration{Spec: webapp.HostSpec, Prefix: "hostProfile", Nav: "home", Template: "host_profile", Refusals: true}

// hostProfileCreate lets a host who signed up fill in her own profile (not assisted: she
// owns the record).
func (a *app) hostProfileCreate(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(webapp.HostSpec, r.PostForm)
	h := webapp.HostFromForm(f)
	if h.Email == "" {
		h.Email = webapp.StateOf(r.Context()).Me.GetEmail()
	}
	myHostNew.Submit(a.App, w, r, f, func(ctx context.Context) (string, error) {
		_, err := a.Svc.Hosts.CreateHost(ctx, &hostsv1.CreateHostRequest{Host: h, RequestId: f.Value("requestId")})
		return "/host", err
	})
}
