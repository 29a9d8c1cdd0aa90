package eventsub

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// TestWritesOf: which of the hosts' events the pool follows, and what it refuses, through the
// matching-hosts consumer on a real database.
func TestWritesOf(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := svctest.Pool(t, "matching", postgres.Sets()...)
	hosts := Consumers(db, app.New(postgres.New(db), time.Now), logging.Discard())[0]
	handle := func(subject string, p proto.Message) error {
		e, err := event.New(subject, "p", time.Now(), p)
		if err != nil {
			t.Fatal(err)
		}
		return hosts.Handle(ctx, e)
	}
	count := func(table, id string) int { // table is pool_hosts or pool_rooms, keyed host_id, room_id
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE `+map[string]string{"pool_hosts": "host_id", "pool_rooms": "room_id"}[table]+`::text = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const hostID, roomID = "0190a0e2-0000-7000-8000-000000000001", "0190a0e2-0000-7000-8000-000000000002"

	if err := handle(hostsevents.HostUpdated.Subject, &hostseventsv1.HostUpdated{Host: &hostseventsv1.HostProfile{HostId: hostID}}); err != nil || count("pool_hosts", hostID) != 1 {
		t.Fatalf("host.updated: %d copies, %v", count("pool_hosts", hostID), err)
	}
	if err := handle(hostsevents.HostUpdated.Subject, &hostseventsv1.HostUpdated{Host: &hostseventsv1.HostProfile{HostId: "not-a-uuid"}}); !errors.Is(err, natsx.ErrPermanent) {
		t.Fatalf("a host id that is not a UUID must be refused (terminated): %v", err)
	}
	// An event the pool ignores is not even in the consumer's filter.
	if slices.Contains(hosts.Subjects, hostsevents.HostRegistered.Subject) {
		t.Fatalf("host.registered is followed: %v", hosts.Subjects)
	}
	// The chain's room events carry the room's new status: the pool follows them.
	for _, ev := range roomCopiesUpdated[1:] {
		if !slices.Contains(hosts.Subjects, ev.Subject) {
			t.Fatalf("%s is not followed: %v", ev.Subject, hosts.Subjects)
		}
		if err := handle(ev.Subject, &hostseventsv1.RoomUpdated{Room: &hostseventsv1.RoomProfile{RoomId: roomID, HostId: hostID, Status: "RESERVED"}}); err != nil || count("pool_rooms", roomID) != 1 {
			t.Fatalf("%s: %d copies, %v", ev.Subject, count("pool_rooms", roomID), err)
		}
	}
	// A payload of the wrong type does not decode.
	if err := handle(hostsevents.RoomPublished.Subject, &hostseventsv1.HostUpdated{Host: &hostseventsv1.HostProfile{HostId: hostID}}); !errors.Is(err, natsx.ErrPermanent) {
		t.Fatalf("a wrong payload must be refused: %v", err)
	}
}
