// Package score computes the match score (0–100) between a room and a student, with its
// breakdown and the hard constraints the pair breaks, and searches many students for one room
// (Ranker). Pure: no I/O, no database, no clock; the same inputs always give the same result.
//
// Hard constraints (a pair that breaks any of them scores 0 and lists them in Result.Broken):
// same programme, the application targets no other room, dates overlap, contribution within
// budget, smoking, pets, the host's gender preference, distance from the room to the place of
// study within the student's maximum (not checked when a position is unknown: see tooFar).
// Soft criteria, each valued 0..1 and weighted by the programme's Weights: commute, services,
// hours, nights, languages, rhythm, duration (see Criterion and Score for the exact
// formulas); a criterion that says nothing about the pair (no wish, not given, unknown
// distance) is Neutral, half its points, and its Item.Note says why.
package score

import (
	"fmt"
	"math/bits"
	"sync"
	"time"
)

// Day is a calendar day, counted in days since 1970-01-01 (UTC).
type Day int32

// NoEnd, as AvailableUntil or MoveOut, means the period has no end date.
const NoEnd Day = 0

// DayOf returns the given calendar day.
func DayOf(year int, month time.Month, day int) Day {
	return Day(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// String is YYYY-MM-DD.
func (d Day) String() string {
	return time.Unix(int64(d)*86400, 0).UTC().Format("2006-01-02")
}

// ServiceSet is a set of services of the platform's catalogue, one bit each.
type ServiceSet uint8

// The catalogue (SPEC §3, service enumeration), in the order of its proto enum.
const (
	ServiceCompany ServiceSet = 1 << iota
	ServiceShopping
	ServiceMeals
	ServiceDigitalHelp
	ServiceErrands
	ServiceGardening
	ServiceSmallRepairs

	// AllServices is the whole catalogue.
	AllServices ServiceSet = 1<<7 - 1
)

// Count is the number of services in the set.
func (s ServiceSet) Count() int { return bits.OnesCount8(uint8(s & AllServices)) }

// Gender is a student's gender, or a host's preference (GenderUnset: no preference).
type Gender uint8

const (
	GenderUnset Gender = iota
	GenderFemale
	GenderMale
	GenderOther
)

// Rhythm is a daily rhythm (RhythmUnset: not said).
type Rhythm uint8

const (
	RhythmUnset Rhythm = iota
	RhythmEarly
	RhythmLate
	RhythmFlexible
)

// LanguageSet is a set of languages, one bit per language of a LanguageTable (at most 64).
type LanguageSet uint64

// Count is the number of languages in the set.
func (l LanguageSet) Count() int { return bits.OnesCount64(uint64(l)) }

// LanguageTable interns language codes (e.g. "fr", "en", "ar") to bits of a LanguageSet. Sets
// are only comparable between users of the same table; one table per process (or per Ranker
// and the rooms searched in it) is the intended use. Safe for concurrent use.
type LanguageTable struct {
	mu    sync.RWMutex
	index map[string]int
	codes []string
}

// MaxLanguages is the capacity of a LanguageTable.
const MaxLanguages = 64

// NewLanguageTable returns a table holding the given codes, in order.
func NewLanguageTable(codes ...string) *LanguageTable {
	t := &LanguageTable{index: map[string]int{}}
	if _, err := t.Set(codes...); err != nil {
		panic(err)
	}
	return t
}

// Set returns the set of the given codes, interning the codes the table does not hold yet.
// It fails when the table would exceed MaxLanguages codes or a code is empty.
func (t *LanguageTable) Set(codes ...string) (LanguageSet, error) {
	var s LanguageSet
	for _, c := range codes {
		if c == "" {
			return 0, fmt.Errorf("score: empty language code")
		}
		t.mu.RLock()
		i, ok := t.index[c]
		t.mu.RUnlock()
		if !ok {
			t.mu.Lock()
			if i, ok = t.index[c]; !ok {
				if len(t.codes) == MaxLanguages {
					t.mu.Unlock()
					return 0, fmt.Errorf("score: more than %d languages", MaxLanguages)
				}
				if t.index == nil {
					t.index = map[string]int{}
				}
				i = len(t.codes)
				t.index[c] = i
				t.codes = append(t.codes, c)
			}
			t.mu.Unlock()
		}
		s |= 1 << uint(i)
	}
	return s, nil
}

// Codes lists the codes of a set, in the table's order.
func (t *LanguageTable) Codes(s LanguageSet) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []string
	for i, c := range t.codes {
		if s&(1<<uint(i)) != 0 {
			out = append(out, c)
		}
	}
	return out
}

// Host is what the scoring needs of the host who offers a room.
type Host struct {
	Smokes  bool
	HasPets bool
	// GenderPreference is the gender of student the host wishes to welcome; GenderUnset for
	// none.
	GenderPreference Gender
	// ServicesWanted are the services the host hopes for.
	ServicesWanted ServiceSet
	// HoursWanted is the hours of services a week the host hopes for.
	HoursWanted int
	// NightsWanted is the evenings a week the host hopes the student is present (0..7).
	NightsWanted int
	Languages    LanguageSet
	Rhythm       Rhythm
}

// Room is a room offered by a host, as the scoring sees it.
type Room struct {
	ID          string
	ProgrammeID string
	// Lat and Lng are the room's position, in decimal degrees; NaN when unknown.
	Lat, Lng float64
	// ApproximatePosition: Lat and Lng are the centre of the host's commune (the reasons
	// say the distance is approximate; the score uses it as it is).
	ApproximatePosition bool
	// ContributionCents is the monthly contribution asked, in euro cents.
	ContributionCents int64
	// AvailableFrom is the first day the room is available; AvailableUntil the last one
	// (inclusive), NoEnd for none.
	AvailableFrom, AvailableUntil Day
	// MinStayMonths is the shortest stay the host accepts (0: none).
	MinStayMonths  int
	SmokingAllowed bool
	PetsAllowed    bool
	Host           Host
}

// Student is a student's application, as the scoring sees it.
type Student struct {
	ID          string
	ProgrammeID string
	// StudyLat and StudyLng are the place of study, in decimal degrees; NaN when unknown.
	StudyLat, StudyLng float64
	// ApproximateStudyPlace: StudyLat and StudyLng are the centre of its commune.
	ApproximateStudyPlace bool
	// MaxCommuteKm is the longest great-circle distance from the room to the place of study
	// the student accepts; 0 (or less) means no limit.
	MaxCommuteKm float64
	// BudgetCents is the highest monthly contribution the student can pay, in euro cents
	// (0: free rooms only).
	BudgetCents int64
	// MoveIn is the first day of the wished stay; MoveOut the last one (inclusive), NoEnd when
	// open-ended.
	MoveIn, MoveOut Day
	Smokes          bool
	HasPets         bool
	AcceptsSmokers  bool
	AcceptsPets     bool
	Gender          Gender
	ServicesOffered ServiceSet
	// HoursOffered is the hours of services a week the student offers.
	HoursOffered int
	// NightsPresent is the evenings a week the student will be present (0..7).
	NightsPresent int
	Languages     LanguageSet
	Rhythm        Rhythm
	// TargetRoomID, when set, is the one room the application targets: the student then
	// pairs only with that room.
	TargetRoomID string
}
