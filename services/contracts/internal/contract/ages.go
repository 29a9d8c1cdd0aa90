package contract

import (
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Age bounds of the law (art. L631-17; SPEC §2) when a programme's settings say nothing: a
// host is 60 or older, a student 18 or older and under 30 — on the day each is verified and
// on the contract's start date.
const (
	DefaultHostMinAge    = 60
	DefaultStudentMaxAge = 30
	StudentMinAge        = 18
)

// Errors of the age rules on the start date; each names the party (a coordinator moves the
// start date or ends the match).
var (
	ErrHostTooYoung    = errs.FailedPrecondition("HOST_TOO_YOUNG", "the host is younger than the programme's minimum age on the contract's start date")
	ErrStudentTooOld   = errs.FailedPrecondition("STUDENT_TOO_OLD", "the student has reached the programme's maximum age on the contract's start date")
	ErrStudentTooYoung = errs.FailedPrecondition("STUDENT_TOO_YOUNG", "the student is not yet 18 on the contract's start date")
)

// AgeBounds are a programme's age rules; zero values mean the legal defaults.
type AgeBounds struct {
	HostMinAge    int
	StudentMaxAge int
}

// CheckAges checks the parties' ages on start, from their birth dates (read from their
// services, never carried by events). A zero birth date or start checks nothing for that
// party. Errors: ErrHostTooYoung, ErrStudentTooOld, ErrStudentTooYoung (FailedPrecondition,
// the host's first).
func CheckAges(start, hostBirth, studentBirth date.Date, b AgeBounds) error {
	if start.IsZero() {
		return nil
	}
	hostMin, studentMax := b.HostMinAge, b.StudentMaxAge
	if hostMin <= 0 {
		hostMin = DefaultHostMinAge
	}
	if studentMax <= 0 {
		studentMax = DefaultStudentMaxAge
	}
	if !hostBirth.IsZero() {
		if age := hostBirth.YearsOn(start); age < hostMin {
			return ErrHostTooYoung.WithMessage("the host is %d on the contract's start date %s; the programme's minimum age is %d", age, start, hostMin)
		}
	}
	if !studentBirth.IsZero() {
		switch age := studentBirth.YearsOn(start); {
		case age >= studentMax:
			return ErrStudentTooOld.WithMessage("the student is %d on the contract's start date %s; the programme takes students under %d", age, start, studentMax)
		case age < StudentMinAge:
			return ErrStudentTooYoung.WithMessage("the student is %d on the contract's start date %s; a student is at least %d", age, start, StudentMinAge)
		}
	}
	return nil
}
