package app

import (
	"cmp"
	"context"
	"slices"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/poolcache"
	"github.com/cohabit/cohabit/services/matching/internal/score"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Errors of the rankings.
var (
	ErrRoomNotFound    = errs.NotFound("ROOM_NOT_FOUND", "no such room in your programme's pool")
	ErrStudentNotFound = errs.NotFound("STUDENT_NOT_FOUND", "no such student in your programme's pool")
	ErrRoomNotInPool   = errs.FailedPrecondition("ROOM_NOT_IN_POOL", "the room is not available for matching")
	ErrNoApplication   = errs.FailedPrecondition("NO_OPEN_APPLICATION", "the student has no submitted application")
)

// Sizes of a ranking.
const (
	DefaultRankSize = 20
	MaxRankSize     = 100
)

func rankSize(n int) int {
	switch {
	case n <= 0:
		return DefaultRankSize
	case n > MaxRankSize:
		return MaxRankSize
	}
	return n
}

// Candidate is a student ranked for a room.
type Candidate struct {
	Seeker pool.Seeker
	Result score.Result
}

// Suggestion is a room ranked for a student.
type Suggestion struct {
	Offer  pool.Offer
	Result score.Result
}

// Compatibility is one pair's full explanation.
type Compatibility struct {
	RoomID, StudentID string
	Result            score.Result
}

// ListCandidates ranks the students of the pool for a room of the coordinator's programme,
// best first; pairs that break a hard constraint are left out. The ranking comes from the
// programme's pool in memory, current as of this call (poolcache). Errors: NotFound (unknown
// room, or another programme's), FailedPrecondition (the room is not in the pool).
func (a *App) ListCandidates(ctx context.Context, roomID string, size int, token string) ([]Candidate, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, "", err
	}
	// Twice at most: a room the cached snapshot lacks but the database has in the pool joined
	// it between the two reads; the second snapshot has it.
	for range 2 {
		if p.Role == auth.RoleCoordinator && p.ProgrammeID != "" {
			snap, err := a.cache.Get(ctx, p.ProgrammeID)
			if err != nil {
				return nil, "", err
			}
			if _, room, ok := snap.Offer(roomID); ok {
				return a.candidates(ctx, snap, room, size, token)
			}
		}
		if err := a.notInPool(ctx, p, roomID); err != nil {
			return nil, "", err
		}
	}
	return nil, "", ErrRoomNotInPool
}

// notInPool says why a room is not in the coordinator's pool, from the database; nil when
// it is there now.
func (a *App) notInPool(ctx context.Context, p auth.Principal, roomID string) error {
	o, ok, err := a.store.Offer(ctx, roomID, false)
	if err != nil {
		return err
	}
	if !ok || !p.CoordinatesProgramme(o.Room.ProgrammeID) {
		return ErrRoomNotFound
	}
	if !o.InPool() {
		return ErrRoomNotInPool.WithMessage("the room is %s and its host %s: only a published room of a verified host is matched", o.Room.Status, o.Host.Status)
	}
	taken, err := a.store.RoomTaken(ctx, roomID)
	if err != nil {
		return err
	}
	if taken {
		return ErrRoomNotInPool.WithMessage("the room has an accepted or approved match: it is back in the pool only if that match is cancelled")
	}
	return nil
}

// candidates pages the ranking of snap's students for room. The first page is a top-K
// search (one more than the page, to know whether a next exists); a later page ranks every
// feasible student and cuts after the token, as rankPage does.
func (a *App) candidates(ctx context.Context, snap *poolcache.Snapshot, room score.Room, size int, token string) ([]Candidate, string, error) {
	w := a.weights(ctx, snap.ProgrammeID)
	key := func(c score.Candidate) rankKey { return rankKey{c.Points, c.StudentID} }
	var page []score.Candidate
	next := ""
	if token == "" {
		n := rankSize(size)
		page = snap.Students.TopKNear(room, n+1, w)
		if len(page) > n {
			page = page[:n]
			next = key(page[n-1]).token()
		}
	} else {
		all := snap.Students.Feasible(nil, room, w)
		slices.SortFunc(all, func(x, y score.Candidate) int { return cmp.Or(y.Points-x.Points, x.Index-y.Index) })
		var err error
		if page, next, err = rankPage(all, size, token, key); err != nil {
			return nil, "", err
		}
	}
	// Only the page shown is explained: the breakdown's reasons are most of a score's cost.
	out := make([]Candidate, len(page))
	for i, c := range page {
		out[i] = Candidate{Seeker: snap.Seekers[c.Index], Result: score.Score(room, snap.Students.Student(c.Index), w)}
	}
	return out, next, nil
}

// ListSuggestions ranks the pool's rooms for a student (the student themself, or a
// coordinator of their programme), best first, against their open application; a student
// without one gets an empty list. Errors: NotFound.
func (a *App) ListSuggestions(ctx context.Context, studentID string, size int, token string) ([]Suggestion, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, "", err
	}
	st, ok, err := a.store.Student(ctx, studentID)
	if err != nil {
		return nil, "", err
	}
	mine := p.Role == auth.RoleStudent && st.OwnerAccountID != "" && st.OwnerAccountID == p.AccountID
	if !ok || !(mine || p.CoordinatesProgramme(st.ProgrammeID)) {
		return nil, "", ErrStudentNotFound
	}
	s, ok, err := a.store.OpenSeeker(ctx, studentID, false)
	if err != nil || !ok {
		return nil, "", err
	}
	snap, err := a.cache.Get(ctx, s.Application.ProgrammeID)
	if err != nil {
		return nil, "", err
	}
	w := a.weights(ctx, s.Application.ProgrammeID)
	student := s.ScoreStudent(a.langs)
	var out []Suggestion
	for i, room := range snap.Rooms {
		if r := score.Rank(room, student, w); r.Feasible() {
			out = append(out, Suggestion{Offer: snap.Offers[i], Result: r})
		}
	}
	slices.SortFunc(out, func(x, y Suggestion) int {
		return cmp.Or(y.Result.Points-x.Result.Points, cmp.Compare(x.Offer.Room.ID, y.Offer.Room.ID))
	})
	page, next, err := rankPage(out, size, token, func(x Suggestion) rankKey { return rankKey{x.Result.Points, x.Offer.Room.ID} })
	for i := range page {
		_, room, _ := snap.Offer(page[i].Offer.Room.ID)
		page[i].Result = score.Score(room, student, w)
	}
	return page, next, err
}

// GetCompatibility scores one pair of the coordinator's programme: a room of the pool and a
// student with an open application, with the breakdown and the hard constraints it breaks.
// Errors: NotFound.
func (a *App) GetCompatibility(ctx context.Context, roomID, studentID string) (Compatibility, error) {
	p, err := principal(ctx)
	if err != nil {
		return Compatibility{}, err
	}
	o, ok, err := a.store.Offer(ctx, roomID, false)
	if err != nil {
		return Compatibility{}, err
	}
	if !ok || !p.CoordinatesProgramme(o.Room.ProgrammeID) {
		return Compatibility{}, ErrRoomNotFound
	}
	s, ok, err := a.store.OpenSeeker(ctx, studentID, false)
	if err != nil {
		return Compatibility{}, err
	}
	if !ok || !p.CoordinatesProgramme(s.Student.ProgrammeID) {
		return Compatibility{}, ErrStudentNotFound
	}
	r := score.Score(o.ScoreRoom(a.langs), s.ScoreStudent(a.langs), a.weights(ctx, o.Room.ProgrammeID))
	return Compatibility{RoomID: roomID, StudentID: studentID, Result: r}, nil
}
