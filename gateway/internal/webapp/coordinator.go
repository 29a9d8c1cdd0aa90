package webapp

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// listSize is how many records a page lists at most; a "more" flag says when there are more.
const listSize = 200

// parallel runs the calls of a page at once and returns the first error.
func parallel(fns ...func() error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(fns))
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// severityCount is a line of the incidents-by-severity table.
type severityCount struct {
	Severity contractsv1.Severity
	Count    int
}

type dashboardData struct {
	Today           string
	HostsPending    []*hostsv1.Host
	StudentsPending []*studentsv1.Student
	Matches         []*matchingv1.Match
	Contracts       []*contractsv1.Contract
	CheckinsDue     []*contractsv1.Checkin
	CheckinsOverdue []*contractsv1.Checkin
	Incidents       []*contractsv1.Incident
	// Pairs are the incidents' contracts, by id: each incident names its host and student.
	Pairs      map[string]*contractsv1.Contract
	BySeverity []severityCount
	// Concerns are check-ins done with a concern that no incident has answered yet.
	Concerns         []*contractsv1.Checkin
	Verifications    int
	More             map[string]bool
	OverdueThreshold string
	// DoneHost and DoneStudent are the host or student just verified from the pending lists
	// (?verified=host:<id>): their row stays, with its new status, where the focus goes
	// after the list is swapped in place.
	DoneHost    *hostsv1.Host
	DoneStudent *studentsv1.Student
}

// justVerified fetches the host or student the pending lists' verify button named in its
// next page (?verified=host:<id> or student:<id>); still pending (the verification was
// refused) or unknown, there is nothing to show. It never fails the dashboard.
func (a *App) justVerified(ctx context.Context, r *http.Request, d *dashboardData) {
	kind, id, _ := strings.Cut(r.URL.Query().Get("verified"), ":")
	if id == "" {
		return
	}
	switch kind {
	case "host":
		if h, err := a.svc.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id}); err == nil && h.GetStatus() != hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION {
			d.DoneHost = h
		}
	case "student":
		if s, err := a.svc.students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id}); err == nil && s.GetStatus() != studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION {
			d.DoneStudent = s
		}
	}
}

// dashboard is the coordinator's day: what waits for her, each with its count.
func (a *App) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	today := a.today()
	d := dashboardData{Today: today.Format(time.DateOnly), More: make(map[string]bool)}
	var mu sync.Mutex
	more := func(key, token string) {
		if token != "" {
			mu.Lock()
			d.More[key] = true
			mu.Unlock()
		}
	}
	var proposed, meeting []*matchingv1.Match
	var open, mediating []*contractsv1.Incident
	err := parallel(
		func() error { a.justVerified(ctx, r, &d); return nil },
		func() error {
			res, err := a.svc.hosts.ListHosts(ctx, &hostsv1.ListHostsRequest{PageSize: listSize, Status: hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION})
			d.HostsPending = res.GetHosts()
			more("hosts", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.svc.students.ListStudents(ctx, &studentsv1.ListStudentsRequest{PageSize: listSize, Status: studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION})
			d.StudentsPending = res.GetStudents()
			more("students", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.svc.matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: listSize, Status: matchingv1.MatchStatus_MATCH_STATUS_PROPOSED})
			proposed = res.GetMatches()
			more("matches", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.svc.matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: listSize, Status: matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED})
			meeting = res.GetMatches()
			more("matches", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.svc.contracts.ListContracts(ctx, &contractsv1.ListContractsRequest{PageSize: listSize, Status: contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES})
			d.Contracts = res.GetContracts()
			more("contracts", res.GetNextPageToken())
			return err
		},
		func() error {
			// Due today or before (due_before is exclusive), not yet missed.
			res, err := a.svc.contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{
				PageSize: listSize, Status: contractsv1.CheckinStatus_CHECKIN_STATUS_DUE,
				DueBefore: today.AddDate(0, 0, 1).Format(time.DateOnly),
			})
			d.CheckinsDue = res.GetCheckins()
			more("checkinsDue", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.svc.contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{PageSize: listSize, Status: contractsv1.CheckinStatus_CHECKIN_STATUS_MISSED})
			d.CheckinsOverdue = res.GetCheckins()
			more("checkinsOverdue", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.svc.contracts.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{PageSize: listSize, Status: contractsv1.IncidentStatus_INCIDENT_STATUS_OPEN})
			open = res.GetIncidents()
			more("incidents", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.svc.contracts.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{PageSize: listSize, Status: contractsv1.IncidentStatus_INCIDENT_STATUS_IN_MEDIATION})
			mediating = res.GetIncidents()
			more("incidents", res.GetNextPageToken())
			return err
		},
		func() error {
			list, m, err := a.concerns(ctx)
			d.Concerns = list
			if m {
				more("concerns", "more")
			}
			return err
		},
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d.Verifications = len(d.HostsPending) + len(d.StudentsPending)
	d.Matches = append(proposed, meeting...)
	slices.SortStableFunc(d.Matches, func(x, y *matchingv1.Match) int {
		return x.GetCreateTime().AsTime().Compare(y.GetCreateTime().AsTime())
	})
	// The most severe first, then the oldest.
	d.Incidents = append(open, mediating...)
	slices.SortStableFunc(d.Incidents, func(x, y *contractsv1.Incident) int {
		if x.GetSeverity() != y.GetSeverity() {
			return int(y.GetSeverity()) - int(x.GetSeverity())
		}
		return x.GetCreateTime().AsTime().Compare(y.GetCreateTime().AsTime())
	})
	d.BySeverity = bySeverity(d.Incidents)
	if d.Pairs, err = a.contractsOf(ctx, incidentContracts(d.Incidents)); err != nil {
		a.fail(w, r, err)
		return
	}
	p := a.newPage(w, r, "dash.title", d)
	p.Nav = "dashboard"
	a.render(w, r, http.StatusOK, "coord_dashboard", p)
}

type hostsListData struct {
	Hosts  []*hostsv1.Host
	Status string
	More   bool
}

var hostStatuses = []hostsv1.HostStatus{
	hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION, hostsv1.HostStatus_HOST_STATUS_VERIFIED,
	hostsv1.HostStatus_HOST_STATUS_SUSPENDED, hostsv1.HostStatus_HOST_STATUS_ARCHIVED,
}

// searchText is a list's ?q=, cut to the 100 characters the services take: a pasted
// paragraph searches its beginning rather than failing the page.
func searchText(r *http.Request) string {
	q := []rune(strings.TrimSpace(r.URL.Query().Get("q")))
	return strings.TrimSpace(string(q[:min(len(q), 100)]))
}

func (a *App) hostsList(w http.ResponseWriter, r *http.Request) {
	st := hostsv1.HostStatus(hostsv1.HostStatus_value[r.URL.Query().Get("status")])
	q := searchText(r)
	ctx, cancel := a.call(r)
	defer cancel()
	res, err := a.svc.hosts.ListHosts(ctx, &hostsv1.ListHostsRequest{PageSize: listSize, Status: st, Query: q})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := hostsListData{Hosts: res.GetHosts(), More: res.GetNextPageToken() != ""}
	if st != hostsv1.HostStatus_HOST_STATUS_UNSPECIFIED {
		d.Status = st.String()
	}
	p := a.newPage(w, r, "hosts.title", d)
	p.Nav = "hosts"
	p.Form = newForm(formSpec{{Name: "q", Label: "hosts.filter.q"}, {Name: "status", Label: "hosts.filter.status"}}, url.Values{"q": {q}, "status": {d.Status}})
	a.render(w, r, http.StatusOK, "coord_hosts", p)
}

// hostSpec is the host registration form, for a coordinator (assisted) and for a host
// herself; the consent box is the coordinator's only.
var hostSpec = formSpec{
	{Name: "displayName", Label: "hostForm.displayName", API: "displayName"},
	{Name: "birthDate", Label: "hostForm.birthDate", API: "birthDate"},
	{Name: "phone", Label: "hostForm.phone", API: "phone"},
	{Name: "email", Label: "hostForm.email", API: "email"},
	{Name: "line1", Label: "hostForm.line1", API: "address.line1"},
	{Name: "postcode", Label: "hostForm.postcode", API: "address.postcode"},
	{Name: "city", Label: "hostForm.city", API: "address.city"},
	{Name: "lat", Label: "hostForm.lat", API: "address.lat"},
	{Name: "lng", Label: "hostForm.lng", API: "address.lng"},
	{Name: "languages", Label: "hostForm.languages", API: "languages"},
	{Name: "servicesWanted", Label: "hostForm.servicesWanted", API: "servicesWanted"},
	{Name: "hoursWantedPerWeek", Label: "hostForm.hours", API: "hoursWantedPerWeek"},
	{Name: "nightsWantedPerWeek", Label: "hostForm.nights", API: "nightsWantedPerWeek"},
	{Name: "rhythm", Label: "hostForm.rhythm", API: "rhythm"},
	{Name: "genderPreference", Label: "hostForm.genderPreference", API: "genderPreference"},
	{Name: "smokes", Label: "hostForm.smokes", API: "smokes"},
	{Name: "hasPets", Label: "hostForm.hasPets", API: "hasPets"},
	{Name: "isTenant", Label: "hostForm.isTenant", API: "isTenant"},
	{Name: "landlordInformed", Label: "hostForm.landlordInformed", API: "landlordInformed"},
	{Name: "guardianship", Label: "hostForm.guardianship", API: "guardianship"},
	{Name: "repName", Label: "hostForm.rep.name", API: "legalRepresentative.name"},
	{Name: "repRelationship", Label: "hostForm.rep.relationship", API: "legalRepresentative.relationship"},
	{Name: "repPhone", Label: "hostForm.rep.phone", API: "legalRepresentative.phone"},
	{Name: "repEmail", Label: "hostForm.rep.email", API: "legalRepresentative.email"},
	{Name: "consentRecorded", Label: "hostForm.consent", API: "consentRecorded"},
}

// hostFormDefaults are a new host form's values; requestId makes a resubmitted form create
// the host once.
func hostFormDefaults() url.Values {
	return url.Values{"languages": {"fr"}, "hoursWantedPerWeek": {"0"}, "nightsWantedPerWeek": {"0"}, "requestId": {NewToken()}}
}

// hostFromForm reads the host form; coordinates left empty take the town's centre.
func hostFromForm(f *form) *hostsv1.Host {
	h := &hostsv1.Host{
		DisplayName: f.Value("displayName"),
		BirthDate:   f.date("birthDate"),
		Phone:       f.Value("phone"),
		Email:       f.Value("email"),
		Address: &hostsv1.Address{
			Line1: f.Value("line1"), Postcode: f.Value("postcode"), City: f.Value("city"),
			Lat: f.float("lat"), Lng: f.float("lng"),
		},
		Languages:           f.languages("languages"),
		Smokes:              f.Checked("smokes"),
		HasPets:             f.Checked("hasPets"),
		HoursWantedPerWeek:  f.int32("hoursWantedPerWeek"),
		NightsWantedPerWeek: f.int32("nightsWantedPerWeek"),
		Rhythm:              typev1.Rhythm(typev1.Rhythm_value[f.Value("rhythm")]),
		GenderPreference:    typev1.Gender(typev1.Gender_value[f.Value("genderPreference")]),
		IsTenant:            f.Checked("isTenant"),
		LandlordInformed:    f.Checked("landlordInformed"),
	}
	for _, s := range f.Values["servicesWanted"] {
		if v, ok := typev1.Service_value[s]; ok {
			h.ServicesWanted = append(h.ServicesWanted, typev1.Service(v))
		}
	}
	// A host under guardianship (tutelle, curatelle) has her legal representative recorded:
	// consulted, and signs with or for her (SPEC §2). "None" clears the representative.
	h.Guardianship = hostsv1.Guardianship(hostsv1.Guardianship_value[f.Value("guardianship")])
	if h.Guardianship == hostsv1.Guardianship_GUARDIANSHIP_TUTELLE || h.Guardianship == hostsv1.Guardianship_GUARDIANSHIP_CURATELLE {
		h.LegalRepresentative = &hostsv1.LegalRepresentative{
			Name: f.Value("repName"), Relationship: f.Value("repRelationship"), Phone: f.Value("repPhone"), Email: f.Value("repEmail"),
		}
	}
	// Coordinates left empty stay 0: the hosts service places the address at its commune's
	// centre (from postcode and town) and marks it approximate.
	return h
}

func (a *App) hostNewPage(w http.ResponseWriter, r *http.Request) {
	p := a.newPage(w, r, "hostNew.title", nil)
	p.Nav = "hosts"
	p.Form = newForm(hostSpec, hostFormDefaults())
	a.render(w, r, http.StatusOK, "coord_host_new", p)
}

// hostCreate registers a host on their behalf: assisted, with the consent the coordinator
// records (the hosts service refuses an assisted host without it).
func (a *App) hostCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm(hostSpec, r.PostForm)
	h := hostFromForm(f)
	h.Assisted = true
	h.ConsentRecorded = f.Checked("consentRecorded")
	p := a.newPage(w, r, "hostNew.title", nil)
	p.Nav = "hosts"
	p.Path = "/coordinator/hosts/new"
	p.Form = f
	if !f.ok() {
		a.render(w, r, http.StatusBadRequest, "coord_host_new", p)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	created, err := a.svc.hosts.CreateHost(ctx, &hostsv1.CreateHostRequest{Host: h, RequestId: f.Value("requestId")})
	if err != nil {
		if f.fromStatus(err, p.L) {
			a.render(w, r, http.StatusBadRequest, "coord_host_new", p)
			return
		}
		a.fail(w, r, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Key: "hostNew.done"})
	redirect(w, r, "/coordinator/hosts/"+url.PathEscape(created.GetId()))
}

// roomSpec is the form adding a room to a host.
var roomSpec = formSpec{
	{Name: "title", Label: "roomForm.title", API: "title"},
	{Name: "description", Label: "roomForm.description", API: "description"},
	{Name: "areaM2", Label: "roomForm.area", API: "areaM2"},
	{Name: "floor", Label: "roomForm.floor", API: "floor"},
	{Name: "contribution", Label: "roomForm.contribution", API: "monthlyContributionCents"},
	{Name: "formulaId", Label: "roomForm.formula", API: "formulaId"},
	{Name: "availableFrom", Label: "roomForm.from", API: "availableFrom"},
	{Name: "availableUntil", Label: "roomForm.until", API: "availableUntil"},
	{Name: "minStayMonths", Label: "roomForm.minStay", API: "minStayMonths"},
	{Name: "furnished", Label: "roomForm.furnished", API: "furnished"},
	{Name: "privateBathroom", Label: "roomForm.bathroom", API: "privateBathroom"},
	{Name: "elevator", Label: "roomForm.elevator", API: "elevator"},
	{Name: "smokingAllowed", Label: "roomForm.smoking", API: "smokingAllowed"},
	{Name: "petsAllowed", Label: "roomForm.pets", API: "petsAllowed"},
	{Name: "sharedSpaces", Label: "roomForm.sharedSpaces", API: "sharedSpaces"},
}

type hostPageData struct {
	Host      *hostsv1.Host
	Rooms     []*hostsv1.Room
	Formulas  []*identityv1.Formula
	Programme *identityv1.Programme
}

func (a *App) loadHostPage(r *http.Request, id string) (hostPageData, error) {
	ctx, cancel := a.call(r)
	defer cancel()
	var d hostPageData
	err := parallel(
		func() (err error) {
			d.Host, err = a.svc.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
			return err
		},
		func() error {
			res, err := a.svc.hosts.ListRooms(ctx, &hostsv1.ListRoomsRequest{HostId: id, PageSize: listSize})
			d.Rooms = res.GetRooms()
			return err
		},
		func() (err error) {
			d.Programme, err = a.svc.identity.GetProgramme(ctx, &identityv1.GetProgrammeRequest{Id: stateOf(r.Context()).me.GetProgrammeId()})
			return err
		},
	)
	d.Formulas = d.Programme.GetSettings().GetFormulas()
	return d, err
}

func (a *App) hostPage(w http.ResponseWriter, r *http.Request) {
	d, err := a.loadHostPage(r, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p := a.newPage(w, r, "host.title", d)
	p.Title = d.Host.GetDisplayName()
	p.Nav = "hosts"
	p.Form = newForm(roomSpec, url.Values{"furnished": {"on"}, "minStayMonths": {"0"}, "floor": {"0"}, "requestId": {NewToken()}})
	p.Desk = a.notesOf(r, a.documentsOf(r, d.Host.GetId(), true, "/coordinator/documents"), d.Host.GetId(), deskv1.SubjectType_SUBJECT_TYPE_HOST)
	a.render(w, r, http.StatusOK, "coord_host", p)
}

func (a *App) hostVerify(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.hosts.VerifyHost(ctx, &hostsv1.VerifyHostRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "hosts.verified", "/coordinator/hosts/"+url.PathEscape(r.PathValue("id")))
}

// afterAction ends a button's POST: a flash saying it worked, or why not (a refusal of the
// service, in its words), then back to the page the form came from.
func (a *App) afterAction(w http.ResponseWriter, r *http.Request, err error, okKey, fallback string) {
	back := LocalPath(r.PostFormValue("next"), fallback)
	if err != nil {
		key, detail, handled := a.actionError(err)
		if !handled {
			a.fail(w, r, err)
			return
		}
		setFlash(w, r, flash{Kind: "error", Key: key, Detail: detail})
	} else {
		setFlash(w, r, flash{Kind: "ok", Key: okKey})
	}
	redirect(w, r, back)
}

func (a *App) roomCreate(w http.ResponseWriter, r *http.Request) {
	hostID := r.PathValue("id")
	f := newForm(roomSpec, r.PostForm)
	room := roomFromForm(f)
	var err error
	if f.ok() {
		ctx, cancel := a.call(r)
		_, err = a.svc.hosts.CreateRoom(ctx, &hostsv1.CreateRoomRequest{HostId: hostID, Room: room, RequestId: f.Value("requestId")})
		cancel()
		if err == nil {
			setFlash(w, r, flash{Kind: "ok", Key: "rooms.created"})
			redirect(w, r, "/coordinator/hosts/"+url.PathEscape(hostID)+"#rooms")
			return
		}
	}
	d, lerr := a.loadHostPage(r, hostID)
	if lerr != nil {
		a.fail(w, r, lerr)
		return
	}
	p := a.newPage(w, r, "host.title", d)
	p.Title = d.Host.GetDisplayName()
	p.Nav = "hosts"
	p.Path = "/coordinator/hosts/" + url.PathEscape(hostID)
	p.Form = f
	if err != nil && !f.fromStatus(err, p.L) {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusBadRequest, "coord_host", p)
}

func (a *App) roomPublish(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.hosts.PublishRoom(ctx, &hostsv1.PublishRoomRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "rooms.published", "/coordinator/hosts")
}

// roomWithdraw takes a DRAFT or PUBLISHED room off the platform (the host no longer lets
// it); a reserved or occupied one is refused by the hosts service, said in the flash.
func (a *App) roomWithdraw(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.hosts.WithdrawRoom(ctx, &hostsv1.WithdrawRoomRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "rooms.withdrawn", "/coordinator/hosts")
}

type candidatesData struct {
	Room       *hostsv1.Room
	Host       *hostsv1.Host
	Candidates []*matchingv1.Candidate
	// From is the rank of the page's first candidate; Next the address of the next page ("").
	From int
	Next string
	// Matches are the room's matches still running, by student id.
	Matches map[string]*matchingv1.Match
}

// candidatesPage is how many candidates a page shows, each with its breakdown.
const candidatesPage = 20

// candidates is a room's students ranked by score, each score explained.
func (a *App) candidates(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := a.call(r)
	defer cancel()
	d := candidatesData{Matches: make(map[string]*matchingv1.Match), From: 1}
	// A later page: ?after=<the ranking's token>&from=<rank of its first candidate>.
	after := r.URL.Query().Get("after")
	if n, err := strconv.Atoi(r.URL.Query().Get("from")); err == nil && n > 1 && after != "" {
		d.From = n
	}
	var matches []*matchingv1.Match
	err := parallel(
		func() (err error) {
			d.Room, err = a.svc.hosts.GetRoom(ctx, &hostsv1.GetRoomRequest{Id: id})
			return err
		},
		func() error {
			res, err := a.svc.matching.ListCandidates(ctx, &matchingv1.ListCandidatesRequest{RoomId: id, PageSize: candidatesPage, PageToken: after})
			d.Candidates = res.GetCandidates()
			if tok := res.GetNextPageToken(); tok != "" {
				d.Next = "/coordinator/rooms/" + url.PathEscape(id) + "/candidates?" +
					url.Values{"after": {tok}, "from": {strconv.Itoa(d.From + len(d.Candidates))}}.Encode()
			}
			return err
		},
		func() error {
			res, err := a.svc.matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{RoomId: id, PageSize: listSize})
			matches = res.GetMatches()
			return err
		},
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if h, err := a.svc.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: d.Room.GetHostId()}); err == nil {
		d.Host = h
	}
	for _, m := range matches {
		if running(m.GetStatus()) {
			d.Matches[m.GetStudentId()] = m
		}
	}
	p := a.newPage(w, r, "cand.title", d)
	p.Title = p.L.T("cand.title", "room", d.Room.GetTitle())
	p.Nav = "hosts"
	a.render(w, r, http.StatusOK, "coord_candidates", p)
}

// running reports a match that still stands (not ended one way or another).
func running(s matchingv1.MatchStatus) bool {
	switch s {
	case matchingv1.MatchStatus_MATCH_STATUS_PROPOSED, matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED,
		matchingv1.MatchStatus_MATCH_STATUS_ACCEPTED, matchingv1.MatchStatus_MATCH_STATUS_APPROVED:
		return true
	}
	return false
}

func (a *App) propose(w http.ResponseWriter, r *http.Request) {
	roomID := r.PathValue("id")
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.matching.CreateMatch(ctx, &matchingv1.CreateMatchRequest{
		RoomId: roomID, StudentId: r.PostFormValue("studentId"), RequestId: r.PostFormValue("requestId"),
	})
	a.afterAction(w, r, err, "cand.proposed", "/coordinator/rooms/"+url.PathEscape(roomID)+"/candidates")
}

// scheduleMeeting records when the parties meet: a date and time typed in the programme's
// time zone (what a datetime-local input sends). The parties answer after the meeting.
func (a *App) scheduleMeeting(w http.ResponseWriter, r *http.Request) {
	back := LocalPath(r.PostFormValue("next"), "/coordinator#matches")
	at, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(r.PostFormValue("meetingAt")), a.TZ)
	if err != nil {
		setFlash(w, r, flash{Kind: "error", Key: "match.schedule.invalid"})
		redirect(w, r, back)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	_, err = a.svc.matching.ScheduleMeeting(ctx, &matchingv1.ScheduleMeetingRequest{Id: r.PathValue("id"), MeetingAt: timestamppb.New(at)})
	a.afterAction(w, r, err, "match.scheduled", back)
}

type studentsListData struct {
	Students []*studentsv1.Student
	Status   string
	More     bool
}

var studentStatuses = []studentsv1.StudentStatus{
	studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED,
	studentsv1.StudentStatus_STUDENT_STATUS_PLACED, studentsv1.StudentStatus_STUDENT_STATUS_ALUMNI,
	studentsv1.StudentStatus_STUDENT_STATUS_ARCHIVED,
}

func (a *App) studentsList(w http.ResponseWriter, r *http.Request) {
	st := studentsv1.StudentStatus(studentsv1.StudentStatus_value[r.URL.Query().Get("status")])
	q := searchText(r)
	ctx, cancel := a.call(r)
	defer cancel()
	res, err := a.svc.students.ListStudents(ctx, &studentsv1.ListStudentsRequest{PageSize: listSize, Status: st, Query: q})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := studentsListData{Students: res.GetStudents(), More: res.GetNextPageToken() != ""}
	if st != studentsv1.StudentStatus_STUDENT_STATUS_UNSPECIFIED {
		d.Status = st.String()
	}
	p := a.newPage(w, r, "students.title", d)
	p.Nav = "students"
	p.Form = newForm(formSpec{{Name: "q", Label: "students.filter.q"}, {Name: "status", Label: "students.filter.status"}}, url.Values{"q": {q}, "status": {d.Status}})
	a.render(w, r, http.StatusOK, "coord_students", p)
}

func (a *App) studentVerify(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.students.VerifyStudent(ctx, &studentsv1.VerifyStudentRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "students.verified", "/coordinator/students")
}

// firstLine shortens a text to its first line, at most n characters, for lists.
func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// studentFormDefaults are a new student form's values (the coordinator's: no e-mail of hers).
func studentFormDefaults() url.Values {
	return url.Values{
		"languages": {"fr"}, "maxCommuteKm": {"10"}, "hoursOfferedPerWeek": {"0"}, "nightsPresentPerWeek": {"0"},
		"requestId": {NewToken()},
	}
}

func (a *App) studentNewPage(w http.ResponseWriter, r *http.Request) {
	p := a.newPage(w, r, "studentNew.title", nil)
	p.Nav = "students"
	p.Form = newForm(studentSpec, studentFormDefaults())
	a.render(w, r, http.StatusOK, "coord_student_new", p)
}

// studentCreate registers a student on her behalf, with her agreement (the page says so);
// the same fields as her own profile form. She is then to be verified like any other.
func (a *App) studentCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm(studentSpec, r.PostForm)
	s := studentFromForm(f)
	p := a.newPage(w, r, "studentNew.title", nil)
	p.Nav = "students"
	p.Path = "/coordinator/students/new"
	p.Form = f
	if !f.ok() {
		a.render(w, r, http.StatusBadRequest, "coord_student_new", p)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	if _, err := a.svc.students.CreateStudent(ctx, &studentsv1.CreateStudentRequest{Student: s, RequestId: f.Value("requestId")}); err != nil {
		if f.fromStatus(err, p.L) {
			a.render(w, r, http.StatusBadRequest, "coord_student_new", p)
			return
		}
		a.fail(w, r, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Key: "studentNew.done"})
	redirect(w, r, "/coordinator/students?status=STUDENT_STATUS_PENDING_VERIFICATION")
}
