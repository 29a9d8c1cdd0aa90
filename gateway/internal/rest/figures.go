package rest

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
)

// The CSV downloads of the figures (SPEC §8): the JSON routes' paths ending in .csv, with the
// same query (from, to), the same rules of who may read them, and a JSON error when refused.
const (
	programmeFiguresCSV = "/v1/programmes/{programme_id}/figures.csv"
	networkFiguresCSV   = "/v1/figures.csv"
)

// Figures registers the figures service's REST routes and the two CSV routes.
func Figures(ctx context.Context, mux *runtime.ServeMux, cc grpc.ClientConnInterface) error {
	client := figuresv1.NewFiguresServiceClient(cc)
	if err := figuresv1.RegisterFiguresServiceHandlerClient(ctx, mux, client); err != nil {
		return fmt.Errorf("register figures: %w", err)
	}
	routes := map[string]func(ctx context.Context, r *http.Request, params map[string]string) ([]*figuresv1.ProgrammeFigures, error){
		programmeFiguresCSV: func(ctx context.Context, r *http.Request, params map[string]string) ([]*figuresv1.ProgrammeFigures, error) {
			f, err := client.GetProgrammeFigures(ctx, &figuresv1.GetProgrammeFiguresRequest{
				ProgrammeId: params["programme_id"], From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")})
			return []*figuresv1.ProgrammeFigures{f}, err
		},
		networkFiguresCSV: func(ctx context.Context, r *http.Request, _ map[string]string) ([]*figuresv1.ProgrammeFigures, error) {
			n, err := client.GetNetworkFigures(ctx, &figuresv1.GetNetworkFiguresRequest{From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")})
			if err != nil {
				return nil, err
			}
			return append([]*figuresv1.ProgrammeFigures{n.GetNetwork()}, n.GetProgrammes()...), nil
		},
	}
	methods := map[string]string{
		programmeFiguresCSV: "/cohabit.figures.v1.FiguresService/GetProgrammeFigures",
		networkFiguresCSV:   "/cohabit.figures.v1.FiguresService/GetNetworkFigures",
	}
	for path, get := range routes {
		if err := mux.HandlePath(http.MethodGet, path, figuresCSV(mux, path, methods[path], get)); err != nil {
			return fmt.Errorf("register %s: %w", path, err)
		}
	}
	return nil
}

func figuresCSV(mux *runtime.ServeMux, path, method string, get func(context.Context, *http.Request, map[string]string) ([]*figuresv1.ProgrammeFigures, error)) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		_, out := runtime.MarshalerForRequest(mux, r)
		ctx, err := runtime.AnnotateContext(r.Context(), mux, r, method, runtime.WithHTTPPathPattern(path))
		if err != nil {
			runtime.HTTPError(r.Context(), mux, out, w, r, err)
			return
		}
		fs, err := get(ctx, r, params)
		if err != nil {
			runtime.HTTPError(ctx, mux, out, w, r, err)
			return
		}
		name := "figures"
		if len(fs) == 1 {
			name += "-" + fs[0].GetProgrammeId()
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.csv"`, name, fs[0].GetFrom(), fs[0].GetTo()))
		w.Header().Set("Cache-Control", "private, no-store")
		_ = WriteFiguresCSV(w, fs...)
	}
}

// FiguresCSVHeader names the columns of the figures' CSV: the JSON field names.
var FiguresCSVHeader = []string{"programmeId", "name", "from", "to", "month",
	"hostsRegistered", "studentsRegistered", "hostsWaiting", "studentsWaiting", "matchesProposed", "matchesApproved",
	"staysStarted", "staysEnded", "staysUnderWay", "staysOver6Months", "averageStayDays", "medianDaysToMatch",
	"matchedWithin4MonthsPercent", "earlyTerminations", "earlyTerminationReasons", "checkinsDone", "checkinsOnTime"}

// WriteFiguresCSV writes the figures as CSV: for each programme (or the network, whose
// programmeId is empty) one row for the whole period (month "all") and one per month.
// earlyTerminationReasons is "REASON=count" pairs joined by ";".
func WriteFiguresCSV(w io.Writer, fs ...*figuresv1.ProgrammeFigures) error {
	c := csv.NewWriter(w)
	if err := c.Write(FiguresCSVHeader); err != nil {
		return err
	}
	for _, f := range fs {
		rows := []*figuresv1.MonthFigures{{
			Month: "all", HostsRegistered: f.GetHostsRegistered(), StudentsRegistered: f.GetStudentsRegistered(),
			HostsWaiting: f.GetHostsWaiting(), StudentsWaiting: f.GetStudentsWaiting(), MatchesProposed: f.GetMatchesProposed(),
			MatchesApproved: f.GetMatchesApproved(), StaysStarted: f.GetStaysStarted(), StaysEnded: f.GetStaysEnded(),
			StaysUnderWay: f.GetStaysUnderWay(), StaysOver_6Months: f.GetStaysOver_6Months(), AverageStayDays: f.GetAverageStayDays(),
			MedianDaysToMatch: f.GetMedianDaysToMatch(), MatchedWithin_4MonthsPercent: f.GetMatchedWithin_4MonthsPercent(),
			EarlyTerminations: f.GetEarlyTerminations(), EarlyTerminationReasons: f.GetEarlyTerminationReasons(),
			CheckinsDone: f.GetCheckinsDone(), CheckinsOnTime: f.GetCheckinsOnTime(),
		}}
		for _, m := range f.GetMonths() {
			rows = append(rows, m)
		}
		for _, m := range rows {
			n := func(v int32) string { return strconv.Itoa(int(v)) }
			x := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
			var rs []string
			for _, r := range m.GetEarlyTerminationReasons() {
				rs = append(rs, r.GetReason()+"="+n(r.GetCount()))
			}
			if err := c.Write([]string{f.GetProgrammeId(), f.GetName(), f.GetFrom(), f.GetTo(), m.GetMonth(),
				n(m.GetHostsRegistered()), n(m.GetStudentsRegistered()), n(m.GetHostsWaiting()), n(m.GetStudentsWaiting()),
				n(m.GetMatchesProposed()), n(m.GetMatchesApproved()), n(m.GetStaysStarted()), n(m.GetStaysEnded()),
				n(m.GetStaysUnderWay()), n(m.GetStaysOver_6Months()), x(m.GetAverageStayDays()), x(m.GetMedianDaysToMatch()),
				x(m.GetMatchedWithin_4MonthsPercent()), n(m.GetEarlyTerminations()), strings.Join(rs, ";"),
				n(m.GetCheckinsDone()), n(m.GetCheckinsOnTime())}); err != nil {
				return err
			}
		}
	}
	c.Flush()
	return c.Error()
}
