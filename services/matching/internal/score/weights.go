package score

import (
	"errors"
	"fmt"
	"math"
)

// Criterion names a soft criterion of the score.
type Criterion string

// The soft criteria, in the order of every breakdown.
const (
	// CriterionCommute: distance d from the room to the place of study, against the
	// student's maximum M (or Weights.CommuteReferenceKm when the student gave none):
	// value = max(0, 1 − d/M). Closer is never worse. Neutral (NoteUnknown) when either
	// position is unknown.
	CriterionCommute Criterion = "commute"
	// CriterionServices: share of the services the host hopes for that the student offers
	// (neutral when the host hopes for none: NoteNoWish).
	CriterionServices Criterion = "services"
	// CriterionHours: hours of services a week offered against those hoped for,
	// min(1, offered/wanted) (neutral when none are hoped for: NoteNoWish).
	CriterionHours Criterion = "hours"
	// CriterionNights: evenings of presence a week against those hoped for, same formula.
	CriterionNights Criterion = "nights"
	// CriterionLanguages: 1 when host and student share a language, 0 when they share none,
	// neutral when either side gave no language (NoteNotGiven).
	CriterionLanguages Criterion = "languages"
	// CriterionRhythm: 1 for the same rhythm, 0.75 when either side is flexible, 0 for early
	// against late, neutral when either side did not say (NoteNotGiven).
	CriterionRhythm Criterion = "rhythm"
	// CriterionDuration: (share of the wished stay the room's availability covers) × min(1,
	// possible stay / host's minimum stay). An open-ended wish counts as 365 days; a month of
	// minimum stay as 30 days.
	CriterionDuration Criterion = "duration"
)

const numCriteria = 7

// Neutral is the value of a criterion that says nothing about the pair: a wish the host did
// not express (no services, no hours, no evenings hoped for), a language or a rhythm not
// given, a distance that cannot be measured. Half the criterion's points: neither a reward
// nor a penalty, so that a host who asks for nothing never outranks one who asks for exactly
// what the student offers (who gets the full points), and a pair whose distance is unknown
// ranks like one at a middling distance. The breakdown's Item.Note says why.
const Neutral = 0.5

// Note explains a neutral criterion in a breakdown (a stable code, for translation).
type Note string

const (
	// NoteNone: the criterion measures the pair.
	NoteNone Note = ""
	// NoteNoWish: the host expressed no wish on this criterion.
	NoteNoWish Note = "NO_WISH"
	// NoteNotGiven: the host or the student did not give this information.
	NoteNotGiven Note = "NOT_GIVEN"
	// NoteUnknown: the distance cannot be measured (a position is unknown); the student's
	// maximum commute is then not checked either.
	NoteUnknown Note = "UNKNOWN"
)

var criteria = [numCriteria]Criterion{
	CriterionCommute, CriterionServices, CriterionHours, CriterionNights,
	CriterionLanguages, CriterionRhythm, CriterionDuration,
}

// Weights are a programme's weights of the soft criteria. Only their ratios matter: each is
// scaled so that they sum to 100 points (Item.Weight). The zero Weights means
// DefaultWeights.
type Weights struct {
	Commute, Services, Hours, Nights, Languages, Rhythm, Duration float64
	// CommuteReferenceKm is the distance at which the commute criterion reaches 0 for a
	// student who gave no maximum commute.
	CommuteReferenceKm float64
}

// DefaultWeights are the weights of a programme that set none (they sum to 100):
//
//	commute   25  daily life: the commute is what students weigh most
//	services  20  the services the host hopes for are the point of the stay for many hosts
//	nights    15  presence in the evening is the core of most formulas
//	duration  15  a stay that fits both calendars avoids an early end
//	hours     10
//	rhythm    10
//	languages  5
//
// and CommuteReferenceKm 20.
func DefaultWeights() Weights {
	return Weights{
		Commute: 25, Services: 20, Hours: 10, Nights: 15, Languages: 5, Rhythm: 10, Duration: 15,
		CommuteReferenceKm: 20,
	}
}

// MaxWeight bounds each weight, to keep the arithmetic far from overflow and nonsense.
const MaxWeight = 1e6

func (w Weights) values() [numCriteria]float64 {
	return [numCriteria]float64{w.Commute, w.Services, w.Hours, w.Nights, w.Languages, w.Rhythm, w.Duration}
}

// Validate reports weights a programme may not use: a negative, non-finite or too large
// weight, all weights zero, or a non-positive CommuteReferenceKm. The zero Weights is valid
// (it means DefaultWeights).
func (w Weights) Validate() error {
	if w == (Weights{}) {
		return nil
	}
	var errs []error
	sum := 0.0
	for i, v := range w.values() {
		if math.IsNaN(v) || v < 0 || v > MaxWeight {
			errs = append(errs, fmt.Errorf("weight of %s must be between 0 and %g, not %g", criteria[i], float64(MaxWeight), v))
			continue
		}
		sum += v
	}
	if len(errs) == 0 && sum == 0 {
		errs = append(errs, errors.New("at least one weight must be positive"))
	}
	if r := w.CommuteReferenceKm; math.IsNaN(r) || r <= 0 || math.IsInf(r, 0) {
		errs = append(errs, fmt.Errorf("commute reference must be a positive distance in km, not %g", r))
	}
	return errors.Join(errs...)
}

// prepared are weights ready for scoring: points per criterion summing to 100.
type prepared struct {
	points [numCriteria]float64
	refKm  float64
}

// prepare scales w to points. Weights that fail Validate are replaced by DefaultWeights (a
// programme's settings are validated when saved; scoring never fails).
func prepare(w Weights) prepared {
	if w == (Weights{}) || w.Validate() != nil {
		w = DefaultWeights()
	}
	vals := w.values()
	sum := 0.0
	for _, v := range vals {
		sum += v
	}
	var p prepared
	for i, v := range vals {
		p.points[i] = float64(v*100) / sum
	}
	p.refKm = w.CommuteReferenceKm
	return p
}
