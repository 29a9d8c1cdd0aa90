package student

import (
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

type suggestionsData struct {
	Student     *studentsv1.Student
	Suggestions []*matchingv1.Suggestion
}

// suggestions are the rooms that fit the student best, each score explained.
func (a *app) suggestions(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	st, err := a.myStudent(ctx, webapp.StateOf(r.Context()).Me)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	if st == nil {
		webapp.Redirect(w, r, "/student/profile")
		return
	}
	d := suggestionsData{Student: st}
	res, err := a.Svc.Matching.ListSuggestions(ctx, &matchingv1.ListSuggestionsRequest{StudentId: st.GetId(), PageSize: 10})
	if err != nil && status.Code(err) != codes.FailedPrecondition {
		a.Fail(w, r, err)
		return
	}
	d.Suggestions = res.GetSuggestions()
	p := a.NewPage(w, r, "sugg.title", d)
	p.Nav = "suggestions"
	a.Render(w, r, http.StatusOK, "student_suggestions", p)
}
