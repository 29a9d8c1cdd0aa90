package poolcache

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// TestPatchEqualsBuild: a snapshot patched with what changed (rooms withdrawn, rooms of a
// host whose profile changed or who left, new rooms; students gone, changed, new) is what
// Build makes of the pool after the change — every offer, seeker and score input in the same
// order, the students' ranker ranking the same, the lookups and the size — over many random
// rounds, each patching the last.
func TestPatchEqualsBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	langs := score.NewLanguageTable()
	hosts := make([]pool.Host, 8)
	for i := range hosts {
		hosts[i] = pool.Host{ID: uuid.NewString(), ProgrammeID: "p", Status: pool.HostVerified, Lat: 45.7 + rng.Float64()/10, Lng: 4.8 + rng.Float64()/10,
			HoursWanted: rng.IntN(8), Languages: []string{"fr"}}
	}
	newOffer := func() pool.Offer {
		h := hosts[rng.IntN(len(hosts))]
		return pool.Offer{Host: h, Room: pool.Room{ID: uuid.NewString(), HostID: h.ID, ProgrammeID: "p", Status: pool.RoomPublished,
			ContributionCents: 10000 + rng.IntN(8000), AvailableFrom: "2026-01-01"}}
	}
	newSeeker := func(id string) pool.Seeker {
		return pool.Seeker{
			Application: pool.Application{ID: uuid.NewString(), StudentID: id, ProgrammeID: "p", Status: pool.ApplicationSubmitted,
				BudgetCents: 12000 + rng.IntN(10000), MoveIn: "2026-02-01"},
			Student: pool.Student{ID: id, ProgrammeID: "p", Status: pool.StudentVerified, StudyLat: 45.7 + rng.Float64()/10, StudyLng: 4.8 + rng.Float64()/10,
				MaxCommuteKm: 5 + rng.IntN(20), HoursOffered: rng.IntN(10), Languages: []string{"fr"}},
		}
	}
	var offers []pool.Offer
	for range 40 {
		offers = append(offers, newOffer())
	}
	var seekers []pool.Seeker
	for range 300 {
		seekers = append(seekers, newSeeker(uuid.NewString()))
	}
	byRoom := func(a, b pool.Offer) int { return strings.Compare(a.Room.ID, b.Room.ID) }
	byStudent := func(a, b pool.Seeker) int { return strings.Compare(a.Student.ID, b.Student.ID) }
	slices.SortFunc(offers, byRoom)
	slices.SortFunc(seekers, byStudent)
	snap := Build("p", 1, offers, seekers, langs)

	for round := range 30 {
		var c Changes
		// Rooms: one withdrawn, one new.
		gone := offers[rng.IntN(len(offers))].Room.ID
		offers = slices.DeleteFunc(slices.Clone(offers), func(o pool.Offer) bool { return o.Room.ID == gone })
		added := newOffer()
		offers = append(offers, added)
		c.Rooms = append(c.Rooms, gone, added.Room.ID)
		// A host's profile changed, or (every third round) she left the pool with her rooms.
		h := &hosts[rng.IntN(len(hosts))]
		h.HoursWanted = (h.HoursWanted + 3) % 8
		c.Hosts = append(c.Hosts, h.ID)
		for i := range offers {
			if offers[i].Host.ID == h.ID {
				offers[i].Host = *h
			}
		}
		if round%3 == 0 {
			offers = slices.DeleteFunc(offers, func(o pool.Offer) bool { return o.Host.ID == h.ID })
		}
		// Students: one gone, one changed, two new.
		seekers = slices.Clone(seekers)
		g := rng.IntN(len(seekers))
		c.Students = append(c.Students, seekers[g].Student.ID)
		seekers = slices.Delete(seekers, g, g+1)
		ch := rng.IntN(len(seekers))
		seekers[ch].Student.HoursOffered = (seekers[ch].Student.HoursOffered + 4) % 10
		c.Students = append(c.Students, seekers[ch].Student.ID)
		for range 2 {
			s := newSeeker(uuid.NewString())
			seekers = append(seekers, s)
			c.Students = append(c.Students, s.Student.ID)
		}
		slices.SortFunc(offers, byRoom)
		slices.SortFunc(seekers, byStudent)
		// What the database returns: the rows of what changed that are in the pool now.
		for _, o := range offers {
			if slices.Contains(c.Rooms, o.Room.ID) || slices.Contains(c.Hosts, o.Host.ID) {
				c.Offers = append(c.Offers, o)
			}
		}
		for _, s := range seekers {
			if slices.Contains(c.Students, s.Student.ID) {
				c.Seekers = append(c.Seekers, s)
			}
		}
		c.Version = snap.Version + 4

		got, want := snap.Patch(c, langs), Build("p", c.Version, offers, seekers, langs)
		if err := sameSnapshot(got, want); err != nil {
			t.Fatalf("round %d: patched snapshot differs from the one built: %v", round, err)
		}
		snap = got
	}
}

func sameSnapshot(got, want *Snapshot) error {
	switch {
	case got.Version != want.Version:
		return fmt.Errorf("version %d, want %d", got.Version, want.Version)
	case !reflect.DeepEqual(got.Offers, want.Offers):
		return fmt.Errorf("offers differ")
	case !reflect.DeepEqual(got.Rooms, want.Rooms):
		return fmt.Errorf("rooms' score inputs differ")
	case !reflect.DeepEqual(got.Seekers, want.Seekers):
		return fmt.Errorf("seekers differ")
	case got.Students.Len() != want.Students.Len():
		return fmt.Errorf("%d students in the pool, want %d", got.Students.Len(), want.Students.Len())
	case got.Bytes != want.Bytes:
		return fmt.Errorf("size %d, want %d", got.Bytes, want.Bytes)
	}
	for i := range want.Seekers {
		if !reflect.DeepEqual(got.Students.Student(i), want.Students.Student(i)) {
			return fmt.Errorf("student %d's score inputs differ", i)
		}
		if _, j, ok := got.Seeker(want.Seekers[i].Student.ID); !ok || j != i {
			return fmt.Errorf("seeker %s at %d, %v; want %d", want.Seekers[i].Student.ID, j, ok, i)
		}
	}
	for _, o := range want.Offers {
		if _, _, ok := got.Offer(o.Room.ID); !ok {
			return fmt.Errorf("room %s not found", o.Room.ID)
		}
	}
	for _, r := range want.Rooms {
		a, b := got.Students.TopK(r, 10, score.Weights{}), want.Students.TopK(r, 10, score.Weights{})
		if !reflect.DeepEqual(a, b) {
			return fmt.Errorf("top 10 %v, want %v", a, b)
		}
	}
	return nil
}
