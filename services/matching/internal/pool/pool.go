// Package pool is the matching pool as the matching service keeps it: copies of the hosts',
// rooms', students' and applications' profiles, filled from other services' events only (no
// call to hosts or students), and their translation into score inputs and display summaries.
// Pure: no I/O.
//
// Every entry keeps the status its owning service last announced; whether a room or an
// application is in the pool is a rule over those statuses (InPool), so that events of
// different streams may arrive in any order: each row is simply the newest copy of its record.
package pool

import (
	"math"
	"time"

	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// Statuses, as the owning services name them in their events.
const (
	HostVerified         = "VERIFIED"
	RoomPublished        = "PUBLISHED"
	StudentVerified      = "VERIFIED"
	ApplicationSubmitted = "SUBMITTED"
)

// Host is what matching knows of a host: what the score needs and a display summary; never
// contact details.
type Host struct {
	ID             string  `json:"id"`
	ProgrammeID    string  `json:"programmeId"`
	Status         string  `json:"status"`
	OwnerAccountID string  `json:"ownerAccountId,omitempty"`
	DisplayName    string  `json:"displayName"`
	Age            int     `json:"age"`
	City           string  `json:"city"`
	Lat            float64 `json:"lat"`
	Lng            float64 `json:"lng"`
	// Approximate: Lat and Lng are the centre of the host's commune, not her home's.
	Approximate bool     `json:"approximate,omitempty"`
	Languages   []string `json:"languages,omitempty"`
	Smokes      bool     `json:"smokes,omitempty"`
	HasPets     bool     `json:"hasPets,omitempty"`
	// ServicesWanted are catalogue names without prefix ("COMPANY").
	ServicesWanted   []string `json:"servicesWanted,omitempty"`
	HoursWanted      int      `json:"hoursWanted"`
	NightsWanted     int      `json:"nightsWanted"`
	Rhythm           string   `json:"rhythm,omitempty"`
	GenderPreference string   `json:"genderPreference,omitempty"`
	Assisted         bool     `json:"assisted,omitempty"`
}

// Room is what matching knows of a room. Dates are YYYY-MM-DD, "" for none.
type Room struct {
	ID                string  `json:"id"`
	HostID            string  `json:"hostId"`
	ProgrammeID       string  `json:"programmeId"`
	Status            string  `json:"status"`
	Title             string  `json:"title"`
	AreaM2            float64 `json:"areaM2"`
	ContributionCents int     `json:"contributionCents"`
	FormulaID         string  `json:"formulaId,omitempty"`
	AvailableFrom     string  `json:"availableFrom"`
	AvailableUntil    string  `json:"availableUntil,omitempty"`
	MinStayMonths     int     `json:"minStayMonths,omitempty"`
	SmokingAllowed    bool    `json:"smokingAllowed,omitempty"`
	PetsAllowed       bool    `json:"petsAllowed,omitempty"`
	City              string  `json:"city"`
	// SharedSpaces go to the contract drafted when a match of the room is approved.
	SharedSpaces []string `json:"sharedSpaces,omitempty"`
}

// Student is what matching knows of a student.
type Student struct {
	ID             string  `json:"id"`
	ProgrammeID    string  `json:"programmeId"`
	Status         string  `json:"status"`
	OwnerAccountID string  `json:"ownerAccountId,omitempty"`
	DisplayName    string  `json:"displayName"`
	Age            int     `json:"age"`
	StudyCity      string  `json:"studyCity"`
	StudyLat       float64 `json:"studyLat"`
	StudyLng       float64 `json:"studyLng"`
	// StudyApproximate: StudyLat and StudyLng are the centre of the commune.
	StudyApproximate bool     `json:"studyApproximate,omitempty"`
	MaxCommuteKm     int      `json:"maxCommuteKm"`
	Languages        []string `json:"languages,omitempty"`
	Smokes           bool     `json:"smokes,omitempty"`
	HasPets          bool     `json:"hasPets,omitempty"`
	AcceptsSmokers   bool     `json:"acceptsSmokers,omitempty"`
	AcceptsPets      bool     `json:"acceptsPets,omitempty"`
	Gender           string   `json:"gender,omitempty"`
	ServicesOffered  []string `json:"servicesOffered,omitempty"`
	HoursOffered     int      `json:"hoursOffered"`
	NightsPresent    int      `json:"nightsPresent"`
	Rhythm           string   `json:"rhythm,omitempty"`
}

// Application is what matching knows of an application.
type Application struct {
	ID          string `json:"id"`
	StudentID   string `json:"studentId"`
	ProgrammeID string `json:"programmeId"`
	Status      string `json:"status"`
	BudgetCents int    `json:"budgetCents"`
	MoveIn      string `json:"moveIn"`
	MoveOut     string `json:"moveOut,omitempty"`
	// RoomID is the one room the application targets, "" for none.
	RoomID string `json:"roomId,omitempty"`
}

// Offer is a room with its host: one side of a pair.
type Offer struct {
	Room Room `json:"room"`
	Host Host `json:"host"`
}

// Seeker is an application with its student: the other side.
type Seeker struct {
	Application Application `json:"application"`
	Student     Student     `json:"student"`
}

// InPool reports whether the offer may be matched: a published room of a verified host.
func (o Offer) InPool() bool { return o.Room.Status == RoomPublished && o.Host.Status == HostVerified }

// InPool reports whether the seeker may be matched: a submitted application of a verified
// student.
func (s Seeker) InPool() bool {
	return s.Application.Status == ApplicationSubmitted && s.Student.Status == StudentVerified
}

// Summary is what each side of a match may know of the other before approval (SPEC §3): no
// contact details.
type Summary struct {
	DisplayName string   `json:"displayName"`
	Age         int      `json:"age"`
	Languages   []string `json:"languages,omitempty"`
	Services    []string `json:"services,omitempty"`
	Rhythm      string   `json:"rhythm,omitempty"`
	City        string   `json:"city"`
}

// Summary of the host: the services they hope for.
func (h Host) Summary() Summary {
	return Summary{DisplayName: h.DisplayName, Age: h.Age, Languages: h.Languages, Services: h.ServicesWanted, Rhythm: h.Rhythm, City: h.City}
}

// Summary of the student: the services they offer, the city of their studies.
func (s Student) Summary() Summary {
	return Summary{DisplayName: s.DisplayName, Age: s.Age, Languages: s.Languages, Services: s.ServicesOffered, Rhythm: s.Rhythm, City: s.StudyCity}
}

var services = map[string]score.ServiceSet{
	"COMPANY": score.ServiceCompany, "SHOPPING": score.ServiceShopping, "MEALS": score.ServiceMeals,
	"DIGITAL_HELP": score.ServiceDigitalHelp, "ERRANDS": score.ServiceErrands,
	"GARDENING": score.ServiceGardening, "SMALL_REPAIRS": score.ServiceSmallRepairs,
}

func serviceSet(names []string) score.ServiceSet {
	var s score.ServiceSet
	for _, n := range names {
		s |= services[n]
	}
	return s
}

// AgreedServices are the services the host hopes for that the student offers, in the host's
// order: what a contract lists.
func AgreedServices(h Host, s Student) []string {
	offered := serviceSet(s.ServicesOffered)
	var out []string
	for _, n := range h.ServicesWanted {
		if services[n] != 0 && offered&services[n] != 0 {
			out = append(out, n)
		}
	}
	return out
}

// genders and rhythms translate the owning services' names; a name not listed (none said)
// is the score's Unset.
var (
	genders = map[string]score.Gender{"FEMALE": score.GenderFemale, "MALE": score.GenderMale, "OTHER": score.GenderOther}
	rhythms = map[string]score.Rhythm{"EARLY": score.RhythmEarly, "LATE": score.RhythmLate, "FLEXIBLE": score.RhythmFlexible}
)

// day reads YYYY-MM-DD; "" (or a date that does not parse, which the owning service never
// sends) is score.NoEnd.
func day(s string) score.Day {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return score.NoEnd
	}
	return score.DayOf(t.Date())
}

// languages interns codes into t; a table full of 64 codes leaves the new ones out (they
// then count as not shared, which can only lower a score).
func languages(t *score.LanguageTable, codes []string) score.LanguageSet {
	var set score.LanguageSet
	for _, c := range codes {
		if s, err := t.Set(c); err == nil {
			set |= s
		}
	}
	return set
}

// position is a place as the score sees it: (0, 0), what a profile holds when the owning
// service could not place the address (proto's default; no French address lies in the Gulf
// of Guinea), is unknown (NaN), so the distance is "unknown", never "0 km".
func position(lat, lng float64) (float64, float64) {
	if lat == 0 && lng == 0 {
		return math.NaN(), math.NaN()
	}
	return lat, lng
}

// ScoreRoom is the offer as the score sees it; the host's position places the room. Sets of
// languages are comparable only between inputs built with the same table.
func (o Offer) ScoreRoom(t *score.LanguageTable) score.Room {
	h := o.Host
	lat, lng := position(h.Lat, h.Lng)
	return score.Room{
		ID: o.Room.ID, ProgrammeID: o.Room.ProgrammeID,
		Lat: lat, Lng: lng, ApproximatePosition: h.Approximate,
		ContributionCents: int64(o.Room.ContributionCents),
		AvailableFrom:     day(o.Room.AvailableFrom), AvailableUntil: day(o.Room.AvailableUntil),
		MinStayMonths:  o.Room.MinStayMonths,
		SmokingAllowed: o.Room.SmokingAllowed, PetsAllowed: o.Room.PetsAllowed,
		Host: score.Host{
			Smokes: h.Smokes, HasPets: h.HasPets, GenderPreference: genders[h.GenderPreference],
			ServicesWanted: serviceSet(h.ServicesWanted), HoursWanted: h.HoursWanted, NightsWanted: h.NightsWanted,
			Languages: languages(t, h.Languages), Rhythm: rhythms[h.Rhythm],
		},
	}
}

// ScoreStudent is the seeker as the score sees it: the student's profile with the
// application's budget, dates and target room. The score's student id is the student's (a
// student has at most one open application).
func (s Seeker) ScoreStudent(t *score.LanguageTable) score.Student {
	st, a := s.Student, s.Application
	lat, lng := position(st.StudyLat, st.StudyLng)
	return score.Student{
		ID: st.ID, ProgrammeID: a.ProgrammeID,
		StudyLat: lat, StudyLng: lng, ApproximateStudyPlace: st.StudyApproximate, MaxCommuteKm: float64(st.MaxCommuteKm),
		BudgetCents: int64(a.BudgetCents),
		MoveIn:      day(a.MoveIn), MoveOut: day(a.MoveOut),
		Smokes: st.Smokes, HasPets: st.HasPets, AcceptsSmokers: st.AcceptsSmokers, AcceptsPets: st.AcceptsPets,
		Gender: genders[st.Gender], ServicesOffered: serviceSet(st.ServicesOffered),
		HoursOffered: st.HoursOffered, NightsPresent: st.NightsPresent,
		Languages: languages(t, st.Languages), Rhythm: rhythms[st.Rhythm],
		TargetRoomID: a.RoomID,
	}
}
