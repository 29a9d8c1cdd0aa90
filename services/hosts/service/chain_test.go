package service_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
	gproto "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// chain is a hosts service with the MATCHING and CONTRACTS streams, which the matching and
// contracts services would declare, and a published room of a verified host.
type chain struct {
	*env
	coord   context.Context
	room    *hostsv1.Room
	hostID  string
	retries *retries
}

// retries counts, per event id, the times a consumer of the service put an event back for
// later (natsx logs "event retried later"): a delivery is not yet a refusal, and a test of
// events out of order must know the refusal happened before it sends what was missing.
type retries struct {
	mu  sync.Mutex
	ids map[string]int
}

func (r *retries) Enabled(context.Context, slog.Level) bool { return true }
func (r *retries) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *retries) WithGroup(string) slog.Handler            { return r }
func (r *retries) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message != "event retried later" {
		return nil
	}
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "event" {
			r.mu.Lock()
			r.ids[a.Value.String()]++
			r.mu.Unlock()
		}
		return true
	})
	return nil
}

// retried waits until the event of id has been put back for later at least once.
func (c *chain) retried(t *testing.T, id string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c.retries.mu.Lock()
		n := c.retries.ids[id]
		c.retries.mu.Unlock()
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("event %s was never refused for later", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func startChain(t *testing.T) *chain {
	t.Helper()
	rt := &retries{ids: map[string]int{}}
	e := startLogging(t, slog.New(rt))
	for _, s := range []natsx.Stream{
		{Name: matchingevents.Stream.Name, Subjects: matchingevents.Stream.Subjects()},
		{Name: contractsevents.Stream.Name, Subjects: contractsevents.Stream.Subjects()},
	} {
		if err := natsx.EnsureStream(context.Background(), e.js, s); err != nil {
			t.Fatal(err)
		}
	}
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	c := &chain{env: e, coord: coord, retries: rt}
	c.room, c.hostID = c.publishedRoom(t)
	return c
}

func (c *chain) publishedRoom(t *testing.T) (*hostsv1.Room, string) {
	t.Helper()
	h, err := c.client.CreateHost(c.coord, &hostsv1.CreateHostRequest{Host: hostInput("1948-03-12")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.client.VerifyHost(c.coord, &hostsv1.VerifyHostRequest{Id: h.GetId()}); err != nil {
		t.Fatal(err)
	}
	r, err := c.client.CreateRoom(c.coord, &hostsv1.CreateRoomRequest{HostId: h.GetId(), Room: roomInput()})
	if err != nil {
		t.Fatal(err)
	}
	r, err = c.client.PublishRoom(c.coord, &hostsv1.PublishRoomRequest{Id: r.GetId()})
	if err != nil {
		t.Fatal(err)
	}
	return r, h.GetId()
}

// publish sends payload as an event of subject with Nats-Msg-Id = the event id, as the owner's
// relay would, and returns the envelope and its stream sequence.
func (c *chain) publish(t *testing.T, subject string, payload gproto.Message) (*eventsv1.Envelope, uint64) {
	t.Helper()
	env, err := event.New(subject, "lyon", time.Now(), payload)
	if err != nil {
		t.Fatal(err)
	}
	return env, c.redeliver(t, env, env.GetId())
}

// redeliver publishes env again under msgID: another id than the first one's gets past
// JetStream's deduplication, as a redelivery after the window would.
func (c *chain) redeliver(t *testing.T, env *eventsv1.Envelope, msgID string) uint64 {
	t.Helper()
	data, err := gproto.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	ack, err := c.js.Publish(context.Background(), env.GetType(), data, jetstream.WithMsgID(msgID))
	if err != nil {
		t.Fatal(err)
	}
	return ack.Sequence
}

func (c *chain) approved(matchID string) *matchingeventsv1.MatchApproved {
	return &matchingeventsv1.MatchApproved{Match: &matchingeventsv1.MatchSummary{
		MatchId: matchID, ProgrammeId: "lyon", RoomId: c.room.GetId(), HostId: c.hostID,
		StudentId: uuid.NewString(), ApplicationId: uuid.NewString(), Status: "APPROVED",
	}}
}

func (c *chain) matchCancelled(matchID string, wasApproved bool) *matchingeventsv1.MatchChanged {
	return &matchingeventsv1.MatchChanged{WasApproved: wasApproved, Match: &matchingeventsv1.MatchSummary{
		MatchId: matchID, ProgrammeId: "lyon", RoomId: c.room.GetId(), HostId: c.hostID, Status: "CANCELLED",
	}}
}

func (c *chain) contract(matchID, status string) *contractseventsv1.ContractChanged {
	return &contractseventsv1.ContractChanged{Contract: &contractseventsv1.ContractSummary{
		ContractId: uuid.NewString(), ProgrammeId: "lyon", MatchId: matchID, RoomId: c.room.GetId(), HostId: c.hostID,
		StudentId: uuid.NewString(), ApplicationId: uuid.NewString(), Status: status,
	}}
}

// waitRoom waits until the room is in status, and returns it.
func (c *chain) waitRoom(t *testing.T, status hostsv1.RoomStatus) *hostsv1.Room {
	t.Helper()
	var r *hostsv1.Room
	deadline := time.Now().Add(20 * time.Second)
	for {
		var err error
		r, err = c.client.GetRoom(c.coord, &hostsv1.GetRoomRequest{Id: c.room.GetId()})
		if err == nil && r.GetStatus() == status {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("room is %v (%v), want %v", r.GetStatus(), err, status)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// handled waits until durable has acknowledged (or terminated) every message up to stream
// sequence seq.
func (c *chain) handled(t *testing.T, stream, durable string, seq uint64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cons, err := c.js.Consumer(context.Background(), stream, durable)
		if err == nil {
			info, err := cons.Info(context.Background())
			if err == nil && info.AckFloor.Stream >= seq && info.NumAckPending == 0 {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s has not handled %s seq %d", durable, stream, seq)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// roomEvents returns the n first events of subject about the room on the HOSTS stream.
func (c *chain) roomEvents(t *testing.T, subject string, n int) []*hostseventsv1.RoomProfile {
	t.Helper()
	var out []*hostseventsv1.RoomProfile
	for _, m := range nextEvents(t, c.js, subject, n) {
		env, err := event.Decode(m.Data())
		if err != nil {
			t.Fatal(err)
		}
		if m.Headers().Get(jetstream.MsgIDHeader) != env.GetId() {
			t.Fatalf("Nats-Msg-Id is not the event id")
		}
		p, err := event.Payload(env, &hostseventsv1.RoomUpdated{})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.GetRoom())
	}
	return out
}

// countEvents counts the events of subject on the HOSTS stream.
func (c *chain) countEvents(t *testing.T, subject string) int {
	t.Helper()
	info, err := c.js.Stream(context.Background(), hostsevents.Stream.Name)
	if err != nil {
		t.Fatal(err)
	}
	si, err := info.Info(context.Background(), jetstream.WithSubjectFilter(subject))
	if err != nil {
		t.Fatal(err)
	}
	return int(si.State.Subjects[subject])
}

func TestChainReservedOccupiedThenReleasedAtTheEnd(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	match := uuid.NewString()

	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(match))
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)
	if ev := c.roomEvents(t, hostsevents.RoomReserved.Subject, 1)[0]; ev.GetRoomId() != c.room.GetId() || ev.GetStatus() != "RESERVED" {
		t.Fatalf("room.reserved: %v", ev)
	}
	// A reserved room's terms are fixed by the agreement.
	if _, err := c.client.WithdrawRoom(c.coord, &hostsv1.WithdrawRoomRequest{Id: c.room.GetId()}); err == nil {
		t.Fatal("a reserved room cannot be withdrawn")
	}

	c.publish(t, contractsevents.ContractActivated.Subject, c.contract(match, "ACTIVE"))
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_OCCUPIED)
	if ev := c.roomEvents(t, hostsevents.RoomOccupied.Subject, 1)[0]; ev.GetStatus() != "OCCUPIED" {
		t.Fatalf("room.occupied: %v", ev)
	}

	c.publish(t, contractsevents.ContractTerminated.Subject, c.contract(match, "TERMINATED"))
	r := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED)
	if ev := c.roomEvents(t, hostsevents.RoomReleased.Subject, 1)[0]; ev.GetStatus() != "PUBLISHED" {
		t.Fatalf("room.released: %v", ev)
	}
	if r.GetEtag() != bump(c.room.GetEtag(), 3) {
		t.Fatalf("etag %s after three changes from %s", r.GetEtag(), c.room.GetEtag())
	}

	// Back on offer: the next approved match reserves it again.
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(uuid.NewString()))
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)
}

// bump is the etag n versions after e.
func bump(e string, n int) string {
	var v int
	if _, err := fmt.Sscanf(e, `W/"%d"`, &v); err != nil {
		return "bad etag " + e
	}
	return etag.Of(v + n)
}

func TestChainCancelledBeforeTheStay(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	match := uuid.NewString()
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(match))
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)

	c.publish(t, contractsevents.ContractCancelled.Subject, c.contract(match, "CANCELLED"))
	r := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED)

	// Matching then cancels the approved match: the same fact told again changes nothing.
	_, seq := c.publish(t, matchingevents.MatchCancelled.Subject, c.matchCancelled(match, true))
	c.handled(t, matchingevents.Stream.Name, "hosts-matching", seq)
	again := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED)
	if again.GetEtag() != r.GetEtag() {
		t.Fatalf("the second cancellation changed the room: etag %s then %s", r.GetEtag(), again.GetEtag())
	}
	if n := c.countEvents(t, hostsevents.RoomReleased.Subject); n != 1 {
		t.Fatalf("%d room.released events, want 1", n)
	}
	// A match cancelled before its approval never reserved anything.
	_, seq = c.publish(t, matchingevents.MatchCancelled.Subject, c.matchCancelled(uuid.NewString(), false))
	c.handled(t, matchingevents.Stream.Name, "hosts-matching", seq)
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED)

	// Released, the room is reserved by the next approved match; a late event of the old one
	// does not touch it.
	next := uuid.NewString()
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(next))
	reserved := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)
	_, seq = c.publish(t, matchingevents.MatchCancelled.Subject, c.matchCancelled(match, true))
	c.handled(t, matchingevents.Stream.Name, "hosts-matching", seq)
	if r := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED); r.GetEtag() != reserved.GetEtag() {
		t.Fatalf("a late cancellation of the previous match changed the room")
	}
}

func TestChainEventDeliveredTwiceAppliesOnce(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	env, _ := c.publish(t, matchingevents.MatchApproved.Subject, c.approved(uuid.NewString()))
	r := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)
	seq := c.redeliver(t, env, uuid.NewString())
	c.handled(t, matchingevents.Stream.Name, "hosts-matching", seq)

	again := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)
	if again.GetEtag() != r.GetEtag() || r.GetEtag() != bump(c.room.GetEtag(), 1) {
		t.Fatalf("etags %s, %s: the version must move once from %s", r.GetEtag(), again.GetEtag(), c.room.GetEtag())
	}
	if n := c.countEvents(t, hostsevents.RoomReserved.Subject); n != 1 {
		t.Fatalf("%d room.reserved events, want 1", n)
	}
}

// TestChainOutOfOrder: the contract's activation reaches hosts before the match's approval
// (two streams): it is retried until the approval has been applied, never dropped.
func TestChainOutOfOrder(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	match := uuid.NewString()
	activated, _ := c.publish(t, contractsevents.ContractActivated.Subject, c.contract(match, "ACTIVE"))
	c.retried(t, activated.GetId()) // refused for now: the room is not reserved
	if r := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED); r.GetEtag() != c.room.GetEtag() {
		t.Fatal("the activation changed a room that was never reserved")
	}
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(match))
	r := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_OCCUPIED)
	if r.GetEtag() != bump(c.room.GetEtag(), 2) {
		t.Fatalf("etag %s, want two changes from %s", r.GetEtag(), c.room.GetEtag())
	}
	c.roomEvents(t, hostsevents.RoomReserved.Subject, 1)
	c.roomEvents(t, hostsevents.RoomOccupied.Subject, 1)
	c.delivered(t, contractsevents.Stream.Name, "hosts-contracts", 2) // the retry
}

// delivered waits until durable has delivered at least n messages.
func (c *chain) delivered(t *testing.T, stream, durable string, n uint64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cons, err := c.js.Consumer(context.Background(), stream, durable)
		if err == nil {
			info, err := cons.Info(context.Background())
			if err == nil && info.Delivered.Consumer >= n {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s has not delivered %d messages", durable, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestChainImpossibleTerminated: an approval for a withdrawn room can never apply: it is
// terminated, not retried forever, and the events behind it go on.
func TestChainImpossibleTerminated(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	withdrawn, hostID := c.publishedRoom(t)
	if _, err := c.client.WithdrawRoom(c.coord, &hostsv1.WithdrawRoomRequest{Id: withdrawn.GetId()}); err != nil {
		t.Fatal(err)
	}
	bad := c.approved(uuid.NewString())
	bad.Match.RoomId, bad.Match.HostId = withdrawn.GetId(), hostID
	c.publish(t, matchingevents.MatchApproved.Subject, bad)
	_, seq := c.publish(t, matchingevents.MatchApproved.Subject, c.approved(uuid.NewString()))
	c.handled(t, matchingevents.Stream.Name, "hosts-matching", seq)
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)
	cons, err := c.js.Consumer(context.Background(), matchingevents.Stream.Name, "hosts-matching")
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Delivered.Consumer != 2 {
		t.Fatalf("%d deliveries, want 2: the impossible approval must be terminated at once", info.Delivered.Consumer)
	}
	r, err := c.client.GetRoom(c.coord, &hostsv1.GetRoomRequest{Id: withdrawn.GetId()})
	if err != nil || r.GetStatus() != hostsv1.RoomStatus_ROOM_STATUS_WITHDRAWN {
		t.Fatalf("withdrawn room: %v %v", r.GetStatus(), err)
	}
}

// A host whose room is reserved (its match approved) cannot be archived: the refusal names
// the stay, and the host stays verified.
func TestArchiveRefusedDuringAStay(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(uuid.NewString()))
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)
	_, err := c.client.ArchiveHost(c.coord, &hostsv1.ArchiveHostRequest{Id: c.hostID})
	if st := svctest.WantCode(t, err, codes.FailedPrecondition); !strings.Contains(st.Message(), "reserved or occupied") {
		t.Fatalf("refusal %q does not name the stay", st.Message())
	}
	h, err := c.client.GetHost(c.coord, &hostsv1.GetHostRequest{Id: c.hostID})
	if err != nil || h.GetStatus() != hostsv1.HostStatus_HOST_STATUS_VERIFIED {
		t.Fatalf("host after the refusal: %v %v", h.GetStatus(), err)
	}
}

// TestChainActiveContractCancelledBeforeItsStart: the pair withdraws after both signed,
// before moving in; contract.cancelled comes from an ACTIVE contract and the OCCUPIED room is
// PUBLISHED again, back on offer; matching's cancellation of the match that follows changes
// nothing.
func TestChainActiveContractCancelledBeforeItsStart(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	match := uuid.NewString()
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(match))
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)
	c.publish(t, contractsevents.ContractActivated.Subject, c.contract(match, "ACTIVE"))
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_OCCUPIED)

	// While the stay is under way its room's availability cannot be cut short (SPEC §2): an
	// occupied room's terms are the agreement's.
	_, err := c.client.UpdateRoom(c.coord, &hostsv1.UpdateRoomRequest{
		Room:       &hostsv1.Room{Id: c.room.GetId(), AvailableUntil: "2027-03-31"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"available_until"}},
	})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "ROOM_IN_USE" {
		t.Fatalf("availableUntil moved during a stay: %v", err)
	}

	c.publish(t, contractsevents.ContractCancelled.Subject, c.contract(match, "CANCELLED"))
	r := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED)
	if ev := c.roomEvents(t, hostsevents.RoomReleased.Subject, 1)[0]; ev.GetStatus() != "PUBLISHED" {
		t.Fatalf("room.released: %v", ev)
	}
	_, seq := c.publish(t, matchingevents.MatchCancelled.Subject, c.matchCancelled(match, true))
	c.handled(t, matchingevents.Stream.Name, "hosts-matching", seq)
	if again := c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED); again.GetEtag() != r.GetEtag() {
		t.Fatalf("the match's cancellation changed the room again: %s then %s", r.GetEtag(), again.GetEtag())
	}
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(uuid.NewString()))
	c.waitRoom(t, hostsv1.RoomStatus_ROOM_STATUS_RESERVED)
}
