package coordinator

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

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
func (a *app) justVerified(ctx context.Context, r *http.Request, d *dashboardData) {
	kind, id, _ := strings.Cut(r.URL.Query().Get("verified"), ":")
	if id == "" {
		return
	}
	switch kind {
	case "host":
		if h, err := a.Svc.Hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id}); err == nil && h.GetStatus() != hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION {
			d.DoneHost = h
		}
	case "student":
		if s, err := a.Svc.Students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id}); err == nil && s.GetStatus() != studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION {
			d.DoneStudent = s
		}
	}
}

// dashboard is the coordinator's day: what waits for her, each with its count.
func (a *app) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	today := a.Today()
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
	err := webapp.Parallel(
		func() error { a.justVerified(ctx, r, &d); return nil },
		func() error {
			res, err := a.Svc.Hosts.ListHosts(ctx, &hostsv1.ListHostsRequest{PageSize: webapp.ListSize, Status: hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION})
			d.HostsPending = res.GetHosts()
			more("hosts", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.Svc.Students.ListStudents(ctx, &studentsv1.ListStudentsRequest{PageSize: webapp.ListSize, Status: studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION})
			d.StudentsPending = res.GetStudents()
			more("students", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.Svc.Matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: webapp.ListSize, Status: matchingv1.MatchStatus_MATCH_STATUS_PROPOSED})
			proposed = res.GetMatches()
			more("matches", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.Svc.Matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: webapp.ListSize, Status: matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED})
			meeting = res.GetMatches()
			more("matches", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.Svc.Contracts.ListContracts(ctx, &contractsv1.ListContractsRequest{PageSize: webapp.ListSize, Status: contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES})
			d.Contracts = res.GetContracts()
			more("contracts", res.GetNextPageToken())
			return err
		},
		func() error {
			// Due today or before (due_before is exclusive), not yet missed.
			res, err := a.Svc.Contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{
				PageSize: webapp.ListSize, Status: contractsv1.CheckinStatus_CHECKIN_STATUS_DUE,
				DueBefore: today.AddDate(0, 0, 1).Format(time.DateOnly),
			})
			d.CheckinsDue = res.GetCheckins()
			more("checkinsDue", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.Svc.Contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{PageSize: webapp.ListSize, Status: contractsv1.CheckinStatus_CHECKIN_STATUS_MISSED})
			d.CheckinsOverdue = res.GetCheckins()
			more("checkinsOverdue", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.Svc.Contracts.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{PageSize: webapp.ListSize, Status: contractsv1.IncidentStatus_INCIDENT_STATUS_OPEN})
			open = res.GetIncidents()
			more("incidents", res.GetNextPageToken())
			return err
		},
		func() error {
			res, err := a.Svc.Contracts.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{PageSize: webapp.ListSize, Status: contractsv1.IncidentStatus_INCIDENT_STATUS_IN_MEDIATION})
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
		a.Fail(w, r, err)
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
		a.Fail(w, r, err)
		return
	}
	p := a.NewPage(w, r, "dash.title", d)
	p.Nav = "dashboard"
	a.Render(w, r, http.StatusOK, "coord_dashboard", p)
}
