package eventsub

import (
	"testing"
	"time"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	"github.com/cohabit/cohabit/services/platform/event"
)

func TestWritesOf(t *testing.T) {
	t.Parallel()
	mk := func(subject string, id string) *eventsv1.Envelope {
		e, err := event.New(subject, "p", time.Now(), &hostseventsv1.HostUpdated{Host: &hostseventsv1.HostProfile{HostId: id}})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	if w, err := (&handler{}).writesOf(mk("cohabit.hosts.host.updated", "0190a0e2-0000-7000-8000-000000000001")); err != nil || len(w) != 1 {
		t.Fatalf("host.updated: %d writes, %v", len(w), err)
	}
	if _, err := (&handler{}).writesOf(mk("cohabit.hosts.host.updated", "not-a-uuid")); err == nil {
		t.Fatal("a host id that is not a UUID must be refused (terminated)")
	}
	if w, err := (&handler{}).writesOf(mk("cohabit.hosts.host.registered", "x")); err != nil || len(w) != 0 {
		t.Fatalf("an event the pool ignores: %d writes, %v", len(w), err)
	}
	// The chain's room events carry the room's new status: the pool follows them.
	for _, subject := range []string{"cohabit.hosts.room.reserved", "cohabit.hosts.room.occupied", "cohabit.hosts.room.released"} {
		e, err := event.New(subject, "p", time.Now(), &hostseventsv1.RoomUpdated{Room: &hostseventsv1.RoomProfile{
			RoomId: "0190a0e2-0000-7000-8000-000000000002", HostId: "0190a0e2-0000-7000-8000-000000000001", Status: "RESERVED"}})
		if err != nil {
			t.Fatal(err)
		}
		if w, err := (&handler{}).writesOf(e); err != nil || len(w) != 1 {
			t.Fatalf("%s: %d writes, %v", subject, len(w), err)
		}
	}
	// A payload of the wrong type does not decode.
	if _, err := (&handler{}).writesOf(mk("cohabit.hosts.room.published", "x")); err == nil {
		t.Fatal("a wrong payload must be refused")
	}
}
