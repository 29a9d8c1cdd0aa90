package document

import (
	"crypto/sha256"
	"strconv"
	"strings"
	"time"

	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/platform/date"
)

// Input is everything a contract's document prints, gathered by the caller: the contract's
// terms and signatures, the programme's identity and the parties' details. Render does no I/O,
// so that what a contract prints is tested without a database or another service. An empty
// field prints as a blank to fill in by hand.
type Input struct {
	// Language is "fr" (the default, and the signed original) or "en".
	Language string
	// Reference is the contract's human reference (see Reference), never its id.
	Reference   string
	Status      contract.Status
	Association Association
	Host        Host
	Student     Student
	Room        Room
	Stay        Stay
	Signatures  []Signature
	// Notice is the notice given before the end date, if any.
	Notice *Notice
}

// Address is a postal address.
type Address struct {
	Line1    string
	Postcode string
	City     string
}

func (a Address) String() string {
	town := strings.TrimSpace(a.Postcode + " " + a.City)
	switch {
	case a.Line1 == "":
		return town
	case town == "":
		return a.Line1
	}
	return a.Line1 + ", " + town
}

// Association is the programme's legal identity: the association that signs the contract with
// both parties and follows the stay.
type Association struct {
	// Name is the programme's own name, printed when no legal name is set.
	Name      string
	LegalName string
	// Registration is its registration (RNA or SIREN number), if any.
	Registration string
	Address      Address
	// Representative signs for the association, with her title ("présidente").
	Representative      string
	RepresentativeTitle string
	Phone               string
	Email               string
}

// Representative is the legal representative of a host under guardianship (tutelle,
// curatelle), who is consulted and signs with or for her.
type Representative struct {
	Name string
	// Measure is the protection measure: MeasureTutelle (she acts for the host) or
	// MeasureCuratelle (she assists the host, who acts with her).
	Measure string
	// Relationship says who she is to the host ("fille", "mandataire judiciaire (UDAF)").
	Relationship string
	Phone        string
	Email        string
}

// Protection measures (French civil code, art. 425 ff.).
const (
	MeasureTutelle   = "TUTELLE"
	MeasureCuratelle = "CURATELLE"
)

// Host is the person who welcomes the student; her address is the housing's.
type Host struct {
	Name      string
	BirthDate date.Date
	Address   Address
	Phone     string
	Email     string
	// Assisted is true when the association acts for her on the platform (no account).
	Assisted bool
	// Representative is set when she is under guardianship.
	Representative *Representative
}

// Student is the young person welcomed.
type Student struct {
	Name        string
	BirthDate   date.Date
	Institution string
	Phone       string
	Email       string
	// Female picks the feminine in French ("l'étudiante").
	Female bool
}

// Room is the private room and what is shared.
type Room struct {
	Title        string
	AreaM2       float64
	SharedSpaces []string
}

// Stay is the agreed terms.
type Stay struct {
	StartDate date.Date
	EndDate   date.Date
	// FormulaName is the programme's name of the formula (never its id); empty when unknown.
	FormulaName              string
	MonthlyContributionCents int
	EveningsPerWeek          int
	HoursPerWeek             int
	// Services are the agreed services, catalogue names without prefix ("COMPANY").
	Services        []string
	HouseRules      string
	TrialDays       int
	TrialNoticeDays int
	HostDuties      string
	StudentDuties   string
	EntryInventory  string
}

// Signature is one signature recorded on the contract.
type Signature struct {
	Party  contract.Party
	Method contract.Method
	At     time.Time
	// ByCoordinator is true when the association's coordinator recorded it (paper, in person).
	ByCoordinator bool
}

// Notice is the notice one side gave before the end date.
type Notice struct {
	// By is the party who gave it; "" for the association.
	By            contract.Party
	Reason        string
	EffectiveDate date.Date
	GivenAt       time.Time
}

// crockford is Crockford's base32 alphabet: no I, L, O or U to misread on paper or over the
// phone.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Reference is a contract's human reference: its programme's code, the year it was drafted
// (in Paris) and six characters derived from its id, e.g. "DEMO-2027-4F7K2Q". The same
// contract always has the same reference; two contracts of one programme and year share one
// with a chance of about one in a billion per pair.
func Reference(programmeID string, drafted time.Time, id string) string {
	sum := sha256.Sum256([]byte(id))
	var b strings.Builder
	prog := strings.ToUpper(strings.TrimSpace(programmeID))
	if prog == "" {
		prog = "COHABIT"
	}
	b.WriteString(prog)
	b.WriteString("-")
	if !drafted.IsZero() {
		b.WriteString(strconv.Itoa(drafted.In(paris).Year()))
		b.WriteString("-")
	}
	// 30 bits, five at a time.
	v := uint32(sum[0])<<22 | uint32(sum[1])<<14 | uint32(sum[2])<<6 | uint32(sum[3])>>2
	for i := 5; i >= 0; i-- {
		b.WriteByte(crockford[(v>>(5*i))&31])
	}
	return b.String()
}
