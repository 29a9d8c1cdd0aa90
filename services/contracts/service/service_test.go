package service_test

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/eventsub"
	"github.com/cohabit/cohabit/services/contracts/internal/grpcapi"
	"github.com/cohabit/cohabit/services/contracts/internal/jobs"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

func TestPolicyCoversEveryMethod(t *testing.T) {
	t.Parallel()
	for _, m := range contractsv1.ContractService_ServiceDesc.Methods {
		if _, ok := grpcapi.Policy["/"+contractsv1.ContractService_ServiceDesc.ServiceName+"/"+m.MethodName]; !ok {
			t.Errorf("%s has no authorization rule", m.MethodName)
		}
	}
	if len(grpcapi.Policy) != len(contractsv1.ContractService_ServiceDesc.Methods) {
		t.Errorf("the policy names %d methods, the service has %d", len(grpcapi.Policy), len(contractsv1.ContractService_ServiceDesc.Methods))
	}
}

// TestOneContractPerMatch: the same approval delivered twice (two message ids, one envelope
// id), and a second approval of the same match (another envelope id), draft one contract.
func TestOneContractPerMatch(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	h, s := e.host(t, "lyon", "Jeanne Martin", false), e.student(t, "lyon", "Léa Dubois")
	m := approved("lyon", h, s, false)
	env := envelopeOf(t, matchingevents.MatchApproved.Subject, "lyon", m)
	publishWithID(t, e.js, env, "first")
	publishWithID(t, e.js, env, "second")
	publishWithID(t, e.js, envelopeOf(t, matchingevents.MatchApproved.Subject, "lyon", m), "third")

	c := e.contractOf(t, coord, m.GetMatch().GetMatchId())
	e.drained(t, matchingevents.Stream.Name, eventsub.DurableMatching)
	if n := e.count(t, `SELECT count(*) FROM contracts`); n != 1 {
		t.Fatalf("%d contracts for one match", n)
	}
	if n := e.count(t, `SELECT count(*) FROM outbox WHERE subject = $1`, contractsevents.ContractDrafted.Subject); n != 1 {
		t.Fatalf("%d drafted events for one match", n)
	}
	if n := e.count(t, `SELECT count(*) FROM inbox WHERE consumer = $1`, eventsub.DurableMatching); n != 2 {
		t.Fatalf("inbox holds %d events, want the 2 distinct envelopes", n)
	}

	// The draft holds the match's terms, the legal periods and the charter's defaults.
	terms := c.GetTerms()
	if c.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_DRAFT || c.GetHostId() != h.id || c.GetStudentId() != s.id ||
		terms.GetStartDate() != "2027-02-01" || terms.GetEndDate() != "2028-01-31" || terms.GetMonthlyContributionCents() != 15000 ||
		terms.GetNoticeDays() != 30 || terms.GetTrialDays() != 30 || terms.GetTrialNoticeDays() != 15 ||
		terms.GetRoomTitle() != "Chambre sur jardin" || len(terms.GetServices()) != 2 || terms.GetEntryInventory() != "" ||
		!slices.Equal(terms.GetSharedSpaces(), []string{"cuisine", "salle de bains"}) ||
		!strings.Contains(terms.GetHouseRules(), "Respect mutuel") || !strings.Contains(terms.GetStudentDuties(), "soins à la personne") {
		t.Fatalf("draft %v", c)
	}
	msgs := svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractDrafted.Subject, 1)
	got, _ := event.Decode(msgs[0].Data())
	payload, err := event.Payload(got, &contractseventsv1.ContractChanged{})
	if err != nil || payload.GetContract().GetContractId() != c.GetId() || payload.GetContract().GetMatchId() != m.GetMatch().GetMatchId() {
		t.Fatalf("drafted event %v %v", payload, err)
	}
}

// TestContractLifecycle walks a contract from its draft to its early termination, with the
// jobs running in the service on a clock the test moves.
func TestContractLifecycle(t *testing.T) {
	t.Parallel()
	e := start(t, options{jobInterval: 20e6})
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	h, s := e.host(t, "lyon", "Jeanne Martin", false), e.student(t, "lyon", "Léa Dubois")
	m := approved("lyon", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", m)
	c := e.contractOf(t, coord, m.GetMatch().GetMatchId())
	c = e.visibleTo(t, h.ctx, c.GetId())
	e.visibleTo(t, s.ctx, c.GetId())
	eventually(t, "parties' names", func() bool {
		got, err := e.client.GetContract(coord, &contractsv1.GetContractRequest{Id: c.GetId()})
		return err == nil && got.GetHostDisplayName() == "Jeanne Martin" && got.GetStudentDisplayName() == "Léa Dubois"
	})

	// Terms: the cap and the legal notice hold.
	_, err := e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
		Contract:   &contractsv1.Contract{Id: c.GetId(), Terms: &contractsv1.ContractTerms{MonthlyContributionCents: 35001, NoticeDays: 20, EveningsPerWeek: 8}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.monthly_contribution_cents", "terms.notice_days", "terms.evenings_per_week"}},
	})
	svctest.WantCode(t, err, codes.InvalidArgument)
	for _, f := range []string{"terms.monthlyContributionCents", "terms.noticeDays", "terms.eveningsPerWeek"} {
		if _, ok := grpcx.FieldViolations(err)[f]; !ok {
			t.Fatalf("violations %v lack %s", grpcx.FieldViolations(err), f)
		}
	}
	_, err = e.client.UpdateContract(h.ctx, &contractsv1.UpdateContractRequest{Contract: &contractsv1.Contract{Id: c.GetId()}})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
		Contract:   &contractsv1.Contract{Id: c.GetId(), Etag: `W/"99"`, Terms: &contractsv1.ContractTerms{EntryInventory: "x"}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.entry_inventory"}},
	})
	svctest.WantCode(t, err, codes.Aborted)
	upd, err := e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
		Contract: &contractsv1.Contract{Id: c.GetId(), Etag: c.GetEtag(), Terms: &contractsv1.ContractTerms{
			SharedSpaces: []string{"cuisine", "salon", "jardin"}, EntryInventory: "Chambre repeinte en 2026 ; lit, bureau et armoire en bon état.",
		}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.shared_spaces", "terms.entry_inventory"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if upd.GetEtag() == c.GetEtag() || len(upd.GetTerms().GetSharedSpaces()) != 3 || upd.GetTerms().GetMonthlyContributionCents() != 15000 {
		t.Fatalf("updated %v", upd)
	}

	// Signatures.
	_, err = e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	sent, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId(), Etag: upd.GetEtag()})
	if err != nil || sent.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES {
		t.Fatalf("send: %v %v", sent.GetStatus(), err)
	}
	// An electronic signature is only ever the party's own (SPEC §3 as amended: a
	// coordinator records paper or in-person signatures, for either party).
	_, err = e.client.SignContract(coord, &contractsv1.SignContractRequest{Id: c.GetId(), Party: matchingv1.Party_PARTY_HOST, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if _, ok := grpcx.FieldViolations(err)["method"]; !ok || grpcx.Reason(err) != "ELECTRONIC_SIGNATURE_OWN_ONLY" {
		t.Fatalf("coordinator's electronic signature: %v", err)
	}
	_, err = e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId(), Party: matchingv1.Party_PARTY_STUDENT})
	svctest.WantCode(t, err, codes.PermissionDenied)
	one, err := e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId()})
	if err != nil || one.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES || len(one.GetSignatures()) != 1 ||
		one.GetSignatures()[0].GetMethod() != contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC || one.GetSignatures()[0].GetSignedByAccountId() != h.account {
		t.Fatalf("host signs: %v %v", one, err)
	}
	_, err = e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "ALREADY_SIGNED" {
		t.Fatalf("reason %q", grpcx.Reason(err))
	}
	active, err := e.client.SignContract(s.ctx, &contractsv1.SignContractRequest{Id: c.GetId(), Etag: one.GetEtag()})
	if err != nil || active.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE {
		t.Fatalf("student signs: %v %v", active.GetStatus(), err)
	}
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractSigned.Subject, 2)
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractActivated.Subject, 1)
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.CheckinScheduled.Subject, 5)

	// Check-ins: +7, +30, +120, +210, +300 days from 2027-02-01.
	agenda, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{ContractId: c.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	var due []string
	for _, ch := range agenda.GetCheckins() {
		due = append(due, ch.GetDueDate())
	}
	if strings.Join(due, ",") != "2027-02-08,2027-03-03,2027-06-01,2027-08-30,2027-11-28" || agenda.GetCheckins()[0].GetStudentDisplayName() != "Léa Dubois" {
		t.Fatalf("check-ins %v", due)
	}
	_, err = e.client.ListCheckins(s.ctx, &contractsv1.ListCheckinsRequest{})
	svctest.WantCode(t, err, codes.PermissionDenied)
	otherCoord, _ := e.as(t, auth.RoleCoordinator, "paris")
	if other, err := e.client.ListCheckins(otherCoord, &contractsv1.ListCheckinsRequest{}); err != nil || len(other.GetCheckins()) != 0 {
		t.Fatalf("another programme's agenda: %v %v", other, err)
	}

	// Past the first one's grace (due 2027-02-08, grace 7 days): MISSED, on the agenda.
	first := agenda.GetCheckins()[0]
	e.clock.Set("2027-02-16")
	var missed *contractsv1.Checkin
	eventually(t, "first check-in missed", func() bool {
		list, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{Status: contractsv1.CheckinStatus_CHECKIN_STATUS_MISSED})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.GetCheckins()) == 1 {
			missed = list.GetCheckins()[0]
			return true
		}
		return false
	})
	if missed.GetId() != first.GetId() {
		t.Fatalf("missed %v, want the first", missed)
	}
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.CheckinMissed.Subject, 1)
	_, err = e.client.CompleteCheckin(coord, &contractsv1.CompleteCheckinRequest{Id: missed.GetId(), Method: contractsv1.CheckinMethod_CHECKIN_METHOD_VISIT, HostWellbeing: 0, StudentWellbeing: 6})
	svctest.WantCode(t, err, codes.InvalidArgument)
	late, err := e.client.CompleteCheckin(coord, &contractsv1.CompleteCheckinRequest{
		Id: missed.GetId(), Etag: missed.GetEtag(), Method: contractsv1.CheckinMethod_CHECKIN_METHOD_VISIT, HostWellbeing: 4, StudentWellbeing: 5, Notes: "Visite à domicile, tout va bien.",
	})
	if err != nil || late.GetStatus() != contractsv1.CheckinStatus_CHECKIN_STATUS_DONE || !late.GetLate() || late.GetDoneTime() == nil {
		t.Fatalf("late completion: %v %v", late, err)
	}
	_, err = e.client.CompleteCheckin(coord, &contractsv1.CompleteCheckinRequest{Id: missed.GetId(), Method: contractsv1.CheckinMethod_CHECKIN_METHOD_PHONE, HostWellbeing: 4, StudentWellbeing: 5})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	_, err = e.client.CompleteCheckin(otherCoord, &contractsv1.CompleteCheckinRequest{Id: agenda.GetCheckins()[1].GetId(), Method: contractsv1.CheckinMethod_CHECKIN_METHOD_PHONE, HostWellbeing: 4, StudentWellbeing: 5})
	svctest.WantCode(t, err, codes.NotFound)
	// A concern comes first on the agenda.
	concern, err := e.client.CompleteCheckin(coord, &contractsv1.CompleteCheckinRequest{
		Id: agenda.GetCheckins()[1].GetId(), Method: contractsv1.CheckinMethod_CHECKIN_METHOD_PHONE, HostWellbeing: 2, StudentWellbeing: 4, Concern: true, Notes: "L'hôte se sent seule le week-end.",
	})
	if err != nil || concern.GetLate() {
		t.Fatalf("early completion: %v %v", concern, err)
	}
	page1, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{PageSize: 2})
	if err != nil || len(page1.GetCheckins()) != 2 || page1.GetCheckins()[0].GetId() != concern.GetId() || page1.GetCheckins()[1].GetId() != first.GetId() {
		t.Fatalf("agenda order: %v %v", page1, err)
	}
	page2, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{PageSize: 2, PageToken: page1.GetNextPageToken()})
	if err != nil || len(page2.GetCheckins()) != 2 || page2.GetCheckins()[0].GetDueDate() != "2027-06-01" {
		t.Fatalf("agenda page 2: %v %v", page2, err)
	}
	if before, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{DueBefore: "2027-07-01", Status: contractsv1.CheckinStatus_CHECKIN_STATUS_DUE}); err != nil || len(before.GetCheckins()) != 1 {
		t.Fatalf("due before July: %v %v", before, err)
	}

	// Incidents.
	stranger, _ := e.as(t, auth.RoleHost, "lyon")
	_, err = e.client.CreateIncident(stranger, &contractsv1.CreateIncidentRequest{ContractId: c.GetId(), Severity: contractsv1.Severity_SEVERITY_LOW, Description: "x"})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.CreateIncident(s.ctx, &contractsv1.CreateIncidentRequest{ContractId: c.GetId(), Description: "Bruit"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	low, err := e.client.CreateIncident(s.ctx, &contractsv1.CreateIncidentRequest{ContractId: c.GetId(), Severity: contractsv1.Severity_SEVERITY_LOW, Category: "NOISE", Description: "Télévision forte après 23 h.", RequestId: "r1"})
	if err != nil || low.GetReportedByParty() != matchingv1.Party_PARTY_STUDENT || low.GetStatus() != contractsv1.IncidentStatus_INCIDENT_STATUS_OPEN {
		t.Fatalf("student reports: %v %v", low, err)
	}
	again, err := e.client.CreateIncident(s.ctx, &contractsv1.CreateIncidentRequest{ContractId: c.GetId(), Severity: contractsv1.Severity_SEVERITY_LOW, Category: "NOISE", Description: "Télévision forte après 23 h.", RequestId: "r1"})
	if err != nil || again.GetId() != low.GetId() {
		t.Fatalf("a retried report must return the first: %v %v", again, err)
	}
	high, err := e.client.CreateIncident(h.ctx, &contractsv1.CreateIncidentRequest{ContractId: c.GetId(), Severity: contractsv1.Severity_SEVERITY_HIGH, Category: "BEHAVIOUR", Description: "Visites tardives répétées."})
	if err != nil || high.GetReportedByParty() != matchingv1.Party_PARTY_HOST {
		t.Fatal(err)
	}
	list, err := e.client.ListIncidents(coord, &contractsv1.ListIncidentsRequest{})
	if err != nil || len(list.GetIncidents()) != 2 || list.GetIncidents()[0].GetId() != high.GetId() {
		t.Fatalf("coordinator's incidents, most severe first: %v %v", list, err)
	}
	if own, err := e.client.ListIncidents(s.ctx, &contractsv1.ListIncidentsRequest{}); err != nil || len(own.GetIncidents()) != 2 {
		t.Fatalf("a party sees their contract's incidents: %v %v", own, err)
	}
	if none, err := e.client.ListIncidents(stranger, &contractsv1.ListIncidentsRequest{}); err != nil || len(none.GetIncidents()) != 0 {
		t.Fatalf("a stranger's incidents: %v %v", none, err)
	}
	_, err = e.client.MediateIncident(h.ctx, &contractsv1.MediateIncidentRequest{Id: high.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	med, err := e.client.MediateIncident(coord, &contractsv1.MediateIncidentRequest{Id: high.GetId(), Etag: high.GetEtag()})
	if err != nil || med.GetStatus() != contractsv1.IncidentStatus_INCIDENT_STATUS_IN_MEDIATION {
		t.Fatal(err)
	}
	_, err = e.client.ResolveIncident(coord, &contractsv1.ResolveIncidentRequest{Id: high.GetId()})
	svctest.WantCode(t, err, codes.InvalidArgument)
	res, err := e.client.ResolveIncident(coord, &contractsv1.ResolveIncidentRequest{Id: high.GetId(), Resolution: "Accord trouvé : visites avant 21 h."})
	if err != nil || res.GetStatus() != contractsv1.IncidentStatus_INCIDENT_STATUS_RESOLVED {
		t.Fatal(err)
	}
	if _, err := e.client.ResolveIncident(coord, &contractsv1.ResolveIncidentRequest{Id: low.GetId(), Resolution: "Rappel des règles."}); err != nil {
		t.Fatalf("open → resolved: %v", err)
	}
	_, err = e.client.MediateIncident(coord, &contractsv1.MediateIncidentRequest{Id: low.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.IncidentResolved.Subject, 2)

	// Notice: after the trial, 30 days at least.
	e.clock.Set("2027-06-01")
	_, err = e.client.TerminateContract(s.ctx, &contractsv1.TerminateContractRequest{Id: c.GetId(), Reason: "Stage à l'étranger", EffectiveDate: "2027-06-20"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if v := grpcx.FieldViolations(err)["effectiveDate"]; !strings.Contains(v, "2027-07-01") {
		t.Fatalf("the refusal must name the earliest date: %q", v)
	}
	_, err = e.client.TerminateContract(s.ctx, &contractsv1.TerminateContractRequest{Id: c.GetId(), Reason: "x", EffectiveDate: "2027-07-01", Party: matchingv1.Party_PARTY_HOST})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.TerminateContract(s.ctx, &contractsv1.TerminateContractRequest{Id: c.GetId(), Reason: "Stage", EffectiveDate: "2028-02-01"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	notice, err := e.client.TerminateContract(s.ctx, &contractsv1.TerminateContractRequest{Id: c.GetId(), Reason: "Stage à l'étranger", EffectiveDate: "2027-07-01"})
	if err != nil || notice.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_NOTICE_GIVEN ||
		notice.GetTermination().GetRequestedByParty() != matchingv1.Party_PARTY_STUDENT || notice.GetTermination().GetEffectiveDate() != "2027-07-01" {
		t.Fatalf("notice: %v %v", notice, err)
	}
	_, err = e.client.RenewContract(coord, &contractsv1.RenewContractRequest{Id: c.GetId(), EndDate: "2028-06-30"})
	svctest.WantCode(t, err, codes.FailedPrecondition)

	// On the effective date the job terminates it, and tells the others.
	e.clock.Set("2027-07-01")
	eventually(t, "contract terminated", func() bool {
		got, err := e.client.GetContract(h.ctx, &contractsv1.GetContractRequest{Id: c.GetId()})
		return err == nil && got.GetStatus() == contractsv1.ContractStatus_CONTRACT_STATUS_TERMINATED
	})
	msgs := svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractTerminated.Subject, 1)
	env, err := event.Decode(msgs[0].Data())
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Headers().Get(jetstream.MsgIDHeader) != env.GetId() {
		t.Fatalf("Nats-Msg-Id %q is not the event id %q", msgs[0].Headers().Get(jetstream.MsgIDHeader), env.GetId())
	}
	term, err := event.Payload(env, &contractseventsv1.ContractChanged{})
	if err != nil || term.GetContract().GetContractId() != c.GetId() || term.GetReasonCode() != "REQUESTED_BY_STUDENT" ||
		term.GetContract().GetStatus() != "TERMINATED" || term.GetContract().GetEndDate() != "2027-07-01" {
		t.Fatalf("terminated event %v %v", term, err)
	}
	// No follow-up after the stay: the check-ins due from 2027-07-01 are CANCELLED (SPEC §2),
	// three others remain; the one of June was missed meanwhile.
	all, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{ContractId: c.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	var cancelled []string
	for _, ch := range all.GetCheckins() {
		if ch.GetStatus() == contractsv1.CheckinStatus_CHECKIN_STATUS_CANCELLED {
			cancelled = append(cancelled, ch.GetDueDate())
		}
	}
	if len(all.GetCheckins()) != 5 || strings.Join(cancelled, ",") != "2027-08-30,2027-11-28" {
		t.Fatalf("check-ins after termination: %v cancelled of %v", cancelled, all.GetCheckins())
	}
	eventually(t, "June check-in missed", func() bool {
		l, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{ContractId: c.GetId(), Status: contractsv1.CheckinStatus_CHECKIN_STATUS_MISSED})
		return err == nil && len(l.GetCheckins()) == 1 && l.GetCheckins()[0].GetDueDate() == "2027-06-01"
	})
}

// TestAssistedHostRenewEndAndDocument: a coordinator signs for an assisted host on paper; the
// contract is renewed, its check-ins extended, and it ends on its end date. The PDF prints.
func TestAssistedHostRenewEndAndDocument(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	h, s := e.host(t, "lyon", "Marcel Lefèvre", true), e.student(t, "lyon", "Zoé Ngô")
	m := approved("lyon", h, s, true)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", m)
	c := e.contractOf(t, coord, m.GetMatch().GetMatchId())
	if !c.GetHostAssisted() {
		t.Fatal("the host is assisted")
	}
	e.visibleTo(t, s.ctx, c.GetId())
	if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	// A coordinator says whose signature they record.
	_, err := e.client.SignContract(coord, &contractsv1.SignContractRequest{Id: c.GetId(), Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_PAPER})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if _, ok := grpcx.FieldViolations(err)["party"]; !ok || grpcx.Reason(err) != "PARTY_REQUIRED" {
		t.Fatalf("coordinator's signature for nobody: %v", err)
	}
	_, err = e.client.SignContract(coord, &contractsv1.SignContractRequest{Id: c.GetId(), Party: matchingv1.Party_PARTY_HOST, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC})
	svctest.WantCode(t, err, codes.InvalidArgument)

	// The blank document, for the host to sign on paper.
	doc, err := e.client.GetContractDocument(s.ctx, &contractsv1.GetContractDocumentRequest{Id: c.GetId()})
	if err != nil || doc.GetContentType() != "application/pdf" || !regexp.MustCompile(`^contrat-LYON-\d{4}-[0-9A-Z]{6}\.pdf$`).MatchString(doc.GetFilename()) || !bytes.HasPrefix(doc.GetContent(), []byte("%PDF-")) {
		t.Fatalf("document: %v", err)
	}
	stranger, _ := e.as(t, auth.RoleStudent, "lyon")
	_, err = e.client.GetContractDocument(stranger, &contractsv1.GetContractDocumentRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.NotFound)

	signedHost, err := e.client.SignContract(coord, &contractsv1.SignContractRequest{Id: c.GetId(), Party: matchingv1.Party_PARTY_HOST, Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_IN_PERSON})
	if err != nil || !signedHost.GetSignatures()[0].GetOnBehalf() || signedHost.GetSignatures()[0].GetMethod() != contractsv1.SignatureMethod_SIGNATURE_METHOD_IN_PERSON {
		t.Fatalf("on behalf: %v %v", signedHost, err)
	}
	active, err := e.client.SignContract(s.ctx, &contractsv1.SignContractRequest{Id: c.GetId(), Party: matchingv1.Party_PARTY_STUDENT})
	if err != nil || active.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE {
		t.Fatal(err)
	}
	doc, err = e.client.GetContractDocument(coord, &contractsv1.GetContractDocumentRequest{Id: c.GetId()})
	if err != nil || !bytes.HasPrefix(doc.GetContent(), []byte("%PDF-")) {
		t.Fatalf("signed document: %v", err)
	}

	// Renewal: the coordinator's, later than the current end; check-ins follow.
	_, err = e.client.RenewContract(s.ctx, &contractsv1.RenewContractRequest{Id: c.GetId(), EndDate: "2028-07-31"})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.RenewContract(coord, &contractsv1.RenewContractRequest{Id: c.GetId(), EndDate: "2028-01-15"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	renewed, err := e.client.RenewContract(coord, &contractsv1.RenewContractRequest{Id: c.GetId(), Etag: active.GetEtag(), EndDate: "2028-07-31"})
	if err != nil || renewed.GetTerms().GetEndDate() != "2028-07-31" || renewed.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE {
		t.Fatalf("renew: %v %v", renewed, err)
	}
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractRenewed.Subject, 1)
	all, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{ContractId: c.GetId(), PageSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	var due []string
	for _, ch := range all.GetCheckins() {
		due = append(due, ch.GetDueDate())
	}
	// +390 and +480 days fall before 2028-07-31.
	if strings.Join(due, ",") != "2027-02-08,2027-03-03,2027-06-01,2027-08-30,2027-11-28,2028-02-26,2028-05-26" {
		t.Fatalf("check-ins after renewal: %v", due)
	}

	// The day before the end nothing happens; on the end date it ends.
	e.clock.Set("2028-07-30")
	if res := e.runJobs(t); res.Ended != 0 || res.Missed != 7 {
		t.Fatalf("jobs the day before the end: %+v", res)
	}
	e.clock.Set("2028-07-31")
	if res := e.runJobs(t); res.Ended != 1 || res.Terminated != 0 {
		t.Fatalf("jobs on the end date: %+v", res)
	}
	if res := e.runJobs(t); res != (jobs.Result{}) {
		t.Fatalf("jobs run twice: %+v", res)
	}
	ended, err := e.client.GetContract(s.ctx, &contractsv1.GetContractRequest{Id: c.GetId()})
	if err != nil || ended.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_ENDED {
		t.Fatalf("ended: %v %v", ended.GetStatus(), err)
	}
	svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractEnded.Subject, 1)
	_, err = e.client.TerminateContract(coord, &contractsv1.TerminateContractRequest{Id: c.GetId(), Reason: "x", EffectiveDate: "2028-09-01"})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if inc, err := e.client.CreateIncident(coord, &contractsv1.CreateIncidentRequest{ContractId: c.GetId(), Severity: contractsv1.Severity_SEVERITY_MEDIUM, Category: "PAYMENT", Description: "Dernière contribution non versée."}); err != nil || inc.GetReportedByParty() != matchingv1.Party_PARTY_UNSPECIFIED {
		t.Fatalf("coordinator reports after the stay: %v %v", inc, err)
	}
}

// TestCancellation: a coordinator cancels a draft with a reason; a match cancelled after its
// approval cancels its contract, and one cancelled before its approval arrived drafts nothing.
func TestCancellation(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	h, s := e.host(t, "lyon", "Jeanne Martin", false), e.student(t, "lyon", "Léa Dubois")

	m1 := approved("lyon", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", m1)
	c1 := e.contractOf(t, coord, m1.GetMatch().GetMatchId())
	_, err := e.client.CancelContract(coord, &contractsv1.CancelContractRequest{Id: c1.GetId()})
	svctest.WantCode(t, err, codes.InvalidArgument)
	e.visibleTo(t, h.ctx, c1.GetId())
	_, err = e.client.CancelContract(h.ctx, &contractsv1.CancelContractRequest{Id: c1.GetId(), Reason: "x"})
	svctest.WantCode(t, err, codes.PermissionDenied)
	cancelled, err := e.client.CancelContract(coord, &contractsv1.CancelContractRequest{Id: c1.GetId(), Reason: "L'étudiante a trouvé un autre logement."})
	if err != nil || cancelled.GetStatus() != contractsv1.ContractStatus_CONTRACT_STATUS_CANCELLED || cancelled.GetCancelReason() == "" {
		t.Fatalf("cancel: %v %v", cancelled, err)
	}
	_, err = e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c1.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)

	m2 := approved("lyon", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", m2)
	c2 := e.contractOf(t, coord, m2.GetMatch().GetMatchId())
	if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c2.GetId()}); err != nil {
		t.Fatal(err)
	}
	svctest.Publish(t, e.js, matchingevents.MatchCancelled.Subject, "lyon", &matchingeventsv1.MatchChanged{Match: m2.GetMatch(), WasApproved: true})
	eventually(t, "contract cancelled with its match", func() bool {
		got, err := e.client.GetContract(coord, &contractsv1.GetContractRequest{Id: c2.GetId()})
		return err == nil && got.GetStatus() == contractsv1.ContractStatus_CONTRACT_STATUS_CANCELLED
	})
	// The service's own reason is a code (clients word it), not a sentence in one language.
	if got, err := e.client.GetContract(coord, &contractsv1.GetContractRequest{Id: c2.GetId()}); err != nil || got.GetCancelReason() != "MATCH_CANCELLED" {
		t.Fatalf("cancel reason %q %v", got.GetCancelReason(), err)
	}
	msgs := svctest.NextEvents(t, e.js, contractsevents.Stream.Name, contractsevents.ContractCancelled.Subject, 2)
	env, _ := event.Decode(msgs[1].Data())
	if p, err := event.Payload(env, &contractseventsv1.ContractChanged{}); err != nil || p.GetReasonCode() != "MATCH_CANCELLED" {
		t.Fatalf("cancelled event %v %v", p, err)
	}

	// Cancelled before its approval was seen: the approval drafts nothing.
	m3 := approved("lyon", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchCancelled.Subject, "lyon", &matchingeventsv1.MatchChanged{Match: m3.GetMatch(), WasApproved: true})
	e.drained(t, matchingevents.Stream.Name, eventsub.DurableMatching)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", m3)
	e.drained(t, matchingevents.Stream.Name, eventsub.DurableMatching)
	if list, err := e.client.ListContracts(coord, &contractsv1.ListContractsRequest{MatchId: m3.GetMatch().GetMatchId()}); err != nil || len(list.GetContracts()) != 0 {
		t.Fatalf("a cancelled match got a contract: %v %v", list, err)
	}
	// A cancellation of a match never approved is not ours.
	svctest.Publish(t, e.js, matchingevents.MatchCancelled.Subject, "lyon", &matchingeventsv1.MatchChanged{Match: approved("lyon", h, s, false).GetMatch()})
	e.drained(t, matchingevents.Stream.Name, eventsub.DurableMatching)
	if n := e.count(t, `SELECT count(*) FROM cancelled_matches`); n != 1 {
		t.Fatalf("%d cancelled matches remembered", n)
	}
}

func TestAuthorization(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	otherCoord, _ := e.as(t, auth.RoleCoordinator, "paris")
	admin, _ := e.as(t, auth.RoleAdmin, "")
	s := e.student(t, "lyon", "Léa Dubois")
	// The match arrives before the host's profile: the host gets 404 until it does.
	hostCtx, hostAccount := e.as(t, auth.RoleHost, "lyon")
	h := party{id: "0190f3a2-7c1e-7000-8000-00000000aaaa", account: hostAccount, ctx: hostCtx, name: "Jeanne"}
	m := approved("lyon", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "lyon", m)
	c := e.contractOf(t, coord, m.GetMatch().GetMatchId())
	_, err := e.client.GetContract(h.ctx, &contractsv1.GetContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	if list, err := e.client.ListContracts(h.ctx, &contractsv1.ListContractsRequest{}); err != nil || len(list.GetContracts()) != 0 {
		t.Fatalf("host's list before their profile: %v %v", list, err)
	}
	e.publishHost(t, "lyon", h, false)
	e.visibleTo(t, h.ctx, c.GetId())
	if list, err := e.client.ListContracts(h.ctx, &contractsv1.ListContractsRequest{}); err != nil || len(list.GetContracts()) != 1 {
		t.Fatalf("host's list: %v %v", list, err)
	}
	e.visibleTo(t, s.ctx, c.GetId())

	_, err = e.client.GetContract(otherCoord, &contractsv1.GetContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.SendContract(otherCoord, &contractsv1.SendContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetContract(coord, &contractsv1.GetContractRequest{Id: "nope"})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetContract(admin, &contractsv1.GetContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.GetContract(context.Background(), &contractsv1.GetContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.Unauthenticated)
	_, err = e.client.SendContract(s.ctx, &contractsv1.SendContractRequest{Id: c.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.ListContracts(coord, &contractsv1.ListContractsRequest{PageToken: "garbage"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if list, err := e.client.ListContracts(otherCoord, &contractsv1.ListContractsRequest{}); err != nil || len(list.GetContracts()) != 0 {
		t.Fatalf("another programme's coordinator lists %v %v", list, err)
	}
	// A stale etag loses.
	_, err = e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId(), Etag: `W/"7"`})
	svctest.WantCode(t, err, codes.Aborted)
	// Incidents only once signed.
	_, err = e.client.CreateIncident(s.ctx, &contractsv1.CreateIncidentRequest{ContractId: c.GetId(), Severity: contractsv1.Severity_SEVERITY_LOW, Description: "x"})
	svctest.WantCode(t, err, codes.FailedPrecondition)
}

// TestProgrammeSettings: the programme's cap, notice and check-in plan come from identity's
// events.
func TestProgrammeSettings(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	coord, _ := e.as(t, auth.RoleCoordinator, "strict")
	svctest.Publish(t, e.js, identityevents.ProgrammeCreated.Subject, "strict", &identityeventsv1.ProgrammeCreated{Programme: &identityv1.Programme{
		Id: "strict", Name: "Strict", CreateTime: timestamppb.Now(), Settings: &identityv1.ProgrammeSettings{
			ContributionCapCents: 20000, NoticeDays: 45, TrialDays: 20, TrialNoticeDays: 10,
			CheckinFirstDays: []int32{14}, CheckinIntervalDays: 60, CheckinGraceDays: 3,
		},
	}})
	h, s := e.host(t, "strict", "Jeanne", false), e.student(t, "strict", "Léa")
	// Wait until the settings are in, through the cap on a first draft's terms.
	m0 := approved("strict", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "strict", m0)
	c0 := e.contractOf(t, coord, m0.GetMatch().GetMatchId())
	eventually(t, "programme cap applied", func() bool {
		_, err := e.client.UpdateContract(coord, &contractsv1.UpdateContractRequest{
			Contract:   &contractsv1.Contract{Id: c0.GetId(), Terms: &contractsv1.ContractTerms{MonthlyContributionCents: 25000}},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"terms.monthly_contribution_cents"}},
		})
		_, capped := grpcx.FieldViolations(err)["terms.monthlyContributionCents"]
		return capped
	})
	m := approved("strict", h, s, false)
	svctest.Publish(t, e.js, matchingevents.MatchApproved.Subject, "strict", m)
	c := e.contractOf(t, coord, m.GetMatch().GetMatchId())
	// The trial comes from the programme; the notice is the law's calendar month whatever
	// the programme's notice_days says (SPEC §2 as amended).
	if tm := c.GetTerms(); tm.GetNoticeMonths() != 1 || tm.GetNoticeDays() != 30 || tm.GetTrialDays() != 20 || tm.GetTrialNoticeDays() != 10 {
		t.Fatalf("periods from the programme: %v", tm)
	}
	if _, err := e.client.SendContract(coord, &contractsv1.SendContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	e.visibleTo(t, h.ctx, c.GetId())
	e.visibleTo(t, s.ctx, c.GetId())
	if _, err := e.client.SignContract(h.ctx, &contractsv1.SignContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.SignContract(s.ctx, &contractsv1.SignContractRequest{Id: c.GetId()}); err != nil {
		t.Fatal(err)
	}
	list, err := e.client.ListCheckins(coord, &contractsv1.ListCheckinsRequest{ContractId: c.GetId(), PageSize: 10})
	if err != nil || len(list.GetCheckins()) != 6 || list.GetCheckins()[0].GetDueDate() != "2027-02-15" || list.GetCheckins()[1].GetDueDate() != "2027-04-16" {
		t.Fatalf("programme's plan (+14 then every 60 days): %v %v", list, err)
	}
	// Grace of 3 days: due 2027-02-15, missed from 2027-02-19.
	e.clock.Set("2027-02-18")
	if res := e.runJobs(t); res.Missed != 0 {
		t.Fatalf("missed within grace: %+v", res)
	}
	e.clock.Set("2027-02-19")
	if res := e.runJobs(t); res.Missed != 1 {
		t.Fatalf("missed after grace: %+v", res)
	}
	// In the trial (20 days from 2027-02-01), 10 days' notice.
	_, err = e.client.TerminateContract(coord, &contractsv1.TerminateContractRequest{Id: c.GetId(), Reason: "Incompatibilité", EffectiveDate: "2027-02-28"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if v := grpcx.FieldViolations(err)["effectiveDate"]; !strings.Contains(v, "2027-03-01") || !strings.Contains(v, "trial") {
		t.Fatalf("trial notice: %q", v)
	}
	got, err := e.client.TerminateContract(coord, &contractsv1.TerminateContractRequest{Id: c.GetId(), Reason: "Incompatibilité", EffectiveDate: "2027-03-01", Party: matchingv1.Party_PARTY_HOST})
	if err != nil || got.GetTermination().GetRequestedByParty() != matchingv1.Party_PARTY_HOST {
		t.Fatalf("coordinator terminates for the host: %v %v", got, err)
	}
}
