package webapp

import (
	"context"
	"fmt"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/rest"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
)

// The figures pages (SPEC §8): a coordinator's programme's figures for a period, with charts
// (webapp/coordinator), and the admin's network page with every programme side by side
// (webapp/admin). Both read the period the same way and offer the same figures as CSV.

// errNoFigures is the answer of the figures pages when the gateway runs without the figures service.
var errNoFigures = status.Error(codes.Unavailable, "the figures service is not running")

// PeriodFigures asks get for the figures of the period in the query (?from=, ?to=); a period
// the service refuses gives the default one (get with neither), and says so (invalid), for
// the page to show it with a 400 (PeriodForm.Status) and the CSV to refuse (FiguresCSV).
func PeriodFigures[T any](a *App, r *http.Request, get func(ctx context.Context, from, to string) (T, error)) (f T, invalid bool, err error) {
	if a.Svc.Figures == nil {
		return f, false, errNoFigures
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	f, err = get(ctx, r.URL.Query().Get("from"), r.URL.Query().Get("to"))
	if status.Code(err) == codes.InvalidArgument {
		f, err = get(ctx, "", "")
		return f, true, err
	}
	return f, false, err
}

// figureRow is one line of a figures table: its label key and how to read it.
type figureRow struct {
	Key   string
	Value func(*figuresv1.ProgrammeFigures) string
}

// FigureRows are the programme figures a page and its CSV show, in order.
func FigureRows(l *Loc) []figureRow {
	n := func(get func(*figuresv1.ProgrammeFigures) int32) func(*figuresv1.ProgrammeFigures) string {
		return func(f *figuresv1.ProgrammeFigures) string { return l.Int(int(get(f))) }
	}
	x := func(get func(*figuresv1.ProgrammeFigures) float64) func(*figuresv1.ProgrammeFigures) string {
		return func(f *figuresv1.ProgrammeFigures) string { return l.Num(get(f), 1) }
	}
	return []figureRow{
		{"figure.hostsRegistered", n((*figuresv1.ProgrammeFigures).GetHostsRegistered)},
		{"figure.studentsRegistered", n((*figuresv1.ProgrammeFigures).GetStudentsRegistered)},
		{"figure.hostsWaiting", n((*figuresv1.ProgrammeFigures).GetHostsWaiting)},
		{"figure.studentsWaiting", n((*figuresv1.ProgrammeFigures).GetStudentsWaiting)},
		{"figure.matchesProposed", n((*figuresv1.ProgrammeFigures).GetMatchesProposed)},
		{"figure.matchesApproved", n((*figuresv1.ProgrammeFigures).GetMatchesApproved)},
		{"figure.medianDaysToMatch", x((*figuresv1.ProgrammeFigures).GetMedianDaysToMatch)},
		{"figure.matchedWithin4MonthsPercent", x((*figuresv1.ProgrammeFigures).GetMatchedWithin_4MonthsPercent)},
		{"figure.staysStarted", n((*figuresv1.ProgrammeFigures).GetStaysStarted)},
		{"figure.staysEnded", n((*figuresv1.ProgrammeFigures).GetStaysEnded)},
		{"figure.staysUnderWay", n((*figuresv1.ProgrammeFigures).GetStaysUnderWay)},
		{"figure.staysOver6Months", n((*figuresv1.ProgrammeFigures).GetStaysOver_6Months)},
		{"figure.averageStayDays", x((*figuresv1.ProgrammeFigures).GetAverageStayDays)},
		{"figure.earlyTerminations", n((*figuresv1.ProgrammeFigures).GetEarlyTerminations)},
		{"figure.checkinsDone", n((*figuresv1.ProgrammeFigures).GetCheckinsDone)},
		{"figure.checkinsOnTime", n((*figuresv1.ProgrammeFigures).GetCheckinsOnTime)},
	}
}

// period is the page's period form.
type period struct {
	From, To string
	// Query is "?from=…&to=…" for the CSV link.
	Query string
}

// PeriodOf is the months the figures cover.
func PeriodOf(f *figuresv1.ProgrammeFigures) period {
	return period{From: f.GetFrom(), To: f.GetTo(), Query: "?from=" + f.GetFrom() + "&to=" + f.GetTo()}
}

// PeriodForm is the form choosing the period, and the CSV link of the figures shown.
type PeriodForm struct {
	Action, CSV string
	Period      period
	Invalid     bool
}

// Status is the page's status: 400 when it shows the default period instead of the one asked.
func (f PeriodForm) Status() int {
	if f.Invalid {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// FiguresCSV answers PeriodFigures' outcome as a CSV file in the REST API's format
// (rest.WriteFiguresCSV), named name-<from>-<to>.csv after the first figures' period. A
// refused period is a 400 here: a file of another period than asked would pass unnoticed.
func (a *App) FiguresCSV(w http.ResponseWriter, r *http.Request, err error, invalid bool, name string, fs ...*figuresv1.ProgrammeFigures) {
	if err == nil && invalid {
		err = status.Error(codes.InvalidArgument, "bad period")
	}
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.csv"`, name, fs[0].GetFrom(), fs[0].GetTo()))
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_ = rest.WriteFiguresCSV(w, fs...)
}
