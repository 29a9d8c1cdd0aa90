package webapp

import (
	"net/http"
	"net/url"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// associationSpec is the form of the association's identity, as its contracts print it.
var associationSpec = formSpec{
	{"legalName", "association.legalName", "settings.association.legalName"},
	{"registration", "association.registration", "settings.association.registration"},
	{"line1", "association.line1", "settings.association.addressLine1"},
	{"postcode", "association.postcode", "settings.association.postcode"},
	{"city", "association.city", "settings.association.city"},
	{"representativeName", "association.representativeName", "settings.association.representativeName"},
	{"representativeTitle", "association.representativeTitle", "settings.association.representativeTitle"},
	{"phone", "association.phone", "settings.association.phone"},
	{"email", "association.email", "settings.association.email"},
}

// associationPage shows the coordinator the identity of the association that runs her
// programme — the third signatory of every contract, with who signs for it — in a form to
// correct it.
func (a *App) associationPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	prog, err := a.svc.identity.GetProgramme(ctx, &identityv1.GetProgrammeRequest{Id: stateOf(r.Context()).me.GetProgrammeId()})
	if err != nil {
		a.fail(w, r, err)
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
	p := a.newPage(w, r, "association.title", prog)
	p.Form = newForm(associationSpec, vals)
	a.render(w, r, http.StatusOK, "coord_association", p)
}

// associationSave saves the association's identity (settings.association of the programme):
// the contracts printed from then on carry it.
func (a *App) associationSave(w http.ResponseWriter, r *http.Request) {
	f := newForm(associationSpec, r.PostForm)
	id := stateOf(r.Context()).me.GetProgrammeId()
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.identity.UpdateProgramme(ctx, &identityv1.UpdateProgrammeRequest{
		Programme: &identityv1.Programme{Id: id, Settings: &identityv1.ProgrammeSettings{Association: &identityv1.Association{
			LegalName: f.Value("legalName"), Registration: f.Value("registration"), AddressLine1: f.Value("line1"),
			Postcode: f.Value("postcode"), City: f.Value("city"), RepresentativeName: f.Value("representativeName"),
			RepresentativeTitle: f.Value("representativeTitle"), Phone: f.Value("phone"), Email: f.Value("email"),
		}}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"settings.association"}},
	})
	if err == nil {
		setFlash(w, r, flash{Kind: "ok", Key: "association.saved"})
		redirect(w, r, "/coordinator/association")
		return
	}
	p := a.newPage(w, r, "association.title", nil)
	p.Form = f
	if !f.fromStatus(err, p.L) {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusBadRequest, "coord_association", p)
}
