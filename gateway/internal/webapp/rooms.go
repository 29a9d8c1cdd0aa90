package webapp

import (
	"net/http"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// roomsSpec is the rooms list's filters.
var roomsSpec = formSpec{
	{Name: "city", Label: "rooms.filter.city", API: "city"},
	{Name: "status", Label: "rooms.filter.status", API: "status"},
	{Name: "maxContribution", Label: "rooms.filter.maxContribution", API: "maxContributionCents"},
	{Name: "availableFrom", Label: "rooms.filter.availableFrom", API: "availableFrom"},
}

type roomsListData struct {
	Rooms []*hostsv1.Room
	// Hosts names each room's host, by id.
	Hosts    map[string]*hostsv1.Host
	More     bool
	Filtered bool
}

// roomsList is the programme's rooms, filtered by city, status, the most a student would
// pay and the day they are free; each links to its host's page and its candidates.
func (a *App) roomsList(w http.ResponseWriter, r *http.Request) {
	f := newForm(roomsSpec, r.URL.Query())
	req := &hostsv1.ListRoomsRequest{
		PageSize:             listSize,
		City:                 f.Value("city"),
		Status:               hostsv1.RoomStatus(hostsv1.RoomStatus_value[f.Value("status")]),
		MaxContributionCents: f.cents("maxContribution"),
		AvailableFrom:        f.date("availableFrom"),
	}
	d := roomsListData{Hosts: map[string]*hostsv1.Host{}}
	d.Filtered = req.City != "" || req.Status != 0 || req.MaxContributionCents != 0 || req.AvailableFrom != ""
	status := http.StatusOK
	if f.ok() {
		ctx, cancel := a.call(r)
		defer cancel()
		var hosts []*hostsv1.Host
		var res *hostsv1.ListRoomsResponse
		err := parallel(
			func() (err error) {
				res, err = a.svc.hosts.ListRooms(ctx, req)
				return err
			},
			func() error {
				hr, err := a.svc.hosts.ListHosts(ctx, &hostsv1.ListHostsRequest{PageSize: listSize})
				hosts = hr.GetHosts()
				return err
			},
		)
		if err != nil {
			st := stateOf(r.Context())
			if !f.fromStatus(err, a.Cat.Loc(st.lang, a.TZ)) {
				a.fail(w, r, err)
				return
			}
			status = http.StatusBadRequest
		}
		d.Rooms, d.More = res.GetRooms(), res.GetNextPageToken() != ""
		for _, h := range hosts {
			d.Hosts[h.GetId()] = h
		}
	} else {
		status = http.StatusBadRequest
	}
	p := a.newPage(w, r, "rooms.title", d)
	p.Nav = "rooms"
	p.Form = f
	a.render(w, r, status, "coord_rooms", p)
}
