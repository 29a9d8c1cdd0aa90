package poolcache

import (
	"context"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// MaxChanges is how many versions behind a held snapshot may be and still be brought up to
// date by its changes (Snapshot.Patch); further behind, the pool is read whole. The database
// keeps as many (pool_changes).
const MaxChanges = 1024

// ChangeSource is a Source that can also say what changed since a version (postgres.Store).
// With it, a Cache whose snapshot is behind reads again only the rooms and students that
// changed instead of the whole programme.
type ChangeSource interface {
	Source
	// PoolChanges returns what changed in the programme's pool after version since, with the
	// pool's rows of what changed, all read at one instant (Changes.Version). ok is false
	// when the changes cannot be told one by one (further than limit versions behind, a
	// change of anything): then read the whole snapshot.
	PoolChanges(ctx context.Context, programmeID string, since, limit int64) (c Changes, ok bool, err error)
}

// Changes are what changed in a programme's pool between two versions, and what those rooms
// and students are in the pool at the later one, Version.
type Changes struct {
	Version int64
	// Rooms, Hosts and Students changed: each room named, every room of each host named and
	// each student named is read again.
	Rooms, Hosts, Students []string
	// Offers are those of the rooms (and the hosts' rooms) in the pool at Version, in room id
	// order; Seekers those of the students, in student id order. One named and missing here
	// has left the pool.
	Offers  []pool.Offer
	Seekers []pool.Seeker
}

// Patch returns the snapshot at c.Version: s with the offers of c's rooms and hosts and the
// seekers of c's students replaced by c's. Everything else (the decoded records and their
// score inputs) is shared with s, so a change costs the students' ranker (score.NewRanker
// over inputs already made), not the decoding of the whole programme. The result is what
// Build would make of the pool at c.Version.
func (s *Snapshot) Patch(c Changes, langs *score.LanguageTable) *Snapshot {
	set := func(ids []string) map[string]bool {
		m := make(map[string]bool, len(ids))
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	rooms, hosts, students := set(c.Rooms), set(c.Hosts), set(c.Students)
	n := &Snapshot{ProgrammeID: s.ProgrammeID, Version: c.Version}

	// Offers: merge the kept ones and c's, both in room id order.
	n.Offers = make([]pool.Offer, 0, len(s.Offers)+len(c.Offers))
	n.Rooms = make([]score.Room, 0, len(s.Offers)+len(c.Offers))
	addNew := func(o pool.Offer) {
		n.Offers = append(n.Offers, o)
		n.Rooms = append(n.Rooms, o.ScoreRoom(langs))
	}
	j := 0
	for i, o := range s.Offers {
		for j < len(c.Offers) && c.Offers[j].Room.ID < o.Room.ID {
			addNew(c.Offers[j])
			j++
		}
		if rooms[o.Room.ID] || hosts[o.Host.ID] || (j < len(c.Offers) && c.Offers[j].Room.ID == o.Room.ID) {
			continue // read again: c has it if it is still in the pool
		}
		n.Offers = append(n.Offers, o)
		n.Rooms = append(n.Rooms, s.Rooms[i])
	}
	for ; j < len(c.Offers); j++ {
		addNew(c.Offers[j])
	}

	// Seekers and their score inputs (index i of NewRanker's slice is Seekers[i]).
	n.Seekers = make([]pool.Seeker, 0, len(s.Seekers)+len(c.Seekers))
	in := make([]score.Student, 0, len(s.Seekers)+len(c.Seekers))
	addSeeker := func(sk pool.Seeker) {
		n.Seekers = append(n.Seekers, sk)
		in = append(in, sk.ScoreStudent(langs))
	}
	j = 0
	for i, sk := range s.Seekers {
		for j < len(c.Seekers) && c.Seekers[j].Student.ID < sk.Student.ID {
			addSeeker(c.Seekers[j])
			j++
		}
		if students[sk.Student.ID] || (j < len(c.Seekers) && c.Seekers[j].Student.ID == sk.Student.ID) {
			continue
		}
		n.Seekers = append(n.Seekers, sk)
		in = append(in, s.Students.Student(i))
	}
	for ; j < len(c.Seekers); j++ {
		addSeeker(c.Seekers[j])
	}
	n.index(in)
	return n
}
