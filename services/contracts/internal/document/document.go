// Package document renders a contract as a PDF to print, for a host who signs on paper and
// for everyone's records. The fonts are the Go fonts, embedded as UTF-8 TrueType, so that
// French accents, "€" and "m²" print.
package document

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	// Signature times print in Paris time wherever the service runs.
	_ "time/tzdata"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/platform/date"
)

// ContentType is the rendering's media type.
const ContentType = "application/pdf"

// Filename is the name a download of contract id gets.
func Filename(id string) string { return "contrat-" + id + ".pdf" }

const (
	family   = "Go"
	margin   = 18.0
	bodySize = 10.0
	lineH    = 5.0
)

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// Render returns the PDF of c. Errors: fpdf's (a font that does not load, a failed write).
func Render(c *contract.Contract, who contract.Parties) ([]byte, error) {
	r := c.Record()
	t := r.Terms
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, margin+4)
	pdf.AddUTF8FontFromBytes(family, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	pdf.SetTitle("Convention de cohabitation intergénérationnelle solidaire", true)
	pdf.SetCreator("Cohabit", true)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-margin)
		pdf.SetFont(family, "", 8)
		pdf.CellFormat(0, 5, fmt.Sprintf("Convention %s — page %d/{nb}", r.ID, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	pdf.SetFont(family, "B", 15)
	pdf.MultiCell(0, 7, "Convention de cohabitation intergénérationnelle solidaire", "", "C", false)
	pdf.SetFont(family, "", 9)
	pdf.MultiCell(0, 5, "Article L631-17 du code de la construction et de l'habitation ; charte de la cohabitation intergénérationnelle solidaire (arrêté du 13 janvier 2020)", "", "C", false)
	pdf.Ln(3)
	para(pdf, fmt.Sprintf("Référence : %s — programme %s — état : %s", r.ID, r.ProgrammeID, statusLabel(r.Status)))

	section(pdf, "1. Les parties")
	host := orBlank(who.HostName)
	if r.HostAssisted {
		host += " (accompagné(e) par l'association)"
	}
	para(pdf, "La personne accueillante (l'hôte) : "+host)
	para(pdf, "La personne accueillie (l'étudiant·e) : "+orBlank(who.StudentName))

	section(pdf, "2. Le logement")
	area := "…… m²"
	if t.RoomAreaM2 > 0 {
		area = strings.Replace(strconv.FormatFloat(t.RoomAreaM2, 'f', -1, 64), ".", ",", 1) + " m²"
	}
	para(pdf, fmt.Sprintf("Chambre privative : %s, d'une surface de %s, meublée (lit, bureau, rangements).", orBlank(t.RoomTitle), area))
	spaces := "cuisine et salle de bain"
	if len(t.SharedSpaces) > 0 {
		spaces = strings.Join(t.SharedSpaces, ", ")
	}
	para(pdf, "Espaces partagés : "+spaces+".")

	section(pdf, "3. Durée")
	para(pdf, fmt.Sprintf("La cohabitation commence le %s et prend fin le %s.", day(t.StartDate), day(t.EndDate)))

	section(pdf, "4. Formule et contribution")
	formula := t.FormulaID
	if formula == "" {
		formula = "selon l'accord des parties"
	}
	para(pdf, "Formule : "+formula+".")
	if t.MonthlyContributionCents == 0 {
		para(pdf, "Aucune contribution financière n'est demandée à l'étudiant·e.")
	} else {
		para(pdf, "Contribution mensuelle de l'étudiant·e aux charges : "+contract.Euros(t.MonthlyContributionCents)+".")
	}

	section(pdf, "5. Présence et services")
	para(pdf, fmt.Sprintf("Présence convenue : %d soirée(s) par semaine. Petits services : %d heure(s) par semaine au plus.", t.EveningsPerWeek, t.HoursPerWeek))
	if len(t.Services) > 0 {
		labels := make([]string, len(t.Services))
		for i, s := range t.Services {
			labels[i] = serviceLabel(s)
		}
		para(pdf, "Services convenus : "+strings.Join(labels, ", ")+".")
	}
	para(pdf, "Ces services relèvent de l'entraide et non d'un emploi : ni soins à la personne, ni ménage à titre de travail.")

	section(pdf, "6. Règles de vie commune")
	para(pdf, orLines(t.HouseRules, 4))

	section(pdf, "7. Préavis et période d'essai")
	para(pdf, fmt.Sprintf("Chaque partie peut mettre fin à la convention avant son terme en respectant un préavis de %d jours.", t.NoticeDays))
	if t.TrialDays > 0 {
		para(pdf, fmt.Sprintf("Une période d'essai de %d jours court à partir du début de la cohabitation ; pendant cette période, le préavis est de %d jours.", t.TrialDays, t.TrialNoticeDays))
	} else {
		para(pdf, "Aucune période d'essai n'est prévue.")
	}
	if n := r.Termination; n != nil {
		para(pdf, fmt.Sprintf("Congé donné le %s par %s, prenant effet le %s. Motif : %s", instant(n.NoticeAt), requester(n.Party), day(n.EffectiveDate), n.Reason))
	}

	section(pdf, "8. Engagements de l'hôte")
	para(pdf, orLines(t.HostDuties, 3))
	section(pdf, "9. Engagements de l'étudiant·e")
	para(pdf, orLines(t.StudentDuties, 3))

	section(pdf, "10. État des lieux d'entrée")
	para(pdf, orLines(t.EntryInventory, 6))

	section(pdf, "11. Signatures")
	signature(pdf, "L'hôte", host, find(r.Signatures, contract.PartyHost))
	signature(pdf, "L'étudiant·e", orBlank(who.StudentName), find(r.Signatures, contract.PartyStudent))

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("render contract %s: %w", r.ID, err)
	}
	return buf.Bytes(), nil
}

func section(pdf *fpdf.Fpdf, title string) {
	pdf.Ln(2)
	pdf.SetFont(family, "B", 11.5)
	pdf.MultiCell(0, 6.5, title, "B", "L", false)
	pdf.Ln(1)
}

func para(pdf *fpdf.Fpdf, text string) {
	pdf.SetFont(family, "", bodySize)
	pdf.MultiCell(0, lineH, text, "", "L", false)
	pdf.Ln(1)
}

func signature(pdf *fpdf.Fpdf, role, name string, s *contract.Signature) {
	// Keep a signature block on one page.
	if _, h := pdf.GetPageSize(); pdf.GetY() > h-margin-45 {
		pdf.AddPage()
	}
	pdf.SetFont(family, "B", bodySize)
	pdf.MultiCell(0, lineH, role+" : "+name, "", "L", false)
	pdf.SetFont(family, "", bodySize)
	if s == nil {
		pdf.MultiCell(0, lineH+2, "Fait à ______________________________, le ____ / ____ / ________", "", "L", false)
		pdf.MultiCell(0, lineH+2, "Signature, précédée de la mention « lu et approuvé » :", "", "L", false)
		pdf.Ln(14)
		pdf.MultiCell(80, lineH, "", "B", "L", false)
		pdf.Ln(4)
		return
	}
	how := map[contract.Method]string{
		contract.MethodElectronic: "par voie électronique",
		contract.MethodPaper:      "sur papier",
		contract.MethodInPerson:   "en présence du coordinateur",
	}[s.Method]
	line := fmt.Sprintf("Signé %s le %s", how, instant(s.At))
	if s.OnBehalf {
		line += ", recueilli par le coordinateur de l'association pour le compte de l'hôte accompagné(e)"
	}
	pdf.MultiCell(0, lineH, line+".", "", "L", false)
	pdf.Ln(4)
}

func find(sigs []contract.Signature, p contract.Party) *contract.Signature {
	for i := range sigs {
		if sigs[i].Party == p {
			return &sigs[i]
		}
	}
	return nil
}

func orBlank(s string) string {
	if strings.TrimSpace(s) == "" {
		return "________________________________"
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

func day(d date.Date) string {
	if d.IsZero() {
		return "____ / ____ / ________"
	}
	return d.Time().Format("02/01/2006")
}

func instant(t time.Time) string {
	if t.IsZero() {
		return "____ / ____ / ________"
	}
	return t.In(paris).Format("02/01/2006 à 15h04")
}

func requester(p contract.Party) string {
	switch p {
	case contract.PartyHost:
		return "l'hôte"
	case contract.PartyStudent:
		return "l'étudiant·e"
	}
	return "l'association"
}

func statusLabel(s contract.Status) string {
	return map[contract.Status]string{
		contract.StatusDraft:              "projet",
		contract.StatusAwaitingSignatures: "en attente de signatures",
		contract.StatusActive:             "en cours",
		contract.StatusNoticeGiven:        "congé donné",
		contract.StatusTerminated:         "résiliée",
		contract.StatusEnded:              "terminée",
		contract.StatusCancelled:          "annulée",
	}[s]
}

func serviceLabel(s string) string {
	if l, ok := map[string]string{
		"COMPANY":       "compagnie",
		"SHOPPING":      "courses",
		"MEALS":         "repas partagés",
		"DIGITAL_HELP":  "aide au numérique",
		"ERRANDS":       "petites démarches",
		"GARDENING":     "jardinage",
		"SMALL_REPAIRS": "petit bricolage",
	}[s]; ok {
		return l
	}
	return strings.ToLower(s)
}
