// Package poolcache keeps each programme's matching pool in memory, ready to rank: its offers
// and seekers decoded once, their score inputs, and the students in a score.Ranker for top-K
// searches. A Snapshot is one version of a programme's pool (see postgres.PoolVersion) and
// never changes; a Cache holds the snapshots of the programmes read lately, within a byte
// budget, and replaces one when the database's version has moved.
package poolcache

import (
	"unsafe"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// Snapshot is a programme's pool at one version. Immutable; safe for concurrent use.
type Snapshot struct {
	ProgrammeID string
	Version     int64
	// Offers are the pool's rooms with their hosts, in room id order; Rooms their score
	// inputs, in the same order.
	Offers []pool.Offer
	Rooms  []score.Room
	// Seekers are the pool's applications with their students, in student id order; index i
	// of Students (the score.Ranker) is Seekers[i], so that the ranker's tie-break (lower index)
	// is the rankings' (smaller student id).
	Seekers  []pool.Seeker
	Students *score.Ranker
	// Bytes estimates the memory the snapshot holds.
	Bytes int64

	rooms    map[string]int
	students map[string]int
}

// Build makes the snapshot of offers and seekers, as postgres.Store.PoolSnapshot returns
// them, at version; langs must be the table every query against it uses.
func Build(programmeID string, version int64, offers []pool.Offer, seekers []pool.Seeker, langs *score.LanguageTable) *Snapshot {
	s := &Snapshot{ProgrammeID: programmeID, Version: version, Offers: offers, Seekers: seekers, Rooms: make([]score.Room, len(offers))}
	for i, o := range offers {
		s.Rooms[i] = o.ScoreRoom(langs)
	}
	in := make([]score.Student, len(seekers))
	for i, sk := range seekers {
		in[i] = sk.ScoreStudent(langs)
	}
	s.index(in)
	return s
}

// index completes a snapshot whose Offers, Rooms and Seekers are set: the lookups by id, the
// students' ranker over in (the score inputs of Seekers, in order) and the size.
func (s *Snapshot) index(in []score.Student) {
	s.rooms, s.students = make(map[string]int, len(s.Offers)), make(map[string]int, len(s.Seekers))
	for i, o := range s.Offers {
		s.rooms[o.Room.ID] = i
	}
	for i, sk := range s.Seekers {
		s.students[sk.Student.ID] = i
	}
	s.Students = score.NewRanker(in, score.RankerOptions{})
	s.Bytes = s.estimate()
}

// Offer returns the pool's room id (in the pool: published, its host verified, not taken).
func (s *Snapshot) Offer(roomID string) (pool.Offer, score.Room, bool) {
	i, ok := s.rooms[roomID]
	if !ok {
		return pool.Offer{}, score.Room{}, false
	}
	return s.Offers[i], s.Rooms[i], true
}

// Seeker returns the pool's student id with her open application, and its index in Seekers.
func (s *Snapshot) Seeker(studentID string) (pool.Seeker, int, bool) {
	i, ok := s.students[studentID]
	if !ok {
		return pool.Seeker{}, -1, false
	}
	return s.Seekers[i], i, true
}

// Sizes of what a snapshot holds per entry, beyond its strings: the decoded records, their
// score inputs, the score.Ranker's columns (about 140 bytes a student) and the index maps.
const (
	offerFixed  = int64(unsafe.Sizeof(pool.Offer{}) + unsafe.Sizeof(score.Room{}) + 64)
	seekerFixed = int64(unsafe.Sizeof(pool.Seeker{}) + 2*unsafe.Sizeof(score.Student{}) + 140 + 64)
)

// estimate adds up the fixed sizes and the strings' bytes: close enough to budget memory by
// (the strings' headers are counted in the fixed sizes, their backing arrays here).
func (s *Snapshot) estimate() int64 {
	n := int64(len(s.Offers))*offerFixed + int64(len(s.Seekers))*seekerFixed
	strs := func(ss ...string) {
		for _, x := range ss {
			n += int64(len(x))
		}
	}
	list := func(ss []string) {
		n += int64(len(ss)) * int64(unsafe.Sizeof(""))
		strs(ss...)
	}
	for _, o := range s.Offers {
		r, h := o.Room, o.Host
		strs(r.ID, r.HostID, r.ProgrammeID, r.Status, r.Title, r.FormulaID, r.AvailableFrom, r.AvailableUntil, r.City)
		list(r.SharedSpaces)
		strs(h.ID, h.ProgrammeID, h.Status, h.OwnerAccountID, h.DisplayName, h.City, h.Rhythm, h.GenderPreference)
		list(h.Languages)
		list(h.ServicesWanted)
	}
	for _, sk := range s.Seekers {
		a, st := sk.Application, sk.Student
		strs(a.ID, a.StudentID, a.ProgrammeID, a.Status, a.MoveIn, a.MoveOut, a.RoomID)
		strs(st.ID, st.ProgrammeID, st.Status, st.OwnerAccountID, st.DisplayName, st.StudyCity, st.Gender, st.Rhythm)
		list(st.Languages)
		list(st.ServicesOffered)
	}
	return n
}
