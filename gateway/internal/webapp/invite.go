package webapp

import (
	"net/http"
	"net/url"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// Invitations (SPEC §3): a host or a student the coordinator registered has no account; the
// coordinator invites her to create one, linked to the record, once (identity's InviteHost
// and InviteStudent). The code goes only to the person, with a link to /signup?code=…; the
// coordinator never sees it. A new invitation replaces the previous one.

func (a *App) hostInvite(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.identity.InviteHost(ctx, &identityv1.InviteHostRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "invite.done", "/coordinator/hosts/"+url.PathEscape(r.PathValue("id")))
}

func (a *App) studentInvite(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.identity.InviteStudent(ctx, &identityv1.InviteStudentRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "invite.done", "/coordinator/students/"+url.PathEscape(r.PathValue("id")))
}
