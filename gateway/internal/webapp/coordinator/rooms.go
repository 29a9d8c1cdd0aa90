package coordinator

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// roomSpec is the form adding a room to a host.
var roomSpec = webapp.FormSpec{
	{Name: "title", Label: "roomForm.title", API: "title"},
	{Name: "description", Label: "roomForm.description", API: "description"},
	{Name: "areaM2", Label: "roomForm.area", API: "areaM2"},
	{Name: "floor", Label: "roomForm.floor", API: "floor"},
	{Name: "contribution", Label: "roomForm.contribution", API: "monthlyContributionCents"},
	{Name: "formulaId", Label: "roomForm.formula", API: "formulaId"},
	{Name: "availableFrom", Label: "roomForm.from", API: "availableFrom"},
	{Name: "availableUntil", Label: "roomForm.until", API: "availableUntil"},
	{Name: "minStayMonths", Label: "roomForm.minStay", API: "minStayMonths"},
	{Name: "furnished", Label: "roomForm.furnished", API: "furnished"},
	{Name: "privateBathroom", Label: "roomForm.bathroom", API: "privateBathroom"},
	{Name: "elevator", Label: "roomForm.elevator", API: "elevator"},
	{Name: "smokingAllowed", Label: "roomForm.smoking", API: "smokingAllowed"},
	{Name: "petsAllowed", Label: "roomForm.pets", API: "petsAllowed"},
	{Name: "sharedSpaces", Label: "roomForm.sharedSpaces", API: "sharedSpaces"},
}

func (a *app) roomCreate(w http.ResponseWriter, r *http.Request) {
	hostID := r.PathValue("id")
	f := webapp.NewForm(roomSpec, r.PostForm)
	room := roomFromForm(f)
	var err error
	if f.OK() {
		ctx, cancel := a.Call(r)
		_, err = a.Svc.Hosts.CreateRoom(ctx, &hostsv1.CreateRoomRequest{HostId: hostID, Room: room, RequestId: f.Value("requestId")})
		cancel()
		if err == nil {
			webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "rooms.created"})
			webapp.Redirect(w, r, hostURL(hostID)+"#rooms")
			return
		}
	}
	d, lerr := a.loadHostPage(r, hostID)
	if lerr != nil {
		a.Fail(w, r, lerr)
		return
	}
	p := a.NewPage(w, r, "host.title", d)
	p.Title = d.Host.GetDisplayName()
	p.Nav = "hosts"
	p.Path = hostURL(hostID)
	p.Form = f
	if err != nil && !f.FromStatus(err, p.L) {
		a.Fail(w, r, err)
		return
	}
	a.Render(w, r, http.StatusBadRequest, "coord_host", p)
}

func (a *app) roomPublish(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Hosts.PublishRoom(ctx, &hostsv1.PublishRoomRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "rooms.published", "/coordinator/hosts")
}

// roomWithdraw takes a DRAFT or PUBLISHED room off the platform (the host no longer lets
// it); a reserved or occupied one is refused by the hosts service, said in the flash.
func (a *app) roomWithdraw(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Hosts.WithdrawRoom(ctx, &hostsv1.WithdrawRoomRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "rooms.withdrawn", "/coordinator/hosts")
}

// roomPaths are the update_mask paths of the room form: every field it shows.
var roomPaths = []string{
	"title", "description", "area_m2", "floor", "elevator", "furnished", "private_bathroom",
	"monthly_contribution_cents", "formula_id", "available_from", "available_until", "min_stay_months",
	"smoking_allowed", "pets_allowed", "shared_spaces",
}

// roomFromForm reads the room form, a new room's or an edited one's.
func roomFromForm(f *webapp.Form) *hostsv1.Room {
	return &hostsv1.Room{
		Title:                    f.Value("title"),
		Description:              f.Value("description"),
		AreaM2:                   f.Float("areaM2"),
		Floor:                    f.Int32("floor"),
		MonthlyContributionCents: f.Cents("contribution"),
		FormulaId:                f.Value("formulaId"),
		AvailableFrom:            f.Date("availableFrom"),
		AvailableUntil:           f.Date("availableUntil"),
		MinStayMonths:            f.Int32("minStayMonths"),
		Furnished:                f.Checked("furnished"),
		PrivateBathroom:          f.Checked("privateBathroom"),
		Elevator:                 f.Checked("elevator"),
		SmokingAllowed:           f.Checked("smokingAllowed"),
		PetsAllowed:              f.Checked("petsAllowed"),
		SharedSpaces:             webapp.SplitList(f.Value("sharedSpaces")),
	}
}

// roomValues fills the room form from the record: the inverse of roomFromForm.
func roomValues(rm *hostsv1.Room) url.Values {
	v := url.Values{
		"title": {rm.GetTitle()}, "description": {rm.GetDescription()},
		"areaM2":        {strconv.FormatFloat(rm.GetAreaM2(), 'f', -1, 64)},
		"floor":         {strconv.Itoa(int(rm.GetFloor()))},
		"contribution":  {centsValue(rm.GetMonthlyContributionCents())},
		"formulaId":     {rm.GetFormulaId()},
		"availableFrom": {rm.GetAvailableFrom()}, "availableUntil": {rm.GetAvailableUntil()},
		"minStayMonths": {strconv.Itoa(int(rm.GetMinStayMonths()))},
		"sharedSpaces":  {strings.Join(rm.GetSharedSpaces(), ", ")},
		"etag":          {rm.GetEtag()},
	}
	for name, on := range map[string]bool{"furnished": rm.GetFurnished(), "privateBathroom": rm.GetPrivateBathroom(),
		"elevator": rm.GetElevator(), "smokingAllowed": rm.GetSmokingAllowed(), "petsAllowed": rm.GetPetsAllowed()} {
		if on {
			v.Set(name, "on")
		}
	}
	return v
}

// centsValue writes cents as the euros a form shows and f.cents reads back: "150", "150.5".
func centsValue(c int32) string {
	return strconv.FormatFloat(float64(c)/100, 'f', -1, 64)
}

// roomEditor is the coordinator's form to correct a room: its contribution, its dates, its
// description. A reserved or occupied room's stay is in its contract, not here.
var roomEditor = webapp.Editor[*hostsv1.Room, *hostsv1.UpdateRoomRequest]{
	Spec: roomSpec, Kind: "room", Nav: "hosts", Prefix: "roomEdit", Name: (*hostsv1.Room).GetTitle,
	Back: func(rm *hostsv1.Room) string {
		return hostURL(rm.GetHostId()) + "#rooms"
	},
	Action: func(id string) string { return "/coordinator/rooms/" + url.PathEscape(id) + "/edit" },
	Find: byPath(func(a *webapp.App, ctx context.Context, id string) (*hostsv1.Room, error) {
		return a.Svc.Hosts.GetRoom(ctx, &hostsv1.GetRoomRequest{Id: id})
	}),
	Values: roomValues,
	Request: func(f *webapp.Form, id string) *hostsv1.UpdateRoomRequest {
		rm := roomFromForm(f)
		rm.Id, rm.Etag = id, f.Value("etag")
		return &hostsv1.UpdateRoomRequest{Room: rm, UpdateMask: &fieldmaskpb.FieldMask{Paths: roomPaths}}
	},
	Send: func(a *webapp.App, ctx context.Context, req *hostsv1.UpdateRoomRequest) (*hostsv1.Room, error) {
		return a.Svc.Hosts.UpdateRoom(ctx, req)
	},
	Formulas: true,
}

// roomsSpec is the rooms list's filters.
var roomsSpec = webapp.FormSpec{
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
func (a *app) roomsList(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(roomsSpec, r.URL.Query())
	req := &hostsv1.ListRoomsRequest{
		PageSize:             webapp.ListSize,
		City:                 f.Value("city"),
		Status:               hostsv1.RoomStatus(hostsv1.RoomStatus_value[f.Value("status")]),
		MaxContributionCents: f.Cents("maxContribution"),
		AvailableFrom:        f.Date("availableFrom"),
	}
	d := roomsListData{Hosts: map[string]*hostsv1.Host{}}
	d.Filtered = req.City != "" || req.Status != 0 || req.MaxContributionCents != 0 || req.AvailableFrom != ""
	status := http.StatusOK
	if f.OK() {
		ctx, cancel := a.Call(r)
		defer cancel()
		var hosts []*hostsv1.Host
		var res *hostsv1.ListRoomsResponse
		err := webapp.Parallel(
			func() (err error) {
				res, err = a.Svc.Hosts.ListRooms(ctx, req)
				return err
			},
			func() error {
				hr, err := a.Svc.Hosts.ListHosts(ctx, &hostsv1.ListHostsRequest{PageSize: webapp.ListSize})
				hosts = hr.GetHosts()
				return err
			},
		)
		if err != nil {
			st := webapp.StateOf(r.Context())
			if !f.FromStatus(err, a.Cat.Loc(st.Lang, a.TZ)) {
				a.Fail(w, r, err)
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
	p := a.NewPage(w, r, "rooms.title", d)
	p.Nav = "rooms"
	p.Form = f
	a.Render(w, r, status, "coord_rooms", p)
}
