// Package grpcapi serves cohabit.figures.v1.FiguresService: it translates requests into the
// use cases of app and their answers back.
package grpcapi

import (
	"context"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
	"github.com/cohabit/cohabit/services/figures/internal/app"
	"github.com/cohabit/cohabit/services/figures/internal/figures"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/grpcx"
)

const svc = "/cohabit.figures.v1.FiguresService/"

// Policy is who may call each method at all; a coordinator reads only her own programme's
// figures (app checks it). Hosts, students and services never read figures.
var Policy = grpcx.Policy{
	svc + "GetProgrammeFigures": grpcx.Roles(auth.RoleCoordinator, auth.RoleAdmin),
	svc + "GetNetworkFigures":   grpcx.Roles(auth.RoleAdmin),
}

// Server implements figuresv1.FiguresServiceServer.
type Server struct {
	figuresv1.UnimplementedFiguresServiceServer
	app *app.App
}

// New returns the gRPC handlers over the use cases.
func New(a *app.App) *Server { return &Server{app: a} }

// GetProgrammeFigures returns one programme's figures.
func (s *Server) GetProgrammeFigures(ctx context.Context, in *figuresv1.GetProgrammeFiguresRequest) (*figuresv1.ProgrammeFigures, error) {
	p, err := s.app.ProgrammeFigures(ctx, in.GetProgrammeId(), in.GetFrom(), in.GetTo())
	if err != nil {
		return nil, err
	}
	return programmeToProto(p), nil
}

// GetNetworkFigures returns the network's figures and each programme's.
func (s *Server) GetNetworkFigures(ctx context.Context, in *figuresv1.GetNetworkFiguresRequest) (*figuresv1.NetworkFigures, error) {
	n, err := s.app.NetworkFigures(ctx, in.GetFrom(), in.GetTo())
	if err != nil {
		return nil, err
	}
	out := &figuresv1.NetworkFigures{Network: figuresToProto(n.Network)}
	for _, p := range n.Programmes {
		out.Programmes = append(out.Programmes, programmeToProto(p))
	}
	return out, nil
}

func programmeToProto(p app.Programme) *figuresv1.ProgrammeFigures {
	out := figuresToProto(p.Figures)
	out.ProgrammeId, out.Name = p.ID, p.Name
	return out
}

func figuresToProto(f figures.Figures) *figuresv1.ProgrammeFigures {
	c := f.Counts
	out := &figuresv1.ProgrammeFigures{
		From: f.From.String(), To: f.To.String(),
		HostsRegistered: int32(c.HostsRegistered), StudentsRegistered: int32(c.StudentsRegistered),
		HostsWaiting: int32(c.HostsWaiting), StudentsWaiting: int32(c.StudentsWaiting),
		MatchesProposed: int32(c.MatchesProposed), MatchesApproved: int32(c.MatchesApproved),
		StaysStarted: int32(c.StaysStarted), StaysEnded: int32(c.StaysEnded), StaysUnderWay: int32(c.StaysUnderWay),
		StaysOver_6Months: int32(c.StaysOver6Months), AverageStayDays: c.AverageStayDays, MedianDaysToMatch: c.MedianDaysToMatch,
		MatchedWithin_4MonthsPercent: c.MatchedWithin4MonthsPercent, EarlyTerminations: int32(c.EarlyTerminations),
		EarlyTerminationReasons: reasons(c.EarlyTerminationReasons),
		CheckinsDone:            int32(c.CheckinsDone), CheckinsOnTime: int32(c.CheckinsOnTime),
	}
	for _, m := range f.Months {
		c := m.Counts
		out.Months = append(out.Months, &figuresv1.MonthFigures{
			Month:           m.Month,
			HostsRegistered: int32(c.HostsRegistered), StudentsRegistered: int32(c.StudentsRegistered),
			HostsWaiting: int32(c.HostsWaiting), StudentsWaiting: int32(c.StudentsWaiting),
			MatchesProposed: int32(c.MatchesProposed), MatchesApproved: int32(c.MatchesApproved),
			StaysStarted: int32(c.StaysStarted), StaysEnded: int32(c.StaysEnded), StaysUnderWay: int32(c.StaysUnderWay),
			StaysOver_6Months: int32(c.StaysOver6Months), AverageStayDays: c.AverageStayDays, MedianDaysToMatch: c.MedianDaysToMatch,
			MatchedWithin_4MonthsPercent: c.MatchedWithin4MonthsPercent, EarlyTerminations: int32(c.EarlyTerminations),
			EarlyTerminationReasons: reasons(c.EarlyTerminationReasons),
			CheckinsDone:            int32(c.CheckinsDone), CheckinsOnTime: int32(c.CheckinsOnTime),
		})
	}
	return out
}

func reasons(rs []figures.ReasonCount) []*figuresv1.ReasonCount {
	out := make([]*figuresv1.ReasonCount, 0, len(rs))
	for _, r := range rs {
		out = append(out, &figuresv1.ReasonCount{Reason: r.Reason, Count: int32(r.Count)})
	}
	return out
}
