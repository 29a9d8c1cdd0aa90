package webapp

import (
	"net/http"

	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// OpenApplication is the student's SUBMITTED or MATCHED application, if any.
func OpenApplication(apps []*studentsv1.Application) *studentsv1.Application {
	for _, ap := range apps {
		if s := ap.GetStatus(); s == studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED || s == studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED {
			return ap
		}
	}
	return nil
}

// ApplySpec is the application form: the student's own and the coordinator's on her behalf.
var ApplySpec = FormSpec{
	{Name: "budget", Label: "apply.budget", API: "budgetCents"},
	{Name: "moveInDate", Label: "apply.moveIn", API: "moveInDate"},
	{Name: "moveOutDate", Label: "apply.moveOut", API: "moveOutDate"},
	{Name: "areas", Label: "apply.areas", API: "areas"},
}

// ApplicationFromForm reads the application form, the student's own or her coordinator's.
func ApplicationFromForm(f *Form) *studentsv1.Application {
	return &studentsv1.Application{
		BudgetCents: f.Cents("budget"),
		MoveInDate:  f.Date("moveInDate"),
		MoveOutDate: f.Date("moveOutDate"),
		Areas:       SplitList(f.Value("areas")),
	}
}

// ApplicationWithdraw withdraws an open application: the student's own, or, for a
// coordinator, one of her programme's (the students service decides who may).
func (a *App) ApplicationWithdraw(back string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.Call(r)
		defer cancel()
		_, err := a.Svc.Students.WithdrawApplication(ctx, &studentsv1.WithdrawApplicationRequest{Id: r.PathValue("id")})
		a.AfterAction(w, r, err, "application.withdrawn", back)
	}
}
