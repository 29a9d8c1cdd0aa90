// Package document renders a contract as a PDF to print, for a host who signs on paper and
// for everyone's records: what SPEC §2 says a contract holds, the association's identity and
// the parties' details, in French (the signed original) or English. It does no I/O: the caller
// gathers an Input. The fonts are the Go fonts, embedded as UTF-8 TrueType, so that French
// accents, "€" and "m²" print.
package document

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	// Signature times print in Paris time wherever the service runs.
	_ "time/tzdata"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/cohabit/cohabit/services/contracts/internal/contract"
)

// ContentType is the rendering's media type.
const ContentType = "application/pdf"

// Filename is the name a download of the contract with reference ref gets.
func Filename(ref string) string { return "contrat-" + ref + ".pdf" }

const (
	family   = "Go"
	margin   = 18.0
	bodySize = 10.0
	lineH    = 5.0
	// A signature block: two side by side on an A4 page.
	blockW = 84.0
	blockH = 44.0
	blockG = 6.0
)

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// blank is a field left to fill in by hand.
const blank = "________________________"

// Render returns the PDF of in. Errors: fpdf's (a font that does not load, a failed write).
func Render(in Input) ([]byte, error) {
	w := wordsFor(in.Language)
	s := in.Stay
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+4)
	pdf.AddUTF8FontFromBytes(family, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	pdf.SetTitle(w.title+" "+in.Reference, true)
	pdf.SetCreator("Cohabit", true)
	pdf.SetAuthor(in.Association.display(), true)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin)
		pdf.SetFont(family, "", 8)
		pdf.CellFormat(0, 5, fmt.Sprintf(w.footer, in.Reference, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	d := doc{pdf: pdf, w: w}

	pdf.SetFont(family, "B", 15)
	pdf.MultiCell(0, 7, w.title, "", "C", false)
	pdf.SetFont(family, "", 9)
	pdf.MultiCell(0, 4.5, w.legalBasis, "", "C", false)
	pdf.Ln(3)
	d.para(w.kv(w.reference, in.Reference) + " — " + w.kv(w.status, w.statuses[in.Status]))
	if in.Status == contract.StatusDraft {
		d.bold(w.draftNote)
	}

	d.section(w.partiesTitle)
	d.party(w.association, in.Association.display(), in.Association.details(w))
	d.party(w.host, orBlank(in.Host.Name), in.Host.details(w))
	if r := in.Host.Representative; r != nil {
		d.para(w.list(w.kv(w.legalRep, r.describe(w)), w.kv(w.phone, orBlank(r.Phone)), w.kv(w.email, orBlank(r.Email))) + ".")
	}
	d.party(w.student(in.Student.Female), orBlank(in.Student.Name), in.Student.details(w))

	d.section(w.housingTitle)
	d.para(w.kv(w.housingAddress, orBlank(in.Host.Address.String())) + ".")
	d.para(w.kv(w.room, orBlank(in.Room.Title)) + " — " + w.area + " " + w.areaOf(in.Room.AreaM2) + ", " + w.furnished + ".")
	spaces := w.sharedDefault
	if len(in.Room.SharedSpaces) > 0 {
		spaces = strings.Join(in.Room.SharedSpaces, ", ")
	}
	d.para(w.kv(w.shared, spaces) + ".")

	d.section(w.durationTitle)
	d.para(fmt.Sprintf(w.duration, w.day(s.StartDate), w.day(s.EndDate)))

	d.section(w.formulaTitle)
	formula := s.FormulaName
	if strings.TrimSpace(formula) == "" {
		formula = w.formulaUnknown
	}
	d.para(w.kv(w.formula, formula) + ".")
	if s.MonthlyContributionCents == 0 {
		d.para(w.noContribution)
	} else {
		d.para(w.kv(w.contribution, w.money(s.MonthlyContributionCents)) + ".")
	}

	d.section(w.presenceTitle)
	d.para(w.evenings(s.EveningsPerWeek) + " " + w.hours(s.HoursPerWeek))
	if len(s.Services) > 0 {
		d.para(w.kv(w.servicesAgreed, w.serviceList(s.Services)) + ".")
	} else {
		d.para(w.noServices)
	}
	d.para(w.notAJob)

	d.section(w.rulesTitle)
	d.items(orLines(s.HouseRules, 4))

	d.section(w.noticeTitle)
	d.para(w.legalNotice)
	if s.TrialDays > 0 {
		d.para(fmt.Sprintf(w.trial, w.days(s.TrialDays), w.days(s.TrialNoticeDays)))
	} else {
		d.para(w.noTrial)
	}
	if n := in.Notice; n != nil {
		d.para(fmt.Sprintf(w.noticeGiven, w.instant(n.GivenAt), w.requesters[n.By], w.day(n.EffectiveDate), n.Reason))
	}

	d.section(w.hostDutiesTitle)
	d.items(orLines(s.HostDuties, 3))
	d.section(w.studentDutiesTitle)
	d.items(orLines(s.StudentDuties, 3))
	d.section(w.associationDutiesTitle)
	d.items(w.associationDuties)

	d.section(w.inventoryTitle)
	d.para(orLines(s.EntryInventory, 6))

	d.signatures(in)

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render contract %s: %w", in.Reference, err)
	}
	return buf.Bytes(), nil
}

// doc writes paragraphs in one language.
type doc struct {
	pdf *fpdf.Fpdf
	w   words
}

func (d doc) section(title string) {
	// A title never ends a page alone.
	if _, h := d.pdf.GetPageSize(); d.pdf.GetY() > h-margin-30 {
		d.pdf.AddPage()
	}
	d.pdf.Ln(2)
	d.pdf.SetFont(family, "B", 11.5)
	d.pdf.MultiCell(0, 6.5, title, "B", "L", false)
	d.pdf.Ln(1)
}

func (d doc) para(text string) {
	d.pdf.SetFont(family, "", bodySize)
	d.pdf.MultiCell(0, lineH, text, "", "L", false)
	d.pdf.Ln(1)
}

// items writes free text of several lines as a list, one item a line.
func (d doc) items(text string) {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) == 1 {
		d.para(text)
		return
	}
	d.pdf.SetFont(family, "", bodySize)
	left, _, _, _ := d.pdf.GetMargins()
	for _, l := range lines {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		d.pdf.SetX(left)
		d.pdf.CellFormat(5, lineH, "•", "", 0, "L", false, 0, "")
		d.pdf.MultiCell(0, lineH, l, "", "L", false)
	}
	d.pdf.Ln(1)
}

func (d doc) bold(text string) {
	d.pdf.SetFont(family, "B", bodySize)
	d.pdf.MultiCell(0, lineH, text, "", "L", false)
	d.pdf.Ln(1)
}

// party writes "<role> — <name>" in bold, then its details.
func (d doc) party(role, name, details string) {
	d.pdf.SetFont(family, "B", bodySize)
	d.pdf.MultiCell(0, lineH, role+" — "+name, "", "L", false)
	d.para(details)
}

// signatures writes a block for each signatory: the host (and her legal representative), the
// student and the association, side by side, with the signature recorded so far — who, how
// and when — or room to sign by hand.
func (d doc) signatures(in Input) {
	w := d.w
	type block struct {
		role, name, detail string
		sig                *Signature
	}
	blocks := []block{{role: w.host, name: orBlank(in.Host.Name), sig: find(in.Signatures, contract.PartyHost)}}
	if r := in.Host.Representative; r != nil {
		blocks = append(blocks, block{role: w.legalRep, name: orBlank(r.Name), detail: r.Relationship})
	}
	blocks = append(blocks,
		block{role: w.student(in.Student.Female), name: orBlank(in.Student.Name), sig: find(in.Signatures, contract.PartyStudent)},
		block{role: w.forAssociation, name: in.Association.display(), detail: in.Association.signatory()},
	)
	pdf := d.pdf
	left, _, _, _ := pdf.GetMargins()
	// The blocks stay together, on the page of the section's title.
	rows := float64((len(blocks) + 1) / 2)
	if _, h := pdf.GetPageSize(); pdf.GetY()+25+rows*(blockH+blockG) > h-margin-6 {
		pdf.AddPage()
	}
	d.section(w.signaturesTitle)
	d.para(w.copies)
	if r := in.Host.Representative; r != nil && w.measureSigns[r.Measure] != "" {
		d.para(w.measureSigns[r.Measure])
	}
	for i := 0; i < len(blocks); i += 2 {
		top := pdf.GetY()
		for j := i; j < i+2 && j < len(blocks); j++ {
			b := blocks[j]
			x := left + float64(j-i)*(blockW+blockG)
			pdf.Rect(x, top, blockW, blockH, "D")
			pdf.SetXY(x+2, top+2)
			pdf.SetFont(family, "B", bodySize)
			pdf.MultiCell(blockW-4, lineH, b.role, "", "L", false)
			pdf.SetX(x + 2)
			pdf.SetFont(family, "", bodySize)
			pdf.MultiCell(blockW-4, lineH, b.name, "", "L", false)
			if b.detail != "" {
				pdf.SetX(x + 2)
				pdf.MultiCell(blockW-4, lineH, b.detail, "", "L", false)
			}
			pdf.SetX(x + 2)
			pdf.SetFont(family, "", 8.5)
			if b.sig != nil {
				line := fmt.Sprintf(w.signed, w.methods[b.sig.Method], w.instant(b.sig.At))
				if b.sig.ByCoordinator {
					line += " (" + w.recordedByCoordinator + ")"
				}
				pdf.MultiCell(blockW-4, 4.2, line+".", "", "L", false)
			} else {
				pdf.MultiCell(blockW-4, 4.2, w.placeDate, "", "L", false)
				pdf.SetX(x + 2)
				pdf.MultiCell(blockW-4, 4.2, w.readApproved, "", "L", false)
			}
		}
		pdf.SetXY(left, top+blockH+blockG)
	}
}

// describe is "Marc Dupré (fils), au titre d'une mesure de curatelle".
func (r Representative) describe(w words) string {
	s := orBlank(r.Name)
	if r.Relationship != "" {
		s += " (" + r.Relationship + ")"
	}
	if m := w.measures[r.Measure]; m != "" {
		s += ", " + m
	}
	return s
}

func find(sigs []Signature, p contract.Party) *Signature {
	for i := range sigs {
		if sigs[i].Party == p {
			return &sigs[i]
		}
	}
	return nil
}

// display is the association's name as it signs.
func (a Association) display() string {
	switch {
	case strings.TrimSpace(a.LegalName) != "":
		return a.LegalName
	case strings.TrimSpace(a.Name) != "":
		return a.Name
	}
	return blank
}

// signatory is who signs for the association: "Hélène Garnier, présidente".
func (a Association) signatory() string {
	if a.Representative == "" {
		return blank
	}
	if a.RepresentativeTitle == "" {
		return a.Representative
	}
	return a.Representative + ", " + a.RepresentativeTitle
}

func (a Association) details(w words) string {
	where := orBlank(a.Address.String())
	if a.Registration != "" {
		where = w.registration + " " + a.Registration + ", " + where
	}
	return w.list(where+", "+w.representedBy+" "+a.signatory(), w.kv(w.phone, orBlank(a.Phone)), w.kv(w.email, orBlank(a.Email)), w.hereafter) + "."
}

func (h Host) details(w words) string {
	s := w.list(w.kv(w.birthDate, w.day(h.BirthDate))+", "+w.livingAt+" "+orBlank(h.Address.String()),
		w.kv(w.phone, orBlank(h.Phone)), w.kv(w.email, orBlank(h.Email)), w.hostIntro+" "+w.quote(w.hostShort)) + "."
	if h.Assisted {
		s += " " + upper(w.assistedNote) + "."
	}
	return s
}

func (st Student) details(w words) string {
	role := w.student(st.Female)
	return w.list(w.kv(w.birthDate, w.day(st.BirthDate)), w.kv(w.institution, orBlank(st.Institution)),
		w.kv(w.phone, orBlank(st.Phone)), w.kv(w.email, orBlank(st.Email)), w.studentIntro+" "+w.quote(strings.ToLower(role[:1])+role[1:])) + "."
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func orBlank(s string) string {
	if strings.TrimSpace(s) == "" {
		return blank
	}
	return s
}

// orLines is s, or n blank lines to fill in by hand.
func orLines(s string, n int) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	return strings.TrimSuffix(strings.Repeat(strings.Repeat("_", 85)+"\n", n), "\n")
}
