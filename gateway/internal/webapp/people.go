package webapp

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// actionError turns the refusal of a button's action into a flash: the key of a sentence in
// the page's language, the refusal's own when its reason has one ("refusal.ALREADY_SIGNED"),
// else a general one. The service's words are never shown (English, for developers). detail
// stays empty; it is kept for the callers' shape. Failures that are not refusals (the session
// ended, a service is down) are not handled here.
func (a *App) actionError(err error) (key, detail string, handled bool) {
	s, _ := status.FromError(err)
	reason := reasonOf(err)
	known := func(fallback string) string {
		if reason != "" && a.Cat.has("refusal."+reason) {
			return "refusal." + reason
		}
		return fallback
	}
	switch s.Code() {
	case codes.FailedPrecondition, codes.InvalidArgument, codes.OutOfRange:
		return known("action.error.refused"), "", true
	case codes.Aborted, codes.AlreadyExists:
		return known("action.error.conflict"), "", true
	case codes.NotFound:
		return "action.error.notFound", "", true
	case codes.PermissionDenied:
		return known("action.error.forbidden"), "", true
	}
	return "", "", false
}

// programmeOf fetches the signed-in person's programme (its name, phone and email are how
// hosts and students reach their coordinator).
func (a *App) programmeOf(ctx context.Context, r *http.Request) (*identityv1.Programme, error) {
	return a.svc.identity.GetProgramme(ctx, &identityv1.GetProgrammeRequest{Id: stateOf(r.Context()).me.GetProgrammeId()})
}

type hostHomeData struct {
	// Host is nil until the host has filled in her profile.
	Host  *hostsv1.Host
	Rooms []*hostsv1.Room
	// Stays are hers at whatever step: proposed, met, accepted, approved, the contract
	// drafted, to sign, signed by one, under way, under notice, or the last one ended.
	Stays     []stay
	Programme *identityv1.Programme
}

// myHost finds the host record the account owns: the link identity keeps, or (while that
// link is still on its way, it follows an event) the one record a host may list.
func (a *App) myHost(ctx context.Context, me *identityv1.Account) (*hostsv1.Host, error) {
	if id := me.GetHostId(); id != "" {
		return a.svc.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
	}
	res, err := a.svc.hosts.ListHosts(ctx, &hostsv1.ListHostsRequest{PageSize: 1})
	if err != nil || len(res.GetHosts()) == 0 {
		return nil, err
	}
	return res.GetHosts()[0], nil
}

// hostHome is a host's few steps, in large type: her rooms, the proposal waiting for her
// answer, her contract to sign, and how to reach her coordinator.
func (a *App) hostHome(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	me := stateOf(r.Context()).me
	var d hostHomeData
	err := parallel(
		func() (err error) { d.Programme, err = a.programmeOf(ctx, r); return err },
		func() (err error) { d.Host, err = a.myHost(ctx, me); return err },
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if d.Host != nil {
		var matches []*matchingv1.Match
		var contracts []*contractsv1.Contract
		err = parallel(
			func() error {
				res, err := a.svc.hosts.ListRooms(ctx, &hostsv1.ListRoomsRequest{HostId: d.Host.GetId(), PageSize: listSize})
				d.Rooms = res.GetRooms()
				return err
			},
			func() error {
				res, err := a.svc.matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: listSize})
				matches = res.GetMatches()
				return err
			},
			func() error {
				res, err := a.svc.contracts.ListContracts(ctx, &contractsv1.ListContractsRequest{PageSize: listSize})
				contracts = res.GetContracts()
				return err
			},
		)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		d.Stays = stays(roleHost, matches, contracts, a.todayISO())
	}
	p := a.newPage(w, r, "hostHome.title", d)
	p.Nav = "home"
	if d.Host != nil {
		p.Desk = a.documentsOf(r, d.Host.GetId(), false, "/host/documents")
	}
	a.render(w, r, http.StatusOK, "host_home", p)
}

func signed(c *contractsv1.Contract, party matchingv1.Party) bool {
	for _, s := range c.GetSignatures() {
		if s.GetParty() == party {
			return true
		}
	}
	return false
}

func (a *App) hostProfilePage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	// One profile per account: with one, the home page is where to go.
	if h, err := a.myHost(ctx, stateOf(r.Context()).me); err != nil || h != nil {
		if err != nil {
			a.fail(w, r, err)
			return
		}
		redirect(w, r, "/host")
		return
	}
	p := a.newPage(w, r, "hostProfile.title", nil)
	p.Nav = "home"
	p.Form = newForm(hostSpec, hostFormDefaults())
	a.render(w, r, http.StatusOK, "host_profile", p)
}

// hostProfileCreate lets a host who signed up fill in her own profile (not assisted: she
// owns the record).
func (a *App) hostProfileCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm(hostSpec, r.PostForm)
	h := hostFromForm(f)
	if h.Email == "" {
		h.Email = stateOf(r.Context()).me.GetEmail()
	}
	p := a.newPage(w, r, "hostProfile.title", nil)
	p.Nav = "home"
	p.Form = f
	if !f.ok() {
		a.render(w, r, http.StatusBadRequest, "host_profile", p)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	if _, err := a.svc.hosts.CreateHost(ctx, &hostsv1.CreateHostRequest{Host: h, RequestId: f.Value("requestId")}); err != nil {
		if f.fromStatus(err, p.L) {
			a.render(w, r, http.StatusBadRequest, "host_profile", p)
			return
		}
		// A refusal (her association registered her already: INVITATION_REQUIRED) over the form.
		if key, _, ok := a.actionError(err); ok {
			f.global(key)
			a.render(w, r, http.StatusBadRequest, "host_profile", p)
			return
		}
		a.fail(w, r, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Key: "hostProfile.done"})
	redirect(w, r, "/host")
}

// answerMatch records the signed-in host's or student's yes or no (the party is implied by
// the token).
func (a *App) answerMatch(accept bool, back string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.call(r)
		defer cancel()
		id := r.PathValue("id")
		var err error
		if accept {
			_, err = a.svc.matching.AcceptMatch(ctx, &matchingv1.AcceptMatchRequest{Id: id})
			a.afterAction(w, r, err, "match.accepted", back)
			return
		}
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		if reason == "" {
			setFlash(w, r, flash{Kind: "error", Key: "match.decline.needReason"})
			redirect(w, r, LocalPath(r.PostFormValue("next"), back))
			return
		}
		_, err = a.svc.matching.DeclineMatch(ctx, &matchingv1.DeclineMatchRequest{Id: id, Reason: reason})
		a.afterAction(w, r, err, "match.declined", back)
	}
}

// signAs records the signed-in host's or student's own electronic signature (the party is
// implied by the token).
func (a *App) signAs(back string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.call(r)
		defer cancel()
		_, err := a.svc.contracts.SignContract(ctx, &contractsv1.SignContractRequest{
			Id: r.PathValue("id"), Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC,
		})
		a.afterAction(w, r, err, "contract.signed", back)
	}
}

// contractDocument hands the contract's PDF to whoever may read the contract.
func (a *App) contractDocument(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	// In the language the person reads the application in (French is the signed original).
	doc, err := a.svc.contracts.GetContractDocument(ctx, &contractsv1.GetContractDocumentRequest{Id: r.PathValue("id"), Language: stateOf(r.Context()).lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", doc.GetContentType())
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": doc.GetFilename()}))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc.GetContent())))
	_, _ = w.Write(doc.GetContent())
}

// --- students

type studentHomeData struct {
	Student     *studentsv1.Student
	Application *studentsv1.Application
	// Stays are hers at whatever step (see hostHomeData).
	Stays     []stay
	Programme *identityv1.Programme
	// CanApply: verified with no open application (a first one, or again after a stay).
	CanApply bool
	// AppState says where her search stands when she has no application to show or cannot
	// act on it: "pending" (to be verified), "placed", "formed" (a pair is formed and its
	// contract on its way), "closed" (archived or alumni); "" otherwise.
	AppState string
	// Placed is the stay she lives (or is about to), when she is placed.
	Placed *stay
}

func (a *App) myStudent(ctx context.Context, me *identityv1.Account) (*studentsv1.Student, error) {
	if id := me.GetStudentId(); id != "" {
		return a.svc.students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
	}
	res, err := a.svc.students.ListStudents(ctx, &studentsv1.ListStudentsRequest{PageSize: 1})
	if err != nil || len(res.GetStudents()) == 0 {
		return nil, err
	}
	return res.GetStudents()[0], nil
}

// openApplication is the student's SUBMITTED or MATCHED application, if any.
func openApplication(apps []*studentsv1.Application) *studentsv1.Application {
	for _, ap := range apps {
		if s := ap.GetStatus(); s == studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED || s == studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED {
			return ap
		}
	}
	return nil
}

func (a *App) studentHome(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	me := stateOf(r.Context()).me
	var d studentHomeData
	err := parallel(
		func() (err error) { d.Programme, err = a.programmeOf(ctx, r); return err },
		func() (err error) { d.Student, err = a.myStudent(ctx, me); return err },
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if d.Student != nil {
		var apps []*studentsv1.Application
		var matches []*matchingv1.Match
		var contracts []*contractsv1.Contract
		err = parallel(
			func() error {
				res, err := a.svc.contracts.ListContracts(ctx, &contractsv1.ListContractsRequest{PageSize: listSize})
				contracts = res.GetContracts()
				return err
			},
			func() error {
				res, err := a.svc.students.ListApplications(ctx, &studentsv1.ListApplicationsRequest{StudentId: d.Student.GetId(), PageSize: listSize})
				apps = res.GetApplications()
				return err
			},
			func() error {
				res, err := a.svc.matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{StudentId: d.Student.GetId(), PageSize: listSize})
				matches = res.GetMatches()
				return err
			},
		)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		d.Application = openApplication(apps)
		d.Stays = stays(roleStudent, matches, contracts, a.todayISO())
		studentSearch(&d)
	}
	p := a.newPage(w, r, "studentHome.title", d)
	p.Nav = "home"
	if d.Student != nil {
		p.Desk = a.documentsOf(r, d.Student.GetId(), false, "/student/documents")
	}
	a.render(w, r, http.StatusOK, "student_home", p)
}

// studentSearch says where the student's search stands, from her record, her application and
// her stays: what her home offers (apply, see rooms, withdraw) follows it, so that a placed
// student is not told she may apply "once verified", nor offered to withdraw a pair formed.
func studentSearch(d *studentHomeData) {
	for i, s := range d.Stays {
		if s.Ongoing() && d.Placed == nil {
			d.Placed = &d.Stays[i]
		}
	}
	formed := false
	for _, s := range d.Stays {
		formed = formed || s.Formed()
	}
	switch st := d.Student.GetStatus(); {
	case st == studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION:
		d.AppState = "pending"
	case st == studentsv1.StudentStatus_STUDENT_STATUS_PLACED || d.Placed != nil:
		d.AppState, d.Application = "placed", nil
	case formed || d.Application.GetStatus() == studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED:
		d.AppState = "formed"
	case st == studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED:
		d.CanApply = d.Application == nil
	default: // archived, alumni
		d.AppState = "closed"
	}
}

var studentSpec = formSpec{
	{Name: "displayName", Label: "studentForm.displayName", API: "displayName"},
	{Name: "birthDate", Label: "studentForm.birthDate", API: "birthDate"},
	{Name: "email", Label: "studentForm.email", API: "email"},
	{Name: "phone", Label: "studentForm.phone", API: "phone"},
	{Name: "institution", Label: "studentForm.institution", API: "institution"},
	{Name: "studies", Label: "studentForm.studies", API: "studies"},
	{Name: "studyCity", Label: "studentForm.studyCity", API: "studyPlace.city"},
	{Name: "studyPostcode", Label: "studentForm.studyPostcode", API: "studyPlace.postcode"},
	{Name: "studyLat", Label: "studentForm.studyLat", API: "studyPlace.lat"},
	{Name: "studyLng", Label: "studentForm.studyLng", API: "studyPlace.lng"},
	{Name: "maxCommuteKm", Label: "studentForm.maxCommute", API: "maxCommuteKm"},
	{Name: "languages", Label: "studentForm.languages", API: "languages"},
	{Name: "servicesOffered", Label: "studentForm.services", API: "servicesOffered"},
	{Name: "hoursOfferedPerWeek", Label: "studentForm.hours", API: "hoursOfferedPerWeek"},
	{Name: "nightsPresentPerWeek", Label: "studentForm.nights", API: "nightsPresentPerWeek"},
	{Name: "rhythm", Label: "studentForm.rhythm", API: "rhythm"},
	{Name: "gender", Label: "studentForm.gender", API: "gender"},
	{Name: "smokes", Label: "studentForm.smokes", API: "smokes"},
	{Name: "hasPets", Label: "studentForm.hasPets", API: "hasPets"},
	{Name: "acceptsSmokers", Label: "studentForm.acceptsSmokers", API: "acceptsSmokers"},
	{Name: "acceptsPets", Label: "studentForm.acceptsPets", API: "acceptsPets"},
	{Name: "motivation", Label: "studentForm.motivation", API: "motivation"},
}

func (a *App) studentProfilePage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	if s, err := a.myStudent(ctx, stateOf(r.Context()).me); err != nil || s != nil {
		if err != nil {
			a.fail(w, r, err)
			return
		}
		redirect(w, r, "/student")
		return
	}
	p := a.newPage(w, r, "studentProfile.title", nil)
	p.Nav = "home"
	p.Form = newForm(studentSpec, url.Values{
		"email": {stateOf(r.Context()).me.GetEmail()}, "languages": {"fr"}, "maxCommuteKm": {"10"},
		"hoursOfferedPerWeek": {"0"}, "nightsPresentPerWeek": {"0"}, "requestId": {NewToken()},
	})
	a.render(w, r, http.StatusOK, "student_profile", p)
}

// studentFromForm reads the student form; coordinates left empty take the town's centre.
func studentFromForm(f *form) *studentsv1.Student {
	s := &studentsv1.Student{
		DisplayName:          f.Value("displayName"),
		BirthDate:            f.date("birthDate"),
		Email:                f.Value("email"),
		Phone:                f.Value("phone"),
		Institution:          f.Value("institution"),
		Studies:              f.Value("studies"),
		StudyPlace:           &studentsv1.StudyPlace{City: f.Value("studyCity"), Postcode: f.Value("studyPostcode"), Lat: f.float("studyLat"), Lng: f.float("studyLng")},
		MaxCommuteKm:         f.int32("maxCommuteKm"),
		Languages:            f.languages("languages"),
		Smokes:               f.Checked("smokes"),
		HasPets:              f.Checked("hasPets"),
		AcceptsSmokers:       f.Checked("acceptsSmokers"),
		AcceptsPets:          f.Checked("acceptsPets"),
		Gender:               typev1.Gender(typev1.Gender_value[f.Value("gender")]),
		HoursOfferedPerWeek:  f.int32("hoursOfferedPerWeek"),
		NightsPresentPerWeek: f.int32("nightsPresentPerWeek"),
		Rhythm:               typev1.Rhythm(typev1.Rhythm_value[f.Value("rhythm")]),
		Motivation:           f.Value("motivation"),
	}
	for _, v := range f.Values["servicesOffered"] {
		if n, ok := typev1.Service_value[v]; ok {
			s.ServicesOffered = append(s.ServicesOffered, typev1.Service(n))
		}
	}
	// Coordinates left empty stay 0: the students service places the place of study at its
	// commune's centre (from the town, or "69007 Lyon") and marks it approximate.
	return s
}

func (a *App) studentProfileCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm(studentSpec, r.PostForm)
	s := studentFromForm(f)
	p := a.newPage(w, r, "studentProfile.title", nil)
	p.Nav = "home"
	p.Form = f
	if !f.ok() {
		a.render(w, r, http.StatusBadRequest, "student_profile", p)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	if _, err := a.svc.students.CreateStudent(ctx, &studentsv1.CreateStudentRequest{Student: s, RequestId: f.Value("requestId")}); err != nil {
		if f.fromStatus(err, p.L) {
			a.render(w, r, http.StatusBadRequest, "student_profile", p)
			return
		}
		if key, _, ok := a.actionError(err); ok {
			f.global(key)
			a.render(w, r, http.StatusBadRequest, "student_profile", p)
			return
		}
		a.fail(w, r, err)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Key: "studentProfile.done"})
	redirect(w, r, "/student")
}

var applySpec = formSpec{
	{Name: "budget", Label: "apply.budget", API: "budgetCents"},
	{Name: "moveInDate", Label: "apply.moveIn", API: "moveInDate"},
	{Name: "moveOutDate", Label: "apply.moveOut", API: "moveOutDate"},
	{Name: "areas", Label: "apply.areas", API: "areas"},
}

type applyData struct {
	Cap int32
}

func (a *App) applyPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	prog, err := a.programmeOf(ctx, r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p := a.newPage(w, r, "apply.title", applyData{Cap: prog.GetSettings().GetContributionCapCents()})
	p.Nav = "home"
	p.Form = newForm(applySpec, url.Values{"requestId": {NewToken()}})
	a.render(w, r, http.StatusOK, "student_apply", p)
}

func (a *App) apply(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	var prog *identityv1.Programme
	var me *studentsv1.Student
	err := parallel(
		func() (err error) { prog, err = a.programmeOf(ctx, r); return err },
		func() (err error) { me, err = a.myStudent(ctx, stateOf(r.Context()).me); return err },
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if me == nil {
		redirect(w, r, "/student/profile")
		return
	}
	f := newForm(applySpec, r.PostForm)
	app := applicationFromForm(f)
	p := a.newPage(w, r, "apply.title", applyData{Cap: prog.GetSettings().GetContributionCapCents()})
	p.Nav = "home"
	p.Form = f
	if f.ok() {
		_, err = a.svc.students.CreateApplication(ctx, &studentsv1.CreateApplicationRequest{StudentId: me.GetId(), Application: app, RequestId: f.Value("requestId")})
		if err == nil {
			setFlash(w, r, flash{Kind: "ok", Key: "apply.done"})
			redirect(w, r, "/student")
			return
		}
		if !f.fromStatus(err, p.L) {
			if key, detail, ok := a.actionError(err); ok {
				f.fieldError("", key, detail)
			} else {
				a.fail(w, r, err)
				return
			}
		}
	}
	a.render(w, r, http.StatusBadRequest, "student_apply", p)
}

// applicationFromForm reads the application form, the student's own or her coordinator's.
func applicationFromForm(f *form) *studentsv1.Application {
	return &studentsv1.Application{
		BudgetCents: f.cents("budget"),
		MoveInDate:  f.date("moveInDate"),
		MoveOutDate: f.date("moveOutDate"),
		Areas:       splitList(f.Value("areas")),
	}
}

// splitList reads a comma-separated list ("Part-Dieu, Croix-Rousse").
func splitList(s string) []string {
	var out []string
	for _, v := range splitComma(s) {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

type suggestionsData struct {
	Student     *studentsv1.Student
	Suggestions []*matchingv1.Suggestion
}

// suggestions are the rooms that fit the student best, each score explained.
func (a *App) suggestions(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	st, err := a.myStudent(ctx, stateOf(r.Context()).me)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if st == nil {
		redirect(w, r, "/student/profile")
		return
	}
	d := suggestionsData{Student: st}
	res, err := a.svc.matching.ListSuggestions(ctx, &matchingv1.ListSuggestionsRequest{StudentId: st.GetId(), PageSize: 10})
	if err != nil && status.Code(err) != codes.FailedPrecondition {
		a.fail(w, r, err)
		return
	}
	d.Suggestions = res.GetSuggestions()
	p := a.newPage(w, r, "sugg.title", d)
	p.Nav = "suggestions"
	a.render(w, r, http.StatusOK, "student_suggestions", p)
}
