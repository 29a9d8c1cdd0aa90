package student

import (
	"context"
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// --- students

type studentHomeData struct {
	Student     *studentsv1.Student
	Application *studentsv1.Application
	// Stays are hers at whatever step (see hostHomeData).
	Stays     []webapp.Stay
	Programme *identityv1.Programme
	// CanApply: verified with no open application (a first one, or again after a stay).
	CanApply bool
	// AppState says where her search stands when she has no application to show or cannot
	// act on it: "pending" (to be verified), "placed", "formed" (a pair is formed and its
	// contract on its way), "closed" (archived or alumni); "" otherwise.
	AppState string
	// Placed is the stay she lives (or is about to), when she is placed.
	Placed *webapp.Stay
}

func (a *app) myStudent(ctx context.Context, me *identityv1.Account) (*studentsv1.Student, error) {
	if id := me.GetStudentId(); id != "" {
		return a.Svc.Students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
	}
	res, err := a.Svc.Students.ListStudents(ctx, &studentsv1.ListStudentsRequest{PageSize: 1})
	if err != nil || len(res.GetStudents()) == 0 {
		return nil, err
	}
	return res.GetStudents()[0], nil
}

func (a *app) studentHome(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	me := webapp.StateOf(r.Context()).Me
	var d studentHomeData
	err := webapp.Parallel(
		func() (err error) { d.Programme, err = a.ProgrammeOf(ctx, r); return err },
		func() (err error) { d.Student, err = a.myStudent(ctx, me); return err },
	)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	if d.Student != nil {
		var apps []*studentsv1.Application
		var matches []*matchingv1.Match
		var contracts []*contractsv1.Contract
		err = webapp.Parallel(
			func() error {
				res, err := a.Svc.Contracts.ListContracts(ctx, &contractsv1.ListContractsRequest{PageSize: webapp.ListSize})
				contracts = res.GetContracts()
				return err
			},
			func() error {
				res, err := a.Svc.Students.ListApplications(ctx, &studentsv1.ListApplicationsRequest{StudentId: d.Student.GetId(), PageSize: webapp.ListSize})
				apps = res.GetApplications()
				return err
			},
			func() error {
				res, err := a.Svc.Matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{StudentId: d.Student.GetId(), PageSize: webapp.ListSize})
				matches = res.GetMatches()
				return err
			},
		)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d.Application = webapp.OpenApplication(apps)
		d.Stays = webapp.Stays(webapp.RoleStudent, matches, contracts, a.TodayISO())
		studentSearch(&d)
	}
	p := a.NewPage(w, r, "studentHome.title", d)
	p.Nav = "home"
	if d.Student != nil {
		p.Desk = a.DocumentsOf(r, d.Student.GetId(), false, "/student/documents")
	}
	a.Render(w, r, http.StatusOK, "student_home", p)
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
