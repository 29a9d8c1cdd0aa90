package host

import (
	"context"
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

type hostHomeData struct {
	// Host is nil until the host has filled in her profile.
	Host  *hostsv1.Host
	Rooms []*hostsv1.Room
	// Stays are hers at whatever step: proposed, met, accepted, approved, the contract
	// drafted, to sign, signed by one, under way, under notice, or the last one ended.
	Stays     []webapp.Stay
	Programme *identityv1.Programme
}

// myHost finds the host record the account owns: the link identity keeps, or (while that
// link is still on its way, it follows an event) the one record a host may list.
func (a *app) myHost(ctx context.Context, me *identityv1.Account) (*hostsv1.Host, error) {
	if id := me.GetHostId(); id != "" {
		return a.Svc.Hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
	}
	res, err := a.Svc.Hosts.ListHosts(ctx, &hostsv1.ListHostsRequest{PageSize: 1})
	if err != nil || len(res.GetHosts()) == 0 {
		return nil, err
	}
	return res.GetHosts()[0], nil
}

// hostHome is a host's few steps, in large type: her rooms, the proposal waiting for her
// answer, her contract to sign, and how to reach her coordinator.
func (a *app) hostHome(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	me := webapp.StateOf(r.Context()).Me
	var d hostHomeData
	err := webapp.Parallel(
		func() (err error) { d.Programme, err = a.ProgrammeOf(ctx, r); return err },
		func() (err error) { d.Host, err = a.myHost(ctx, me); return err },
	)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	if d.Host != nil {
		var matches []*matchingv1.Match
		var contracts []*contractsv1.Contract
		err = webapp.Parallel(
			func() error {
				res, err := a.Svc.Hosts.ListRooms(ctx, &hostsv1.ListRoomsRequest{HostId: d.Host.GetId(), PageSize: webapp.ListSize})
				d.Rooms = res.GetRooms()
				return err
			},
			func() error {
				res, err := a.Svc.Matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: webapp.ListSize})
				matches = res.GetMatches()
				return err
			},
			func() error {
				res, err := a.Svc.Contracts.ListContracts(ctx, &contractsv1.ListContractsRequest{PageSize: webapp.ListSize})
				contracts = res.GetContracts()
				return err
			},
		)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d.Stays = webapp.Stays(webapp.RoleHost, matches, contracts, a.TodayISO())
	}
	p := a.NewPage(w, r, "hostHome.title", d)
	p.Nav = "home"
	if d.Host != nil {
		p.Desk = a.DocumentsOf(r, d.Host.GetId(), false, "/host/documents")
	}
	a.Render(w, r, http.StatusOK, "host_home", p)
}
