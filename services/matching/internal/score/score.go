package score

import (
	"fmt"
	"math"
	"strings"

	"github.com/cohabit/cohabit/services/matching/internal/geo"
)

// Code identifies a broken hard constraint.
type Code string

// The hard constraints, in the order Result.Broken lists them.
const (
	OtherProgramme     Code = "OTHER_PROGRAMME"
	OtherRoomTargeted  Code = "OTHER_ROOM_TARGETED"
	DatesDoNotOverlap  Code = "DATES_DO_NOT_OVERLAP"
	OverBudget         Code = "OVER_BUDGET"
	Smoking            Code = "SMOKING"
	Pets               Code = "PETS"
	GenderPreference   Code = "GENDER_PREFERENCE"
	TooFar             Code = "TOO_FAR"
	defaultStayDays         = 365 // an open-ended wish, for the duration criterion
	daysPerMonth            = 30  // a month of minimum stay, for the duration criterion
	maxPoints               = 10000
	pointsPerScoreUnit      = 100
	endless            Day  = math.MaxInt32
)

// Constraint is a broken hard constraint with a short reason in French and English.
type Constraint struct {
	Code     Code
	ReasonFR string
	ReasonEN string
}

// Item is one soft criterion of a breakdown.
type Item struct {
	Criterion Criterion
	// Weight is the criterion's share of the 100 points (the programme's weights scaled to
	// sum to 100).
	Weight float64
	// Value is how well the pair meets the criterion, 0..1.
	Value float64
	// Contribution is Weight × Value, in points.
	Contribution float64
	// Note says why a criterion is Neutral (NoteNoWish, NoteNotGiven, NoteUnknown); empty
	// when it measures the pair.
	Note     Note
	ReasonFR string
	ReasonEN string
}

// Result is the score of a pair.
//
// Score is 0..100 with two decimals: Points/100, where Points is the sum of the
// contributions rounded half away from zero to a hundredth of a point (math.Round). The sum
// is taken in a fixed order (commute + (services + hours + nights + languages + rhythm +
// duration)), so the result is deterministic; Ranker gives bit-identical results.
//
// A pair that breaks a hard constraint has Score 0 and Points 0 and lists the constraints in
// Broken; its Breakdown is still computed (what the pair would score without the broken
// constraints), so a coordinator sees both.
type Result struct {
	Score  float64
	Points int
	// DistanceKm is the haversine distance from the room to the place of study; NaN when
	// either position is unknown (NaN or infinite coordinates).
	DistanceKm float64
	Breakdown  []Item
	Broken     []Constraint
}

// Feasible reports whether the pair breaks no hard constraint.
func (r Result) Feasible() bool { return len(r.Broken) == 0 }

// Score scores the pair (room, student) with a programme's weights (see Result).
func Score(room Room, s Student, w Weights) Result { return evaluate(room, s, w, true) }

// Rank scores the pair as Score does, to the same Points and broken constraints, without
// any reason (no breakdown, constraints by code only): what a ranking needs for every pair
// of the pool, when only the page shown is explained.
func Rank(room Room, s Student, w Weights) Result { return evaluate(room, s, w, false) }

func evaluate(room Room, s Student, w Weights, explain bool) Result {
	p := prepare(w)
	d := geo.DistanceKm(geo.NewPoint(room.Lat, room.Lng), geo.NewPoint(s.StudyLat, s.StudyLng))
	res := Result{DistanceKm: d, Broken: broken(room, s, d, explain)}

	var vals [numCriteria]float64
	vals[0] = commuteValue(d, s.MaxCommuteKm, p.refKm)
	vals[1] = servicesValue(room.Host.ServicesWanted, s.ServicesOffered)
	vals[2] = ratioValue(s.HoursOffered, room.Host.HoursWanted)
	vals[3] = ratioValue(s.NightsPresent, room.Host.NightsWanted)
	vals[4] = languagesValue(room.Host.Languages, s.Languages)
	vals[5] = rhythmValue(room.Host.Rhythm, s.Rhythm)
	from, until := roomPeriod(room)
	in, _, wantedEnd := studentPeriod(s)
	vals[6] = durationValue(from, until, in, wantedEnd, minStayDays(room.MinStayMonths))

	var contrib [numCriteria]float64
	for i := range vals {
		contrib[i] = float64(p.points[i] * vals[i])
	}
	rest := contrib[1] + contrib[2] + contrib[3] + contrib[4] + contrib[5] + contrib[6]
	total := contrib[0] + rest
	if res.Feasible() {
		res.Points = toPoints(total)
		res.Score = float64(res.Points) / pointsPerScoreUnit
	}

	if !explain {
		return res
	}
	res.Breakdown = make([]Item, numCriteria)
	for i, c := range criteria {
		fr, en, note := reason(c, room, s, d, p.refKm)
		res.Breakdown[i] = Item{Criterion: c, Weight: p.points[i], Value: vals[i], Contribution: contrib[i], Note: note, ReasonFR: fr, ReasonEN: en}
	}
	return res
}

// toPoints rounds a total in points (0..100) to hundredths of a point.
func toPoints(total float64) int {
	v := int(math.Round(total * pointsPerScoreUnit))
	return min(max(v, 0), maxPoints)
}

// --- soft criteria: one function each, shared by Score and Ranker so both agree bit for bit.

func commuteValue(d, maxKm, refKm float64) float64 {
	if math.IsNaN(d) { // a position is unknown
		return Neutral
	}
	limit := maxKm
	if !(limit > 0) { // also NaN
		limit = refKm
	}
	v := 1 - d/limit
	if !(v >= 0) {
		return 0
	}
	return v
}

// tooFar reports a distance beyond the student's maximum commute. An unknown distance (a
// position given as NaN or infinite coordinates) is not too far: the limit cannot be
// checked, so the pair is kept, its commute criterion Neutral and marked NoteUnknown, for
// the coordinator to judge (dropping it would hide a student whose address is only missing
// from every room).
func tooFar(d, maxKm float64) bool {
	return maxKm > 0 && d > maxKm
}

// knownPlace reports finite coordinates.
func knownPlace(lat, lng float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lng) && !math.IsInf(lat, 0) && !math.IsInf(lng, 0)
}

func servicesValue(wanted, offered ServiceSet) float64 {
	n := wanted.Count()
	if n == 0 {
		return Neutral
	}
	return float64((wanted & offered).Count()) / float64(n)
}

func ratioValue(offered, wanted int) float64 {
	switch {
	case wanted <= 0:
		return Neutral
	case offered >= wanted:
		return 1
	case offered <= 0:
		return 0
	}
	return float64(offered) / float64(wanted)
}

func languagesValue(host, student LanguageSet) float64 {
	switch {
	case host == 0 || student == 0:
		return Neutral
	case host&student != 0:
		return 1
	}
	return 0
}

func rhythmValue(host, student Rhythm) float64 {
	switch {
	case host == RhythmUnset || student == RhythmUnset || host > RhythmFlexible || student > RhythmFlexible:
		return Neutral
	case host == student:
		return 1
	case host == RhythmFlexible || student == RhythmFlexible:
		return 0.75
	}
	return 0
}

// roomPeriod is the room's availability with NoEnd as endless.
func roomPeriod(r Room) (from, until Day) {
	until = r.AvailableUntil
	if until == NoEnd {
		until = endless
	}
	return r.AvailableFrom, until
}

// studentPeriod is the wished stay with NoEnd as endless (out) and as one year (wantedEnd,
// for the duration criterion).
func studentPeriod(s Student) (in, out, wantedEnd Day) {
	in, out, wantedEnd = s.MoveIn, s.MoveOut, s.MoveOut
	if out == NoEnd {
		out = endless
		wantedEnd = in + defaultStayDays - 1
	}
	return in, out, wantedEnd
}

func minStayDays(months int) int32 {
	if months <= 0 {
		return 0
	}
	return int32(min(months, 1200)) * daysPerMonth
}

func datesOverlap(from, until, in, out Day) bool { return max(from, in) <= min(until, out) }

func durationValue(from, until, in, wantedEnd Day, minStay int32) float64 {
	wanted := int64(wantedEnd) - int64(in) + 1
	covered := int64(min(until, wantedEnd)) - int64(max(from, in)) + 1
	if wanted <= 0 || covered <= 0 {
		return 0
	}
	v := float64(covered) / float64(wanted)
	if minStay > 0 && covered < int64(minStay) {
		v = float64(v * (float64(covered) / float64(minStay)))
	}
	return v
}

// --- hard constraints

func smokingOK(roomAllows, hostSmokes, studentSmokes, acceptsSmokers bool) bool {
	return !(studentSmokes && !roomAllows) && !(hostSmokes && !acceptsSmokers)
}

func petsOK(roomAllows, hostHasPets, studentHasPets, acceptsPets bool) bool {
	return !(studentHasPets && !roomAllows) && !(hostHasPets && !acceptsPets)
}

func genderOK(pref, g Gender) bool { return pref == GenderUnset || pref == g }

// broken lists the hard constraints the pair breaks; with explain, each says why in French
// and English (a ranking drops the pair: it needs only the codes).
func broken(room Room, s Student, d float64, explain bool) []Constraint {
	var out []Constraint
	add := func(c Code, reasons func() (fr, en string)) {
		k := Constraint{Code: c}
		if explain {
			k.ReasonFR, k.ReasonEN = reasons()
		}
		out = append(out, k)
	}
	if room.ProgrammeID != s.ProgrammeID {
		add(OtherProgramme, func() (string, string) {
			return "Le logement et l'étudiant relèvent de programmes différents.", "The room and the student belong to different programmes."
		})
	}
	if s.TargetRoomID != "" && s.TargetRoomID != room.ID {
		add(OtherRoomTargeted, func() (string, string) {
			return "La candidature vise un autre logement.", "The application targets another room."
		})
	}
	from, until := roomPeriod(room)
	in, out2, _ := studentPeriod(s)
	if !datesOverlap(from, until, in, out2) {
		add(DatesDoNotOverlap, func() (string, string) {
			return fmt.Sprintf("Les dates ne se recouvrent pas : logement %s, séjour %s.", periodFR(room.AvailableFrom, room.AvailableUntil), periodFR(s.MoveIn, s.MoveOut)),
				fmt.Sprintf("The dates do not overlap: room %s, stay %s.", periodEN(room.AvailableFrom, room.AvailableUntil), periodEN(s.MoveIn, s.MoveOut))
		})
	}
	if room.ContributionCents > s.BudgetCents {
		add(OverBudget, func() (string, string) {
			return fmt.Sprintf("La contribution de %s dépasse le budget de %s.", eurFR(room.ContributionCents), eurFR(s.BudgetCents)),
				fmt.Sprintf("The contribution of %s exceeds the budget of %s.", eurEN(room.ContributionCents), eurEN(s.BudgetCents))
		})
	}
	if !smokingOK(room.SmokingAllowed, room.Host.Smokes, s.Smokes, s.AcceptsSmokers) {
		add(Smoking, func() (string, string) {
			var fr, en []string
			if s.Smokes && !room.SmokingAllowed {
				fr, en = append(fr, "l'étudiant fume et le logement est non-fumeur"), append(en, "the student smokes and the room is non-smoking")
			}
			if room.Host.Smokes && !s.AcceptsSmokers {
				fr, en = append(fr, "l'hôte fume et l'étudiant n'accepte pas les fumeurs"), append(en, "the host smokes and the student does not accept smokers")
			}
			return sentence(fr), sentence(en)
		})
	}
	if !petsOK(room.PetsAllowed, room.Host.HasPets, s.HasPets, s.AcceptsPets) {
		add(Pets, func() (string, string) {
			var fr, en []string
			if s.HasPets && !room.PetsAllowed {
				fr, en = append(fr, "l'étudiant a un animal et le logement n'en accepte pas"), append(en, "the student has a pet and the room allows none")
			}
			if room.Host.HasPets && !s.AcceptsPets {
				fr, en = append(fr, "l'hôte a un animal et l'étudiant n'en accepte pas"), append(en, "the host has a pet and the student does not accept pets")
			}
			return sentence(fr), sentence(en)
		})
	}
	if !genderOK(room.Host.GenderPreference, s.Gender) {
		add(GenderPreference, func() (string, string) {
			return fmt.Sprintf("L'hôte souhaite accueillir %s.", genderFR(room.Host.GenderPreference)),
				fmt.Sprintf("The host prefers %s.", genderEN(room.Host.GenderPreference))
		})
	}
	if tooFar(d, s.MaxCommuteKm) {
		add(TooFar, func() (string, string) {
			fr, en := approximately(room, s, fmt.Sprintf("%s du lieu d'études, au-delà du maximum de %s", kmFR(d), kmFR(s.MaxCommuteKm)),
				fmt.Sprintf("%s from the place of study, beyond the limit of %s", kmEN(d), kmEN(s.MaxCommuteKm)))
			return fr + ".", en + "."
		})
	}
	return out
}

// --- reasons

// neutralFR and neutralEN end the reason of a Neutral criterion.
const (
	neutralFR = " : critère neutre (la moitié des points)."
	neutralEN = ": neutral (half the points)."
)

func reason(c Criterion, room Room, s Student, d, refKm float64) (fr, en string, note Note) {
	h := room.Host
	switch c {
	case CriterionCommute:
		if math.IsNaN(d) {
			roomKnown, studyKnown := knownPlace(room.Lat, room.Lng), knownPlace(s.StudyLat, s.StudyLng)
			whatFR, whatEN := "positions du logement et du lieu d'études non renseignées", "the positions of the room and of the place of study are not given"
			switch {
			case roomKnown:
				whatFR, whatEN = "position du lieu d'études non renseignée", "the position of the place of study is not given"
			case studyKnown:
				whatFR, whatEN = "position du logement non renseignée", "the position of the room is not given"
			}
			fr = "Distance inconnue (" + whatFR + ")" + neutralFR
			en = "Distance unknown (" + whatEN + ")" + neutralEN
			if s.MaxCommuteKm > 0 {
				fr += fmt.Sprintf(" Le maximum de %s n'a pas pu être vérifié.", kmFR(s.MaxCommuteKm))
				en += fmt.Sprintf(" The limit of %s could not be checked.", kmEN(s.MaxCommuteKm))
			}
			return fr, en, NoteUnknown
		}
		if s.MaxCommuteKm > 0 {
			fr, en = fmt.Sprintf("%s du lieu d'études (maximum %s)", kmFR(d), kmFR(s.MaxCommuteKm)),
				fmt.Sprintf("%s from the place of study (limit %s)", kmEN(d), kmEN(s.MaxCommuteKm))
		} else {
			fr, en = fmt.Sprintf("%s du lieu d'études (pas de maximum, référence %s)", kmFR(d), kmFR(refKm)),
				fmt.Sprintf("%s from the place of study (no limit given, reference %s)", kmEN(d), kmEN(refKm))
		}
		fr, en = approximately(room, s, fr, en)
		return fr + ".", en + ".", NoteNone
	case CriterionServices:
		n := h.ServicesWanted.Count()
		if n == 0 {
			return "L'hôte n'a demandé aucun service particulier" + neutralFR, "The host asked for no particular service" + neutralEN, NoteNoWish
		}
		k := (h.ServicesWanted & s.ServicesOffered).Count()
		return fmt.Sprintf("%d des %d services souhaités par l'hôte sont proposés.", k, n),
			fmt.Sprintf("Offers %d of the %d services the host hopes for.", k, n), NoteNone
	case CriterionHours:
		if h.HoursWanted <= 0 {
			return "L'hôte n'a demandé aucune heure de services" + neutralFR, "The host asked for no hours of services" + neutralEN, NoteNoWish
		}
		return fmt.Sprintf("%d h de services par semaine proposées, %d souhaitées.", max(s.HoursOffered, 0), h.HoursWanted),
			fmt.Sprintf("Offers %d h of services a week; the host hopes for %d.", max(s.HoursOffered, 0), h.HoursWanted), NoteNone
	case CriterionNights:
		if h.NightsWanted <= 0 {
			return "L'hôte n'a demandé aucune soirée de présence" + neutralFR, "The host asked for no evenings of presence" + neutralEN, NoteNoWish
		}
		return fmt.Sprintf("Présent %d soirs par semaine, %d souhaités.", max(s.NightsPresent, 0), h.NightsWanted),
			fmt.Sprintf("Present %d evenings a week; the host hopes for %d.", max(s.NightsPresent, 0), h.NightsWanted), NoteNone
	case CriterionLanguages:
		switch {
		case h.Languages == 0 || s.Languages == 0:
			return "Langues non renseignées" + neutralFR, "Languages not given" + neutralEN, NoteNotGiven
		case h.Languages&s.Languages == 0:
			return "Aucune langue commune.", "No shared language.", NoteNone
		}
		k := (h.Languages & s.Languages).Count()
		return fmt.Sprintf("%d langue(s) commune(s).", k), fmt.Sprintf("%d shared language(s).", k), NoteNone
	case CriterionRhythm:
		switch v := rhythmValue(h.Rhythm, s.Rhythm); {
		case v == Neutral:
			return "Rythme non renseigné" + neutralFR, "Rhythm not given" + neutralEN, NoteNotGiven
		case v == 1:
			return fmt.Sprintf("Même rythme (%s).", rhythmFR(h.Rhythm)), fmt.Sprintf("Same rhythm (%s).", rhythmEN(h.Rhythm)), NoteNone
		case v == 0:
			return fmt.Sprintf("Rythmes opposés (hôte %s, étudiant %s).", rhythmFR(h.Rhythm), rhythmFR(s.Rhythm)),
				fmt.Sprintf("Opposite rhythms (host %s, student %s).", rhythmEN(h.Rhythm), rhythmEN(s.Rhythm)), NoteNone
		}
		return fmt.Sprintf("Rythmes compatibles (hôte %s, étudiant %s).", rhythmFR(h.Rhythm), rhythmFR(s.Rhythm)),
			fmt.Sprintf("Compatible rhythms (host %s, student %s).", rhythmEN(h.Rhythm), rhythmEN(s.Rhythm)), NoteNone
	case CriterionDuration:
		from, until := roomPeriod(room)
		in, _, wantedEnd := studentPeriod(s)
		wanted := int64(wantedEnd) - int64(in) + 1
		covered := max(int64(min(until, wantedEnd))-int64(max(from, in))+1, 0)
		fr = fmt.Sprintf("Séjour possible de %d jours sur %d souhaités", covered, max(wanted, 0))
		en = fmt.Sprintf("A stay of %d days is possible of the %d wished", covered, max(wanted, 0))
		if room.MinStayMonths > 0 {
			fr += fmt.Sprintf(" ; durée minimale %d mois", room.MinStayMonths)
			en += fmt.Sprintf("; minimum stay %d months", room.MinStayMonths)
		}
		return fr + ".", en + ".", NoteNone
	}
	return "", "", NoteNone
}

// approximately marks a distance reason measured from a position found from the commune (its
// centre, not the address): "≈ 0,0 km …; positions approchées : centres des communes", so
// that two addresses of one commune never read as "0 km" without a word.
func approximately(room Room, s Student, fr, en string) (string, string) {
	var whatFR, whatEN string
	switch {
	case room.ApproximatePosition && s.ApproximateStudyPlace:
		whatFR, whatEN = "positions approchées : centres des communes du logement et du lieu d'études", "approximate positions: the centres of the room's and the place of study's communes"
	case room.ApproximatePosition:
		whatFR, whatEN = "position approchée du logement : centre de sa commune", "the room's position is approximate: its commune's centre"
	case s.ApproximateStudyPlace:
		whatFR, whatEN = "position approchée du lieu d'études : centre de sa commune", "the place of study's position is approximate: its commune's centre"
	default:
		return fr, en
	}
	return "≈ " + fr + " ; " + whatFR, "≈ " + en + "; " + whatEN
}

func sentence(parts []string) string {
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func kmEN(km float64) string { return fmt.Sprintf("%.1f km", km) }
func kmFR(km float64) string { return strings.Replace(kmEN(km), ".", ",", 1) }

func eurEN(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d EUR", sign, c/100, c%100)
}

func eurFR(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d,%02d €", sign, c/100, c%100)
}

func periodEN(from, until Day) string {
	if until == NoEnd {
		return "from " + from.String() + " with no end"
	}
	return from.String() + " to " + until.String()
}

func periodFR(from, until Day) string {
	if until == NoEnd {
		return "à partir du " + from.String() + " sans fin"
	}
	return "du " + from.String() + " au " + until.String()
}

func genderFR(g Gender) string {
	switch g {
	case GenderFemale:
		return "une étudiante"
	case GenderMale:
		return "un étudiant"
	}
	return "une personne de genre autre"
}

func genderEN(g Gender) string {
	switch g {
	case GenderFemale:
		return "a female student"
	case GenderMale:
		return "a male student"
	}
	return "a student of other gender"
}

func rhythmFR(r Rhythm) string {
	switch r {
	case RhythmEarly:
		return "lève-tôt"
	case RhythmLate:
		return "couche-tard"
	case RhythmFlexible:
		return "flexible"
	}
	return "non renseigné"
}

func rhythmEN(r Rhythm) string {
	switch r {
	case RhythmEarly:
		return "early"
	case RhythmLate:
		return "late"
	case RhythmFlexible:
		return "flexible"
	}
	return "not given"
}
