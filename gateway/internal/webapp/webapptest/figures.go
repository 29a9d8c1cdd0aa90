package webapptest

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
)

// fakeFigures answers the demo programme's figures to its coordinator and the network's to
// the admin, as the figures service's rules say; a bad period is refused.
type fakeFigures struct {
	figuresv1.UnimplementedFiguresServiceServer
}

func bearer(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get("authorization"); len(v) > 0 {
		return v[0]
	}
	return ""
}

func demoFigures(from, to string) *figuresv1.ProgrammeFigures {
	f := &figuresv1.ProgrammeFigures{ProgrammeId: "demo", Name: "Cohabit Démo — Lyon", From: from, To: to,
		HostsRegistered: 12, StudentsRegistered: 30, StaysStarted: 7, StaysEnded: 3, StaysUnderWay: 5, AverageStayDays: 181.5,
		EarlyTerminations: 2, EarlyTerminationReasons: []*figuresv1.ReasonCount{{Reason: "REQUESTED_BY_STUDENT", Count: 2}}}
	for _, m := range []string{"2026-01", "2026-02", "2026-03"} {
		f.Months = append(f.Months, &figuresv1.MonthFigures{Month: m, StaysUnderWay: 4, StaysStarted: 2, StaysEnded: 1,
			EarlyTerminations: 1, EarlyTerminationReasons: []*figuresv1.ReasonCount{{Reason: "REQUESTED_BY_STUDENT", Count: 1}}})
	}
	return f
}

func (fakeFigures) GetProgrammeFigures(ctx context.Context, req *figuresv1.GetProgrammeFiguresRequest) (*figuresv1.ProgrammeFigures, error) {
	if bearer(ctx) != "Bearer tok-coord" || req.GetProgrammeId() != "demo" {
		return nil, status.Error(codes.NotFound, "no such programme")
	}
	if req.GetFrom() == "" && req.GetTo() == "" {
		return demoFigures("2026-01-01", "2026-03-31"), nil
	}
	if req.GetFrom() > req.GetTo() {
		return nil, status.Error(codes.InvalidArgument, "to before from")
	}
	return demoFigures(req.GetFrom(), req.GetTo()), nil
}

func (fakeFigures) GetNetworkFigures(ctx context.Context, req *figuresv1.GetNetworkFiguresRequest) (*figuresv1.NetworkFigures, error) {
	if bearer(ctx) != "Bearer tok-admin" {
		return nil, status.Error(codes.PermissionDenied, "admin only")
	}
	other := &figuresv1.ProgrammeFigures{ProgrammeId: "nantes", Name: "Cohabit Nantes", From: "2026-01-01", To: "2026-03-31", HostsRegistered: 4}
	return &figuresv1.NetworkFigures{Network: &figuresv1.ProgrammeFigures{From: "2026-01-01", To: "2026-03-31", HostsRegistered: 16},
		Programmes: []*figuresv1.ProgrammeFigures{demoFigures("2026-01-01", "2026-03-31"), other}}, nil
}
