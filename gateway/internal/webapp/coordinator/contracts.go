package coordinator

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

type contractsListData struct {
	Contracts []*contractsv1.Contract
	More      bool
}

// contractsList is the programme's contracts, filtered by status.
func (a *app) contractsList(w http.ResponseWriter, r *http.Request) {
	listPage(a, w, r, "contracts", contractsv1.ContractStatus_value, false, func(ctx context.Context, st contractsv1.ContractStatus, _ string) (any, error) {
		res, err := a.Svc.Contracts.ListContracts(ctx, &contractsv1.ListContractsRequest{PageSize: webapp.ListSize, Status: st})
		return contractsListData{Contracts: res.GetContracts(), More: res.GetNextPageToken() != ""}, err
	})
}

// contractSpec holds the inputs of every form of a contract's page (each POST fills in its
// own): the terms a coordinator edits while DRAFT, notice, renewal and a signature on behalf.
var contractSpec = webapp.FormSpec{
	{Name: "sharedSpaces", Label: "contract.terms.sharedSpaces", API: "terms.sharedSpaces"},
	{Name: "houseRules", Label: "contract.terms.houseRules", API: "terms.houseRules"},
	{Name: "entryInventory", Label: "contract.terms.entryInventory", API: "terms.entryInventory"},
	{Name: "contribution", Label: "contract.terms.contribution", API: "terms.monthlyContributionCents"},
	{Name: "startDate", Label: "contract.terms.startDate", API: "terms.startDate"},
	{Name: "endDate_terms", Label: "contract.terms.endDate", API: "terms.endDate"},
	{Name: "evenings", Label: "contract.terms.evenings", API: "terms.eveningsPerWeek"},
	{Name: "hours", Label: "contract.terms.hours", API: "terms.hoursPerWeek"},
	{Name: "signParty", Label: "contract.sign.party"},
	{Name: "method", Label: "contract.sign.method", API: "method"},
	{Name: "party", Label: "contract.terminate.party", API: "party"},
	{Name: "reason", Label: "contract.terminate.reason", API: "reason"},
	{Name: "reasonCategory", Label: "contract.terminate.category", API: "reasonCategory"},
	{Name: "effectiveDate", Label: "contract.terminate.effectiveDate", API: "effectiveDate"},
	{Name: "endDate", Label: "contract.renew.endDate", API: "endDate"},
	{Name: "cancelReason", Label: "contract.cancel.reason"},
}

// cancelSpec is contractSpec with the service's "reason" naming the cancellation's reason.
var cancelSpec = append(webapp.FormSpec{{Name: "cancelReason", Label: "contract.cancel.reason", API: "reason"}}, contractSpec...)

type contractPageData struct {
	Contract *contractsv1.Contract
	// HostSigned and StudentSigned: each party's signature, when given.
	HostSigned, StudentSigned *contractsv1.Signature
	// BeforeStart: active, its start date not come (it may still be cancelled).
	BeforeStart bool
	// Checkins are the stay's follow-ups, each a link to its page.
	Checkins []*contractsv1.Checkin
}

func contractURL(id string) string { return "/coordinator/contracts/" + url.PathEscape(id) }

// termsValues are the terms form's values from the contract.
func termsValues(c *contractsv1.Contract, l *webapp.Loc) url.Values {
	t := c.GetTerms()
	v := url.Values{
		"sharedSpaces":   {strings.Join(t.GetSharedSpaces(), ", ")},
		"houseRules":     {t.GetHouseRules()},
		"entryInventory": {t.GetEntryInventory()},
		"contribution":   {l.MoneyInput(t.GetMonthlyContributionCents())},
		"startDate":      {t.GetStartDate()},
		"endDate_terms":  {t.GetEndDate()},
		"evenings":       {strconv.Itoa(int(t.GetEveningsPerWeek()))},
		"hours":          {strconv.Itoa(int(t.GetHoursPerWeek()))},
		"method":         {"SIGNATURE_METHOD_PAPER"},
	}
	// The party whose signature is recorded: preselected when only one has yet to sign.
	switch host, student := webapp.Signed(c, matchingv1.Party_PARTY_HOST), webapp.Signed(c, matchingv1.Party_PARTY_STUDENT); {
	case !host && student:
		v.Set("signParty", "PARTY_HOST")
	case host && !student:
		v.Set("signParty", "PARTY_STUDENT")
	}
	return v
}

// renderContract renders the contract's page: f is nil on a GET (the terms as they are).
func (a *app) renderContract(w http.ResponseWriter, r *http.Request, status int, c *contractsv1.Contract, f *webapp.Form) {
	d := contractPageData{Contract: c, HostSigned: webapp.SignatureOf(c, matchingv1.Party_PARTY_HOST), StudentSigned: webapp.SignatureOf(c, matchingv1.Party_PARTY_STUDENT),
		BeforeStart: c.GetStatus() == contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE && c.GetTerms().GetStartDate() > a.TodayISO()}
	// Its check-ins, linked from the contract as the contract is from each of them; a failure
	// to list them leaves the list out rather than the page.
	ctx, cancel := a.Call(r)
	if res, err := a.Svc.Contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{ContractId: c.GetId(), PageSize: webapp.ListSize}); err == nil {
		d.Checkins = res.GetCheckins()
	}
	cancel()
	p := a.NewPage(w, r, "contract.title", d)
	p.Title = p.L.T("contract.titleOf", "host", c.GetHostDisplayName(), "student", c.GetStudentDisplayName())
	p.Nav = "contracts"
	p.Path = contractURL(c.GetId())
	p.Desk = a.notesOf(r, nil, c.GetId(), deskv1.SubjectType_SUBJECT_TYPE_CONTRACT)
	p.Desk.Back = p.Path
	if f == nil {
		f = webapp.NewForm(contractSpec, termsValues(c, p.L))
	}
	p.Form = f
	a.Render(w, r, status, "coord_contract", p)
}

func (a *app) contractPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	c, err := a.Svc.Contracts.GetContract(ctx, &contractsv1.GetContractRequest{Id: r.PathValue("id")})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	a.renderContract(w, r, http.StatusOK, c, nil)
}

// contractFormDone ends a contract form's POST: back to the page with a flash when it
// worked; the page again with the errors next to their fields when the service named them;
// a flash for other refusals.
func (a *app) contractFormDone(w http.ResponseWriter, r *http.Request, f *webapp.Form, err error, okKey string) {
	id := r.PathValue("id")
	if err == nil && f.OK() {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: okKey})
		webapp.Redirect(w, r, contractURL(id))
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	c, gerr := a.Svc.Contracts.GetContract(ctx, &contractsv1.GetContractRequest{Id: id})
	if gerr != nil {
		a.Fail(w, r, gerr)
		return
	}
	if err != nil && !a.FormRefused(w, r, f, err, contractURL(id)) {
		return
	}
	a.renderContract(w, r, http.StatusBadRequest, c, f)
}

// contractTerms changes the terms a coordinator adjusts while the contract is a DRAFT: every
// one she may (SPEC §2 as amended), dates and presence included; the contracts service keeps
// them within the room's availability, the formula and the cap.
func (a *app) contractTerms(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(contractSpec, r.PostForm)
	var spaces []string
	for _, s := range strings.FieldsFunc(f.Value("sharedSpaces"), func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if s = strings.TrimSpace(s); s != "" {
			spaces = append(spaces, s)
		}
	}
	c := &contractsv1.Contract{Id: r.PathValue("id"), Etag: f.Value("etag"), Terms: &contractsv1.ContractTerms{
		SharedSpaces:             spaces,
		HouseRules:               f.Value("houseRules"),
		EntryInventory:           f.Value("entryInventory"),
		MonthlyContributionCents: f.Cents("contribution"),
		StartDate:                f.Date("startDate"),
		EndDate:                  f.Date("endDate_terms"),
		EveningsPerWeek:          f.Int32("evenings"),
		HoursPerWeek:             f.Int32("hours"),
	}}
	paths := []string{"terms.shared_spaces", "terms.house_rules", "terms.entry_inventory", "terms.monthly_contribution_cents"}
	// The dates and the presence change when the form sends them (the page's always does);
	// dates sent empty are refused here: a contract always has both.
	for _, in := range [][2]string{{"startDate", "terms.start_date"}, {"endDate_terms", "terms.end_date"}, {"evenings", "terms.evenings_per_week"}, {"hours", "terms.hours_per_week"}} {
		name, path := in[0], in[1]
		if _, sent := f.Values[name]; sent {
			paths = append(paths, path)
			if name == "startDate" || name == "endDate_terms" {
				f.Require(name)
			}
		}
	}
	var err error
	if f.OK() {
		ctx, cancel := a.Call(r)
		_, err = a.Svc.Contracts.UpdateContract(ctx, &contractsv1.UpdateContractRequest{Contract: c, UpdateMask: &fieldmaskpb.FieldMask{Paths: paths}})
		cancel()
	}
	a.contractFormDone(w, r, f, err, "contract.terms.saved")
}

// contractReopen takes a contract awaiting signatures back to DRAFT to correct a term; the
// signatures already given are cleared (the page says so before the button).
func (a *app) contractReopen(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Contracts.ReopenContract(ctx, &contractsv1.ReopenContractRequest{Id: r.PathValue("id"), Etag: r.PostFormValue("etag")})
	a.AfterAction(w, r, err, "contract.reopened", contractURL(r.PathValue("id")))
}

func (a *app) contractSend(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Contracts.SendContract(ctx, &contractsv1.SendContractRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "contract.sent", contractURL(r.PathValue("id")))
}

// contractSignOnBehalf records a party's signature given on paper or in person with the
// coordinator: the host's or the student's, with or without an account (SPEC §3 as amended;
// an electronic signature is only ever the party's own, so it is not offered here).
func (a *app) contractSignOnBehalf(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(contractSpec, r.PostForm)
	method := contractsv1.SignatureMethod(contractsv1.SignatureMethod_value[f.Value("method")])
	if method != contractsv1.SignatureMethod_SIGNATURE_METHOD_PAPER && method != contractsv1.SignatureMethod_SIGNATURE_METHOD_IN_PERSON {
		f.FieldError("method", "contract.sign.needMethod", "")
	}
	party := matchingv1.Party(matchingv1.Party_value[f.Value("signParty")])
	if party != matchingv1.Party_PARTY_HOST && party != matchingv1.Party_PARTY_STUDENT {
		f.FieldError("signParty", "contract.sign.needParty", "")
	}
	if !f.OK() {
		a.contractFormDone(w, r, f, nil, "")
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Contracts.SignContract(ctx, &contractsv1.SignContractRequest{Id: r.PathValue("id"), Party: party, Method: method})
	a.contractFormDone(w, r, f, err, "contract.sign.recorded")
}

// contractTerminate gives notice; the service refuses a date before the notice period's end
// and names the earliest one, shown next to the date.
func (a *app) contractTerminate(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(contractSpec, r.PostForm)
	f.Require("reason")
	req := &contractsv1.TerminateContractRequest{
		Id: r.PathValue("id"), Reason: f.Value("reason"), EffectiveDate: f.Date("effectiveDate"),
		Party: matchingv1.Party(matchingv1.Party_value[f.Value("party")]),
		// The figures count early ends by this category ("" leaves it unset).
		ReasonCategory: contractsv1.TerminationReason(contractsv1.TerminationReason_value["TERMINATION_REASON_"+f.Value("reasonCategory")]),
	}
	var err error
	if f.OK() {
		ctx, cancel := a.Call(r)
		_, err = a.Svc.Contracts.TerminateContract(ctx, req)
		cancel()
	}
	a.contractFormDone(w, r, f, err, "contract.terminated")
}

// contractCancel cancels a contract before the stay (a draft, one awaiting signatures, or an
// active one whose start date has not come), with the reason the parties will read.
func (a *app) contractCancel(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(cancelSpec, r.PostForm)
	f.Require("cancelReason")
	var err error
	if f.OK() {
		ctx, cancel := a.Call(r)
		_, err = a.Svc.Contracts.CancelContract(ctx, &contractsv1.CancelContractRequest{Id: r.PathValue("id"), Reason: f.Value("cancelReason"), Etag: f.Value("etag")})
		cancel()
	}
	a.contractFormDone(w, r, f, err, "contract.cancelled")
}

func (a *app) contractRenew(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(contractSpec, r.PostForm)
	f.Require("endDate")
	end := f.Date("endDate")
	var err error
	if f.OK() {
		ctx, cancel := a.Call(r)
		_, err = a.Svc.Contracts.RenewContract(ctx, &contractsv1.RenewContractRequest{Id: r.PathValue("id"), EndDate: end})
		cancel()
	}
	a.contractFormDone(w, r, f, err, "contract.renewed")
}
