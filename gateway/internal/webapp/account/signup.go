package account

import (
	"net/http"
	"net/url"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

var signupSpec = webapp.FormSpec{
	{Name: "email", Label: "signup.email", API: "email"},
	{Name: "password", Label: "signup.password", API: "password"},
	{Name: "role", Label: "signup.role", API: "role"},
	{Name: "programme", Label: "signup.programme", API: "programmeId"},
	{Name: "inviteCode", Label: "signup.invite"},
}

type signupData struct {
	Programmes []*identityv1.Programme
}

func (a *app) signupData(r *http.Request) (signupData, error) {
	ctx, cancel := a.Call(r)
	defer cancel()
	res, err := a.Svc.Identity.ListProgrammes(ctx, &identityv1.ListProgrammesRequest{PageSize: 200})
	if err != nil {
		return signupData{}, err
	}
	return signupData{Programmes: res.GetProgrammes()}, nil
}

func (a *app) signupPage(w http.ResponseWriter, r *http.Request) {
	d, err := a.signupData(r)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	// ?code= is an invitation's (SPEC §3): the account is created linked to the record the
	// coordinator registered, its role and programme the record's.
	vals := url.Values{"role": {r.URL.Query().Get("role")}, "inviteCode": {r.URL.Query().Get("code")}}
	if len(d.Programmes) == 1 {
		vals.Set("programme", d.Programmes[0].GetId())
	}
	p := a.NewPage(w, r, "signup.title", d)
	p.Form = webapp.NewForm(signupSpec, vals)
	a.Render(w, r, http.StatusOK, "signup", p)
}

// signup creates a host or student account, signs it in, and goes to its home, where the
// next step is the profile.
func (a *app) signup(w http.ResponseWriter, r *http.Request) {
	d, err := a.signupData(r)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	f := webapp.NewForm(signupSpec, r.PostForm)
	p := a.NewPage(w, r, "signup.title", d)
	p.Form = f
	invited := f.Value("inviteCode") != ""
	f.Require("email", "password")
	if !invited { // an invitation's record decides both
		f.Require("role", "programme")
	}
	role := map[string]typev1.Role{"host": typev1.Role_ROLE_HOST, "student": typev1.Role_ROLE_STUDENT}[f.Value("role")]
	if !invited && f.Value("role") != "" && role == typev1.Role_ROLE_UNSPECIFIED {
		f.FieldError("role", "form.error.choice", "")
	}
	if !f.OK() {
		a.Render(w, r, http.StatusBadRequest, "signup", p)
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	email := strings.TrimSpace(f.Value("email"))
	_, err = a.Svc.Identity.Signup(ctx, &identityv1.SignupRequest{
		Email: email, Password: f.Value("password"), Role: role, ProgrammeId: f.Value("programme"), InviteCode: f.Value("inviteCode"),
	})
	if err == nil {
		var res *identityv1.LoginResponse
		res, err = a.Svc.Identity.Login(ctx, &identityv1.LoginRequest{Email: email, Password: f.Value("password")})
		if err == nil {
			a.startSession(w, r, res)
			webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "signup.done"})
			webapp.Redirect(w, r, webapp.HomeOf(res.GetAccount().GetRole()))
			return
		}
		if status.Code(err) == codes.Unauthenticated {
			// The address already had an account (its owner has been emailed) and this is not
			// its password: say no more than the sign-up did (SPEC §3, issue 18).
			webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "signup.checkEmail"})
			webapp.Redirect(w, r, "/login")
			return
		}
	}
	// A code no longer good (used, replaced, expired) is said over the form: it has no input.
	if violated(err, "inviteCode") {
		f.Global("violation.inviteCode")
		a.Render(w, r, http.StatusBadRequest, "signup", p)
		return
	}
	if f.FromStatus(err, p.L) {
		a.Render(w, r, http.StatusBadRequest, "signup", p)
		return
	}
	if status.Code(err) == codes.AlreadyExists {
		f.FieldError("email", "signup.error.exists", "")
		a.Render(w, r, http.StatusConflict, "signup", p)
		return
	}
	a.Fail(w, r, err)
}

// violated reports whether err is an InvalidArgument naming field among its violations.
func violated(err error, field string) bool {
	s, _ := status.FromError(err)
	if s.Code() != codes.InvalidArgument {
		return false
	}
	for _, d := range s.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				if v.GetField() == field {
					return true
				}
			}
		}
	}
	return false
}
