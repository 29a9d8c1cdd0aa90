package service_test

// The rules of SPEC §2–§3 as amended this week (issue 12): signatures recorded for either
// party, a contract that always has an end date and stays within the room's availability,
// every term editable while DRAFT, reopening, and cancelling an active contract before its
// start date.

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// studentWithoutAccount publishes a student the coordinator registered, who has no account.
func (e *env) studentWithoutAccount(t *testing.T, programme, name string) party {
	t.Helper()
	p := party{id: uuid.NewString(), name: name}
	svctest.Publish(t, e.js, studentsevents.StudentRegistered.Subject, programme, &studentseventsv1.StudentRegistered{Student: &studentseventsv1.StudentProfile{
		StudentId: p.id, ProgrammeId: programme, Status: "PENDING_VERIFICATION", DisplayName: name, Age: 20,
	}})
	return p
}

func wantReason(t *testing.T, err error, code codes.Code, reason string) {
	t.Helper()
	svctest.WantCode(t, err, code)
	if got := grpcx.Reason(err); got != reason {
		t.Fatalf("reason %q, want %q (%v)", got, reason, err)
	}
}

// TestCoordinatorRecordsEitherPartysSignature: a host WITH an account signs on paper through
// the coordinator, and a student registered without any account signs in person: the
// contract becomes ACTIVE, each signature saying who recorded it and how. A coordinator never
// records an electronic signature, and a party signing themself signs electronically.
func TestCoordinatorRecordsEitherPartysSignature(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, coordAccount := e.as(t, auth.RoleCoordinator, "lyon")
	h, s := e.host(t, "lyon", "Jeanne Martin", false), e.studentWithoutAccount(t, "lyon", "Inès Haddad")
	m := approved("lyon", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", m)
	c := e.contractOf(t, coord, m.GetMatch().GetMatchId())
	e.visibleTo(t, h.ctx, c.GetId())
	if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}

	_, err := e.client.SignContract(coord, &contractsv1.SignContractRequest{Id: c.GetId(), Party: matchingv1.Party_PARTY_STUDENT, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC})
	wantReason(t, err, codes.InvalidArgument, "ELECTRONIC_SIGNATURE_OWN_ONLY")
	if v := grpcx.FieldViolations(err)["method"]; !strings.Contains(v, "paper or in-person") {
		t.Fatalf("the refusal names the method: %q", v)
	}
	_, err = e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId(), Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_PAPER})
	wantReason(t, err, codes.InvalidArgument, "OWN_SIGNATURE_ELECTRONIC")

	// The host has an account, and still signs on paper, recorded by the coordinator.
	one, err := e.client.SignContract(coord, &contractsv1.SignContractRequest{Id: c.GetId(), Party: matchingv1.Party_PARTY_HOST, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_PAPER})
	if err != nil || one.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES {
		t.Fatalf("host's paper signature: %v %v", one, err)
	}
	_, err = e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId()})
	wantReason(t, err, codes.FailedPrecondition, "ALREADY_SIGNED")
	// The student has no account: only the coordinator can record her signature.
	active, err := e.client.SignContract(coord, &contractsv1.SignContractRequest{Id: c.GetId(), Etag: one.GetEtag(), Party: matchingv1.Party_PARTY_STUDENT, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_IN_PERSON})
	if err != nil || active.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE || len(active.GetSignatures()) != 2 {
		t.Fatalf("student's in-person signature: %v %v", active, err)
	}
	for i, want := range []struct {
		party  matchingv1.Party
		method contractsv1.SignatureMethod
	}{{matchingv1.Party_PARTY_HOST, contractsv1.SignatureMethod_SIGNATURE_METHOD_PAPER}, {matchingv1.Party_PARTY_STUDENT, contractsv1.SignatureMethod_SIGNATURE_METHOD_IN_PERSON}} {
		sig := active.GetSignatures()[i]
		if sig.GetParty() != want.party || sig.GetMethod() != want.method || !sig.GetOnBehalf() || sig.GetSignedByAccountId() != coordAccount || sig.GetSignTime() == nil {
			t.Fatalf("signature %d: %v", i, sig)
		}
	}
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractActivated.Subject, 1)
}

// TestOpenEndedStayGetsAnEndWithinTheRoom: a stay the application leaves open ends with the
// room's availability, or 12 months after its start when the room is open too; a move-in
// before the room is available starts on its first day. PATCH, send and renew keep the
// contract within the room's availability.
func TestOpenEndedStayGetsAnEndWithinTheRoom(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	h, s := e.host(t, "lyon", "Jeanne Martin", false), e.student(t, "lyon", "Léa Dubois")

	open := approved("lyon", h, s, false)
	open.MoveOutDate = ""
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", open)
	c := e.contractOf(t, coord, open.GetMatch().GetMatchId())
	if tm := c.GetTerms(); tm.GetStartDate() != "2027-02-01" || tm.GetEndDate() != "2028-01-31" {
		t.Fatalf("open stay in an open room: %s – %s, want 12 months", tm.GetStartDate(), tm.GetEndDate())
	}
	if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()}); err != nil {
		t.Fatalf("an open-ended stay's draft is sent as it is: %v", err)
	}

	bounded := approved("lyon", h, s, false)
	bounded.MoveInDate, bounded.MoveOutDate = "2027-01-20", ""
	bounded.RoomAvailableFrom, bounded.RoomAvailableUntil = "2027-02-01", "2027-06-30"
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", bounded)
	c = e.contractOf(t, coord, bounded.GetMatch().GetMatchId())
	if tm := c.GetTerms(); tm.GetStartDate() != "2027-02-01" || tm.GetEndDate() != "2027-06-30" ||
		c.GetRoomAvailableFrom() != "2027-02-01" || c.GetRoomAvailableUntil() != "2027-06-30" {
		t.Fatalf("open stay in a room until 30 June: %s – %s (room %s – %s)", tm.GetStartDate(), tm.GetEndDate(), c.GetRoomAvailableFrom(), c.GetRoomAvailableUntil())
	}
	// A stay past the room's last day (the application said 15 July) is cut to it.
	long := approved("lyon", h, s, false)
	long.MoveOutDate, long.RoomAvailableUntil = "2027-07-15", "2027-06-30"
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", long)
	if got := e.contractOf(t, coord, long.GetMatch().GetMatchId()); got.GetTerms().GetEndDate() != "2027-06-30" {
		t.Fatalf("a stay past the room's availability: ends %s", got.GetTerms().GetEndDate())
	}

	_, err := e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
		Contract:   &contractsv1.Contract{Id: c.GetId(), Terms: &contractsv1.ContractTerms{StartDate: "2027-01-31", EndDate: "2027-07-15"}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.start_date", "terms.end_date"}},
	})
	svctest.WantCode(t, err, codes.InvalidArgument)
	v := grpcx.FieldViolations(err)
	if !strings.Contains(v["terms.startDate"], "2027-02-01") || !strings.Contains(v["terms.endDate"], "2027-06-30") {
		t.Fatalf("dates outside the room's availability: %v", v)
	}
	_, err = e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
		Contract:   &contractsv1.Contract{Id: c.GetId(), Terms: &contractsv1.ContractTerms{EndDate: ""}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.end_date"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()})
	wantReason(t, err, codes.FailedPrecondition, "TERMS_INCOMPLETE")
	upd, err := e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
		Contract:   &contractsv1.Contract{Id: c.GetId(), Terms: &contractsv1.ContractTerms{EndDate: "2027-05-31"}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.end_date"}},
	})
	if err != nil || upd.GetTerms().GetEndDate() != "2027-05-31" {
		t.Fatalf("end date within the room: %v %v", upd, err)
	}
	e.visibleTo(t, h.ctx, c.GetId())
	e.visibleTo(t, s.ctx, c.GetId())
	if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.SignContract(s.ctx, &contractsv1.SignContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.RenewContract(coord, &contractsv1.RenewContractRequest{Id: c.GetId(), EndDate: "2027-07-31"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if v := grpcx.FieldViolations(err)["endDate"]; !strings.Contains(v, "2027-06-30") {
		t.Fatalf("renewal past the room's availability: %q", v)
	}
	if r, err := e.client.RenewContract(coord, &contractsv1.RenewContractRequest{Id: c.GetId(), EndDate: "2027-06-30"}); err != nil || r.GetTerms().GetEndDate() != "2027-06-30" {
		t.Fatalf("renewal to the room's last day: %v %v", r, err)
	}
}

// TestEveryTermOfADraft: while DRAFT the coordinator changes every term in one PATCH, within
// the formula's range and the cap; the notice stays the law's calendar month.
func TestEveryTermOfADraft(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, _ := e.as(t, auth.RoleCoordinator, "formules")
	svctest.Publish(t, e.js, identityevents.ProgrammeCreated.Subject, "formules", &identityeventsv1.ProgrammeCreated{Programme: &identityv1.Programme{
		Id: "formules", Name: "Formules", CreateTime: timestamppb.Now(), Settings: &identityv1.ProgrammeSettings{
			Formulas: []*identityv1.Formula{
				{Id: "solidaire", Name: "Solidaire", MinContributionCents: 10000, MaxContributionCents: 20000, EveningsPerWeek: 3, HoursPerWeek: 4},
				{Id: "gratuite", Name: "Gratuite", EveningsPerWeek: 5},
			},
		},
	}})
	h, s := e.host(t, "formules", "Jeanne Martin", false), e.student(t, "formules", "Léa Dubois")
	m := approved("formules", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "formules", m)
	c := e.contractOf(t, coord, m.GetMatch().GetMatchId())
	every := []string{"terms.start_date", "terms.end_date", "terms.formula_id", "terms.monthly_contribution_cents", "terms.evenings_per_week",
		"terms.hours_per_week", "terms.services", "terms.shared_spaces", "terms.house_rules", "terms.trial_days"}
	terms := &contractsv1.ContractTerms{
		StartDate: "2027-03-01", EndDate: "2027-08-31", FormulaId: "solidaire", MonthlyContributionCents: 25000,
		EveningsPerWeek: 2, HoursPerWeek: 6, Services: []typev1.Service{typev1.Service_SERVICE_SHOPPING, typev1.Service_SERVICE_DIGITAL_HELP},
		SharedSpaces: []string{"cuisine", "jardin"}, HouseRules: "Calme après 22 h.", TrialDays: 21,
	}
	// Until the programme's formulas arrive, 250 € is within the default cap; once they are
	// in, it is above the solidaire formula's range.
	eventually(t, "the formula's range applies", func() bool {
		_, err := e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{Contract: &contractsv1.Contract{Id: c.GetId(), Terms: terms}, UpdateMask: &fieldmaskpb.FieldMask{Paths: every}})
		return strings.Contains(grpcx.FieldViolations(err)["terms.monthlyContributionCents"], "200,00")
	})
	_, err := e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
		Contract:   &contractsv1.Contract{Id: c.GetId(), Terms: &contractsv1.ContractTerms{FormulaId: "inconnue"}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.formula_id"}},
	})
	if _, ok := grpcx.FieldViolations(err)["terms.formulaId"]; !ok {
		t.Fatalf("a formula the programme does not offer: %v", err)
	}
	terms.MonthlyContributionCents = 18000
	got, err := e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{Contract: &contractsv1.Contract{Id: c.GetId(), Terms: terms}, UpdateMask: &fieldmaskpb.FieldMask{Paths: every}})
	if err != nil {
		t.Fatal(err)
	}
	tm := got.GetTerms()
	if tm.GetStartDate() != "2027-03-01" || tm.GetEndDate() != "2027-08-31" || tm.GetFormulaId() != "solidaire" || tm.GetMonthlyContributionCents() != 18000 ||
		tm.GetEveningsPerWeek() != 2 || tm.GetHoursPerWeek() != 6 || len(tm.GetServices()) != 2 || tm.GetServices()[1] != typev1.Service_SERVICE_DIGITAL_HELP ||
		strings.Join(tm.GetSharedSpaces(), ",") != "cuisine,jardin" || tm.GetHouseRules() != "Calme après 22 h." || tm.GetTrialDays() != 21 {
		t.Fatalf("every term changed: %v", tm)
	}
	if tm.GetNoticeMonths() != 1 {
		t.Fatalf("notice: %d months", tm.GetNoticeMonths())
	}
	_, err = e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
		Contract:   &contractsv1.Contract{Id: c.GetId(), Terms: &contractsv1.ContractTerms{NoticeDays: 60}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.notice_days"}},
	})
	if v := grpcx.FieldViolations(err)["terms.noticeDays"]; !strings.Contains(v, "calendar month") {
		t.Fatalf("the notice is the law's: %v", err)
	}

	// The law's month: a notice given on 1 July (after the 21-day trial) takes effect on
	// 1 August at the earliest, not 30 days later.
	e.visibleTo(t, h.ctx, c.GetId())
	e.visibleTo(t, s.ctx, c.GetId())
	if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []party{h, s} {
		if _, err := e.client.SignContract(p.ctx, &contractsv1.SignContractRequest{Id: c.GetId()}); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Set("2027-07-01")
	_, err = e.client.TerminateContract(s.ctx, &contractsv1.TerminateContractRequest{Id: c.GetId(), Reason: "Stage", EffectiveDate: "2027-07-31"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if v := grpcx.FieldViolations(err)["effectiveDate"]; !strings.Contains(v, "2027-08-01") || !strings.Contains(v, "calendar month") {
		t.Fatalf("a month's notice from 1 July: %q", v)
	}
	if _, err := e.client.TerminateContract(s.ctx, &contractsv1.TerminateContractRequest{Id: c.GetId(), Reason: "Stage", EffectiveDate: "2027-08-01"}); err != nil {
		t.Fatal(err)
	}
}

// TestReopenClearsSignatures: a contract awaiting signatures goes back to DRAFT when the
// coordinator reopens it; the signature already given is cleared, the terms can be
// corrected, and the contract is sent and signed again.
func TestReopenClearsSignatures(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	otherCoord, _ := e.as(t, auth.RoleCoordinator, "paris")
	h, s := e.host(t, "lyon", "Jeanne Martin", false), e.student(t, "lyon", "Léa Dubois")
	m := approved("lyon", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", m)
	c := e.contractOf(t, coord, m.GetMatch().GetMatchId())
	e.visibleTo(t, h.ctx, c.GetId())
	e.visibleTo(t, s.ctx, c.GetId())
	_, err := e.client.ReopenContract(coord, &contractsv1.ReopenContractRequest{Id: c.GetId()})
	wantReason(t, err, codes.FailedPrecondition, "INVALID_TRANSITION")
	if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	signed, err := e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.ReopenContract(h.ctx, &contractsv1.ReopenContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.ReopenContract(otherCoord, &contractsv1.ReopenContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.ReopenContract(coord, &contractsv1.ReopenContractRequest{Id: c.GetId(), Etag: c.GetEtag()})
	svctest.WantCode(t, err, codes.Aborted)
	reopened, err := e.client.ReopenContract(coord, &contractsv1.ReopenContractRequest{Id: c.GetId(), Etag: signed.GetEtag()})
	if err != nil || reopened.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_DRAFT || len(reopened.GetSignatures()) != 0 {
		t.Fatalf("reopen: %v %v", reopened, err)
	}
	ev, _ := event.Decode(svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractReopened.Subject, 1)[0].Data())
	if p, err := event.Payload(ev, &contractseventsv1.ContractChanged{}); err != nil || p.GetContract().GetStatus() != "DRAFT" || p.GetReasonCode() != "REOPENED_BY_COORDINATOR" {
		t.Fatalf("contract.reopened: %v %v", p, err)
	}
	if _, err := e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
		Contract:   &contractsv1.Contract{Id: c.GetId(), Terms: &contractsv1.ContractTerms{EveningsPerWeek: 2}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.evenings_per_week"}},
	}); err != nil {
		t.Fatalf("correcting a reopened contract: %v", err)
	}
	if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	// The host signs again: her first signature was cleared with the terms it agreed to.
	if _, err := e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId()}); err != nil {
		t.Fatalf("the host signs the corrected contract: %v", err)
	}
	if active, err := e.client.SignContract(s.ctx, &contractsv1.SignContractRequest{Id: c.GetId()}); err != nil || active.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE {
		t.Fatalf("active: %v %v", active, err)
	}
}

// TestCancelActiveBeforeItsStart: the pair withdraws after both signed, before moving in: the
// ACTIVE contract is CANCELLED, its scheduled check-ins CANCELLED, and contract.cancelled
// tells hosts, students and matching to put room, student and application back. From the
// start date on, only notice ends it.
func TestCancelActiveBeforeItsStart(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	h, s := e.host(t, "lyon", "Jeanne Martin", false), e.student(t, "lyon", "Léa Dubois")
	activate := func() *contractsv1.Contract {
		m := approved("lyon", h, s, false)
		svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", m)
		c := e.contractOf(t, coord, m.GetMatch().GetMatchId())
		e.visibleTo(t, h.ctx, c.GetId())
		e.visibleTo(t, s.ctx, c.GetId())
		if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()}); err != nil {
			t.Fatal(err)
		}
		var active *contractsv1.Contract
		for _, p := range []party{h, s} {
			got, err := e.client.SignContract(p.ctx, &contractsv1.SignContractRequest{Id: c.GetId()})
			if err != nil {
				t.Fatal(err)
			}
			active = got
		}
		return active
	}
	c := activate() // starts 2027-02-01; the clock says 2027-01-10
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.CheckinScheduled.Subject, 5)
	_, err := e.client.CancelContract(s.ctx, &contractsv1.CancelContractRequest{Id: c.GetId(), Reason: "x"})
	svctest.WantCode(t, err, codes.PermissionDenied)
	cancelled, err := e.client.CancelContract(coord, &contractsv1.CancelContractRequest{Id: c.GetId(), Etag: c.GetEtag(), Reason: "Le couple renonce avant l'emménagement."})
	if err != nil || cancelled.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_CANCELLED {
		t.Fatalf("cancel an active contract before its start: %v %v", cancelled, err)
	}
	list, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{ContractId: c.GetId(), PageSize: 20})
	if err != nil || len(list.GetCheckins()) != 5 {
		t.Fatalf("check-ins: %v %v", list, err)
	}
	for _, ch := range list.GetCheckins() {
		if ch.GetStatus() != contractsv1.CheckinStatus_CHECKIN_STATUS_CANCELLED {
			t.Fatalf("check-in %s is %s", ch.GetDueDate(), ch.GetStatus())
		}
	}
	ev, _ := event.Decode(svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractCancelled.Subject, 1)[0].Data())
	if p, err := event.Payload(ev, &contractseventsv1.ContractChanged{}); err != nil || p.GetReasonCode() != "WITHDRAWN_BEFORE_START" || p.GetContract().GetMatchId() != c.GetMatchId() {
		t.Fatalf("contract.cancelled: %v %v", p, err)
	}
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.CheckinCancelled.Subject, 5)
	// A cancelled check-in is not completed.
	_, err = e.client.CompleteCheckin(coord, &contractsv1.CompleteCheckinRequest{Id: list.GetCheckins()[0].GetId(), Method: contractsv1.CheckinMethod_CHECKIN_METHOD_PHONE, HostWellbeing: 4, StudentWellbeing: 4})
	svctest.WantCode(t, err, codes.FailedPrecondition)

	// On its start date the stay has begun: notice, not cancellation.
	c = activate()
	e.clock.Set("2027-02-01")
	_, err = e.client.CancelContract(coord, &contractsv1.CancelContractRequest{Id: c.GetId(), Reason: "Trop tard"})
	wantReason(t, err, codes.FailedPrecondition, "STAY_STARTED")
}
