package document

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/platform/date"
)

var at = time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)

func terms() contract.Terms {
	return contract.Terms{
		RoomTitle: "Chambre « côté jardin » — étage", RoomAreaM2: 12.5, SharedSpaces: []string{"cuisine", "salle d'eau", "véranda"},
		StartDate: date.New(2027, 2, 1), EndDate: date.New(2028, 1, 31), FormulaID: "solidaire",
		MonthlyContributionCents: 15000, EveningsPerWeek: 3, HoursPerWeek: 4, Services: []string{"COMPANY", "DIGITAL_HELP"},
		HouseRules: contract.DefaultHouseRules, NoticeDays: 30, TrialDays: 30, TrialNoticeDays: 15,
		HostDuties: contract.DefaultHostDuties, StudentDuties: contract.DefaultStudentDuties,
	}
}

// pageCount reads the page tree's /Count and counts the page objects: they must agree.
func pageCount(t *testing.T, pdf []byte) int {
	t.Helper()
	m := regexp.MustCompile(`/Type /Pages\s*/Kids \[[^\]]*\]\s*/Count (\d+)`).FindSubmatch(pdf)
	if m == nil {
		m = regexp.MustCompile(`/Count (\d+)`).FindSubmatch(pdf)
	}
	if m == nil {
		t.Fatal("no /Count in the PDF")
	}
	n, _ := strconv.Atoi(string(m[1]))
	if objs := len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(pdf, -1)); objs != n {
		t.Fatalf("/Count %d but %d page objects", n, objs)
	}
	return n
}

func TestRenderDraft(t *testing.T) {
	t.Parallel()
	c := contract.Draft("0190f3a2-7c1e-7000-8000-000000000001", contract.Match{MatchID: "m", ProgrammeID: "lyon", HostAssisted: true}, terms(), at)
	pdf, err := Render(c, contract.Parties{HostName: "Jeanne Lefèvre-Dupré", StudentName: "Zoé Ngô"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:16])
	}
	if n := pageCount(t, pdf); n < 2 || n > 4 {
		t.Fatalf("a full contract on %d pages", n)
	}
	if !bytes.Contains(pdf, []byte("%%EOF")) {
		t.Fatal("truncated PDF")
	}
}

func TestRenderSignedAndTerminated(t *testing.T) {
	t.Parallel()
	c := contract.Draft("c2", contract.Match{MatchID: "m", ProgrammeID: "lyon", HostAssisted: true}, terms(), at)
	if err := c.Send(contract.Rules{}, at); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sign(contract.Signature{Party: contract.PartyHost, Method: contract.MethodPaper, SignedBy: "coord", OnBehalf: true, At: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sign(contract.Signature{Party: contract.PartyStudent, Method: contract.MethodElectronic, SignedBy: "s", At: at}); err != nil {
		t.Fatal(err)
	}
	if err := c.Terminate(contract.Termination{Party: contract.PartyStudent, Reason: "Départ à l'étranger — Erasmus à Kraków, ça s'arrête là ; œuvre ½ ✓ 日本", EffectiveDate: date.New(2027, 8, 1), NoticeAt: at}, date.New(2027, 6, 1)); err != nil {
		t.Fatal(err)
	}
	pdf, err := Render(c, contract.Parties{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || pageCount(t, pdf) < 2 {
		t.Fatal("bad PDF")
	}
}

func TestRenderEmptyTerms(t *testing.T) {
	t.Parallel()
	// A bare draft prints blanks to fill in by hand, and long free text breaks across pages.
	long := contract.Terms{EntryInventory: strings.Repeat("Mur nord : peinture écaillée près de la fenêtre. ", 160)}
	pdf, err := Render(contract.Draft("c3", contract.Match{}, long, at), contract.Parties{})
	if err != nil {
		t.Fatal(err)
	}
	if pageCount(t, pdf) < 3 {
		t.Fatal("a long inventory should take more pages")
	}
	if Filename("abc") != "contrat-abc.pdf" || ContentType != "application/pdf" {
		t.Fatal("filename or content type")
	}
}
