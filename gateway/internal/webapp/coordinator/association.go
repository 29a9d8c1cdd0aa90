package coordinator

import (
	"net/http"
	"net/url"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// associationSpec is the form of the association's identity, as its contracts print it.
var associationSpec = webapp.FormSpec{
	{Name: "legalName", Label: "association.legalName", API: "settings.association.legalName"},
	{Name: "registration", Label: "association.registration", API: "settings.association.registration"},
	{Name: "line1", Label: "association.line1", API: "settings.association.addressLine1"},
	{Name: "postcode", Label: "association.postcode", API: "settings.association.postcode"},
	{Name: "city", Label: "association.city", API: "settings.association.city"},
	{Name: "representativeName", Label: "association.representativeName", API: "settings.association.representativeName"},
	{Name: "representativeTitle", Label: "association.representativeTitle", API: "settings.association.representativeTitle"},
	{Name: "phone", Label: "association.phone", API: "settings.association.phone"},
	{Name: "email", Label: "association.email", API: "settings.association.email"},
}

// associationPage shows the coordinator the identity of the association that runs her
// programme — the third signatory of every contract, with who signs for it — in a form to
// correct it.
func (a *app) associationPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	prog, err := a.Svc.Identity.GetProgramme(ctx, &identityv1.GetProgrammeRequest{Id: webapp.StateOf(r.Context()).Me.GetProgrammeId()})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	as := prog.GetSettings().GetAssociation()
	vals := url.Values{}
	for name, v := range map[string]string{
		"legalName": as.GetLegalName(), "registration": as.GetRegistration(), "line1": as.GetAddressLine1(),
		"postcode": as.GetPostcode(), "city": as.GetCity(), "representativeName": as.GetRepresentativeName(),
		"representativeTitle": as.GetRepresentativeTitle(), "phone": as.GetPhone(), "email": as.GetEmail(),
	} {
		vals.Set(name, v)
	}
	p := a.NewPage(w, r, "association.title", prog)
	p.Form = webapp.NewForm(associationSpec, vals)
	a.Render(w, r, http.StatusOK, "coord_association", p)
}

// associationSave saves the association's identity (settings.association of the programme):
// the contracts printed from then on carry it.
func (a *app) associationSave(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(associationSpec, r.PostForm)
	id := webapp.StateOf(r.Context()).Me.GetProgrammeId()
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Identity.UpdateProgramme(ctx, &identityv1.UpdateProgrammeRequest{
		Programme: &identityv1.Programme{Id: id, Settings: &identityv1.ProgrammeSettings{Association: &identityv1.Association{
			LegalName: f.Value("legalName"), Registration: f.Value("registration"), AddressLine1: f.Value("line1"),
			Postcode: f.Value("postcode"), City: f.Value("city"), RepresentativeName: f.Value("representativeName"),
			RepresentativeTitle: f.Value("representativeTitle"), Phone: f.Value("phone"), Email: f.Value("email"),
		}}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"settings.association"}},
	})
	if err == nil {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "association.saved"})
		webapp.Redirect(w, r, "/coordinator/association")
		return
	}
	p := a.NewPage(w, r, "association.title", nil)
	p.Form = f
	if !f.FromStatus(err, p.L) {
		a.Fail(w, r, err)
		return
	}
	a.Render(w, r, http.StatusBadRequest, "coord_association", p)
}
