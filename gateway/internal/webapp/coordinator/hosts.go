package coordinator

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

func hostURL(id string) string { return "/coordinator/hosts/" + url.PathEscape(id) }

type hostsListData struct {
	Hosts []*hostsv1.Host
	More  bool
}

func (a *app) hostsList(w http.ResponseWriter, r *http.Request) {
	listPage(a, w, r, "hosts", hostsv1.HostStatus_value, true, func(ctx context.Context, st hostsv1.HostStatus, q string) (any, error) {
		res, err := a.Svc.Hosts.ListHosts(ctx, &hostsv1.ListHostsRequest{PageSize: webapp.ListSize, Status: st, Query: q})
		return hostsListData{Hosts: res.GetHosts(), More: res.GetNextPageToken() != ""}, err
	})
}

// hostNew is the coordinator's form to register a host.
var hostNew = webapp.Registration{Spec: webapp.HostSpec, Prefix: "hostNew", Nav: "hosts", Template: "coord_host_new", Path: "/coordinator/hosts/new"}

func (a *app) hostNewPage(w http.ResponseWriter, r *http.Request) {
	hostNew.Show(a.App, w, r, webapp.HostFormDefaults())
}

// hostCreate registers a host on their behalf: assisted, with the consent the coordinator
// records (the hosts service refuses an assisted host without it).
func (a *app) hostCreate(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(webapp.HostSpec, r.PostForm)
	h := webapp.HostFromForm(f)
	h.Assisted = true
	h.ConsentRecorded = f.Checked("consentRecorded")
	hostNew.Submit(a.App, w, r, f, func(ctx context.Context) (string, error) {
		created, err := a.Svc.Hosts.CreateHost(ctx, &hostsv1.CreateHostRequest{Host: h, RequestId: f.Value("requestId")})
		return hostURL(created.GetId()), err
	})
}

type hostPageData struct {
	Host      *hostsv1.Host
	Rooms     []*hostsv1.Room
	Formulas  []*identityv1.Formula
	Programme *identityv1.Programme
}

func (a *app) loadHostPage(r *http.Request, id string) (hostPageData, error) {
	ctx, cancel := a.Call(r)
	defer cancel()
	var d hostPageData
	err := webapp.Parallel(
		func() (err error) {
			d.Host, err = a.Svc.Hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
			return err
		},
		func() error {
			res, err := a.Svc.Hosts.ListRooms(ctx, &hostsv1.ListRoomsRequest{HostId: id, PageSize: webapp.ListSize})
			d.Rooms = res.GetRooms()
			return err
		},
		func() (err error) {
			d.Programme, err = a.Svc.Identity.GetProgramme(ctx, &identityv1.GetProgrammeRequest{Id: webapp.StateOf(r.Context()).Me.GetProgrammeId()})
			return err
		},
	)
	d.Formulas = d.Programme.GetSettings().GetFormulas()
	return d, err
}

func (a *app) hostPage(w http.ResponseWriter, r *http.Request) {
	d, err := a.loadHostPage(r, r.PathValue("id"))
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	p := a.NewPage(w, r, "host.title", d)
	p.Title = d.Host.GetDisplayName()
	p.Nav = "hosts"
	p.Form = webapp.NewForm(roomSpec, url.Values{"furnished": {"on"}, "minStayMonths": {"0"}, "floor": {"0"}, "requestId": {webapp.NewToken()}})
	p.Desk = a.notesOf(r, a.DocumentsOf(r, d.Host.GetId(), true, "/coordinator/documents"), d.Host.GetId(), deskv1.SubjectType_SUBJECT_TYPE_HOST)
	a.Render(w, r, http.StatusOK, "coord_host", p)
}

func (a *app) hostVerify(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Hosts.VerifyHost(ctx, &hostsv1.VerifyHostRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "hosts.verified", hostURL(r.PathValue("id")))
}

// hostEditor is the coordinator's form to correct a host's record.
var hostEditor = webapp.HostEditor(webapp.Editor[*hostsv1.Host, *hostsv1.UpdateHostRequest]{
	Nav: "hosts", Prefix: "hostEdit", Find: byPath(getHost),
	Back:   func(h *hostsv1.Host) string { return hostURL(h.GetId()) },
	Action: func(id string) string { return hostURL(id) + "/edit" },
})

func getHost(a *webapp.App, ctx context.Context, id string) (*hostsv1.Host, error) {
	return a.Svc.Hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
}

// hostSuspend pauses a verified host (no room of hers is offered meanwhile), with why;
// hostReinstate ends the pause; hostArchive closes her record for good (she left the
// programme). The hosts service refuses what her state does not allow, said in the flash.
func (a *app) hostSuspend(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Hosts.SuspendHost(ctx, &hostsv1.SuspendHostRequest{Id: r.PathValue("id"), Reason: strings.TrimSpace(r.PostFormValue("reason"))})
	a.AfterAction(w, r, err, "host.suspended", hostURL(r.PathValue("id")))
}

func (a *app) hostReinstate(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Hosts.ReinstateHost(ctx, &hostsv1.ReinstateHostRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "host.reinstated", hostURL(r.PathValue("id")))
}

func (a *app) hostArchive(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Hosts.ArchiveHost(ctx, &hostsv1.ArchiveHostRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "host.archived", hostURL(r.PathValue("id")))
}

// Invitations (SPEC §3): a host or a student the coordinator registered has no account; the
// coordinator invites her to create one, linked to the record, once (identity's InviteHost
// and InviteStudent). The code goes only to the person, with a link to /signup?code=…; the
// coordinator never sees it. A new invitation replaces the previous one.

func (a *app) hostInvite(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Identity.InviteHost(ctx, &identityv1.InviteHostRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "invite.done", hostURL(r.PathValue("id")))
}
