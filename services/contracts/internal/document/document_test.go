package document

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/platform/date"
)

var at = time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)

// full is a contract as a coordinator sends it: every detail known, the host under
// guardianship, the host's signature recorded on paper by the coordinator and the student's
// given electronically.
func full() Input {
	return Input{
		Reference: Reference("demo", at, "0190f3a2-7c1e-7000-8000-000000000001"),
		Status:    contract.StatusAwaitingSignatures,
		Association: Association{
			Name: "Programme de démonstration", LegalName: "Association Toit Partagé Lyonnais", Registration: "RNA W691099999",
			Address:        Address{Line1: "8 rue de la Charité", Postcode: "69002", City: "Lyon"},
			Representative: "Hélène Garnier", RepresentativeTitle: "présidente",
			Phone: "04 78 00 00 00", Email: "contact@toit-partage.example",
		},
		Host: Host{
			Name: "Jeanne Lefèvre-Dupré", BirthDate: date.New(1948, 3, 12),
			Address: Address{Line1: "12 rue Victor Hugo", Postcode: "69002", City: "Lyon"},
			Phone:   "+33 6 12 34 56 78", Email: "jeanne.lefevre@example.org", Assisted: true,
			Representative: &Representative{Name: "Marc Dupré", Measure: MeasureCuratelle, Relationship: "fils", Phone: "+33 6 98 76 54 32", Email: "marc.dupre@example.org"},
		},
		Student: Student{
			Name: "Zoé Ngô", BirthDate: date.New(2004, 9, 30), Institution: "Université Lumière Lyon 2",
			Phone: "+33 7 11 22 33 44", Email: "zoe.ngo@example.org", Female: true,
		},
		Room: Room{Title: "Chambre « côté jardin »", AreaM2: 12.5, SharedSpaces: []string{"cuisine", "salle d'eau", "véranda"}},
		Stay: Stay{
			StartDate: date.New(2027, 2, 1), EndDate: date.New(2028, 1, 31), FormulaName: "Participation modeste et quelques soirées",
			MonthlyContributionCents: 15000, EveningsPerWeek: 2, HoursPerWeek: 1, Services: []string{"COMPANY", "DIGITAL_HELP"},
			HouseRules: contract.DefaultHouseRules, TrialDays: 30, TrialNoticeDays: 15,
			HostDuties: contract.DefaultHostDuties, StudentDuties: contract.DefaultStudentDuties,
			EntryInventory: "Chambre repeinte en 2025 ; lit 140 × 190 neuf ; bureau en chêne, rayure sur le plateau ; deux clés remises.",
		},
		Signatures: []Signature{
			{Party: contract.PartyHost, Method: contract.MethodPaper, At: at, ByCoordinator: true},
			{Party: contract.PartyStudent, Method: contract.MethodElectronic, At: at.Add(26 * time.Hour)},
		},
	}
}

// text renders in and extracts its text with poppler's pdftotext, whitespace collapsed (line
// breaks and no-break spaces read as one space). Without pdftotext the test skips, except in
// CI, where make test installs it (scripts/ensure-poppler.sh) and its absence is a failure.
func text(t *testing.T, in Input) (string, []byte) {
	t.Helper()
	pdf, err := Render(in)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("%%EOF")) {
		t.Fatal("not a whole PDF")
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing (Debian's poppler-utils; scripts/ensure-poppler.sh installs it)")
		}
		t.Skip("pdftotext is missing: install Debian's poppler-utils (scripts/ensure-poppler.sh)")
	}
	file := filepath.Join(t.TempDir(), "contract.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	s := strings.ReplaceAll(string(out), "\u00a0", " ")
	return strings.Join(strings.Fields(s), " "), pdf
}

func contains(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("the document lacks %q", w)
		}
	}
}

func lacks(t *testing.T, got string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			t.Errorf("the document holds %q", w)
		}
	}
}

var (
	uuidRE = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	// "soirée(s)", "heure(s)", "accompagné(e)": a word that does not know its number or gender.
	hedgeRE = regexp.MustCompile(`\p{L}\((s|e|es)\)`)
)

// TestRenderHoldsTheContract reads the printed contract back and finds everything SPEC §2
// asks of it, with the programme's identity, and nothing that leaks or misleads.
func TestRenderHoldsTheContract(t *testing.T) {
	t.Parallel()
	in := full()
	got, _ := text(t, in)

	contains(t, got,
		"Convention de cohabitation intergénérationnelle solidaire", "L631-17",
		"Référence : "+in.Reference, "en attente de signatures",
		// The association: legal name, address, registration, signatory and contact.
		"Association Toit Partagé Lyonnais", "RNA W691099999", "8 rue de la Charité, 69002 Lyon",
		"représentée par Hélène Garnier, présidente", "04 78 00 00 00", "contact@toit-partage.example",
		// The host: identity, birth date, address (the housing's), contact, legal representative.
		"L'hôte — Jeanne Lefèvre-Dupré", "date de naissance : 12/03/1948", "demeurant 12 rue Victor Hugo, 69002 Lyon",
		"+33 6 12 34 56 78", "jeanne.lefevre@example.org",
		"Représentant légal de l'hôte : Marc Dupré (fils), au titre d'une mesure de curatelle",
		"L'hôte étant sous curatelle, son représentant légal l'assiste et signe à ses côtés.", "+33 6 98 76 54 32", "marc.dupre@example.org",
		// The student.
		"L'étudiante — Zoé Ngô", "date de naissance : 30/09/2004", "établissement : Université Lumière Lyon 2",
		"+33 7 11 22 33 44", "zoe.ngo@example.org",
		// The housing.
		"Adresse du logement : 12 rue Victor Hugo, 69002 Lyon", "Chambre « côté jardin »", "12,5 m²",
		"meublée (lit, bureau, rangements)", "Espaces partagés : cuisine, salle d'eau, véranda",
		// The terms.
		"commence le 01/02/2027 et prend fin le 31/01/2028",
		"Formule : Participation modeste et quelques soirées.", "Contribution mensuelle aux charges : 150,00 €",
		"2 soirées par semaine", "1 heure par semaine", "Services convenus : compagnie, aide au numérique.",
		"Règles de vie commune", "pas de bruit entre 22 h et 7 h",
		"préavis d'un mois calendaire", "période d'essai de 30 jours", "préavis de 15 jours",
		"Engagements de l'hôte", "Respecter l'intimité", "Engagements de la personne accueillie", "Verser la contribution convenue",
		"Engagements de l'association", "État des lieux d'entrée", "bureau en chêne, rayure sur le plateau",
		// The signature blocks, with what was recorded: who, how, when.
		"Signatures", "Pour l'association", "Hélène Garnier, présidente",
		"Signé sur papier le 10/01/2027 à 11h00 (signature recueillie et enregistrée par l'association)",
		"Signé par voie électronique le 11/01/2027 à 13h00",
		"Représentant légal", "fils",
	)
	lacks(t, got,
		// Services the terms do not hold, though the catalogue has them.
		"courses", "repas partagés", "petites démarches", "jardinage", "petit bricolage",
		// Ids.
		"0190f3a2", "conviviale", "demo-",
	)
	if m := uuidRE.FindString(got); m != "" {
		t.Errorf("the document prints an id: %q", m)
	}
	if m := hedgeRE.FindString(got); m != "" {
		t.Errorf("the document hedges a plural or a gender: %q", m)
	}
	// The blocks to sign by hand are only those of the signatories who have not signed.
	if n := strings.Count(got, "lu et approuvé"); n != 2 {
		t.Errorf("%d blocks to sign by hand, want 2 (the legal representative and the association)", n)
	}
}

// TestRenderWording: numbers agree with their nouns, none and one included, in both
// languages.
func TestRenderWording(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lang              string
		evenings, hours   int
		trial, trialNotic int
		want, unwanted    []string
	}{
		{"fr", 1, 2, 1, 1, []string{"1 soirée par semaine", "2 heures par semaine", "période d'essai de 1 jour", "préavis de 1 jour"}, []string{"1 soirées", "1 jours"}},
		{"fr", 0, 0, 0, 0, []string{"Aucune présence en soirée n'est convenue.", "Aucun temps de services n'est convenu.", "Aucune période d'essai"}, []string{"0 soirée"}},
		{"en", 1, 3, 30, 15, []string{"1 evening a week", "at most 3 hours a week", "trial period of 30 days", "notice of 15 days", "one calendar month's notice"}, []string{"1 evenings", "soirée par semaine"}},
		{"en", 4, 1, 0, 0, []string{"4 evenings a week", "at most 1 hour a week", "There is no trial period."}, []string{"1 hours"}},
	} {
		in := full()
		in.Language = c.lang
		in.Stay.EveningsPerWeek, in.Stay.HoursPerWeek = c.evenings, c.hours
		in.Stay.TrialDays, in.Stay.TrialNoticeDays = c.trial, c.trialNotic
		got, _ := text(t, in)
		contains(t, got, c.want...)
		lacks(t, got, c.unwanted...)
		if m := hedgeRE.FindString(got); m != "" {
			t.Errorf("%s: the document hedges a plural or a gender: %q", c.lang, m)
		}
	}
}

func TestRenderEnglish(t *testing.T) {
	t.Parallel()
	in := full()
	in.Language = "en"
	in.Notice = &Notice{By: contract.PartyStudent, Reason: "Erasmus à Kraków", EffectiveDate: date.New(2027, 8, 1), GivenAt: at}
	got, _ := text(t, in)
	contains(t, got, "Intergenerational homesharing agreement", "the French original prevails", "Reference: "+in.Reference,
		"The association — Association Toit Partagé Lyonnais", "represented by Hélène Garnier, présidente",
		"The host — Jeanne Lefèvre-Dupré", "date of birth: 12/03/1948", "Address of the housing: 12 rue Victor Hugo, 69002 Lyon",
		"The student — Zoé Ngô", "Formula: Participation modeste et quelques soirées.", "Monthly contribution to expenses: €150.00",
		"Agreed services: company, help with digital tools.", "Signed on paper on 10/01/2027 at 11:00",
		"Notice given on 10/01/2027 at 11:00 by the student, taking effect on 01/08/2027. Reason: Erasmus à Kraków",
		"For the association")
	// The French free text (house rules, duties) prints as agreed; the rest is English.
	lacks(t, got, "shopping", "shared meals", "gardening", "Référence", "Reference :", "Signé", "ci-après")
}

// TestRenderBlank: a bare draft prints blanks to fill in by hand — never a formula id or a
// number that was not agreed — and long free text breaks across pages.
func TestRenderBlank(t *testing.T) {
	t.Parallel()
	in := Input{Reference: Reference("demo", at, "c3"), Status: contract.StatusDraft,
		Stay: Stay{EntryInventory: strings.Repeat("Mur nord : peinture écaillée près de la fenêtre. ", 160)}}
	got, pdf := text(t, in)
	contains(t, got, "Projet soumis aux parties", "Formule : convenue entre les parties.", "Aucun service particulier n'est convenu.",
		"Adresse du logement : ________", "L'hôte — ________", "L'association — ________", "L'étudiant — ________")
	if n := pageCount(t, pdf); n < 3 {
		t.Fatalf("a long inventory on %d pages", n)
	}
	if n := strings.Count(got, "lu et approuvé"); n != 3 {
		t.Errorf("%d blocks to sign by hand, want 3", n)
	}
}

func TestReference(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^DEMO-2027-[0-9A-HJKMNP-TV-Z]{6}$`)
	a := Reference("demo", at, "0190f3a2-7c1e-7000-8000-000000000001")
	if !re.MatchString(a) {
		t.Fatalf("reference %q", a)
	}
	if Reference("demo", at, "0190f3a2-7c1e-7000-8000-000000000001") != a {
		t.Fatal("a contract's reference changes")
	}
	seen := map[string]bool{}
	for i := range 1000 {
		r := Reference("demo", at, "id-"+strconv.Itoa(i))
		if seen[r] {
			t.Fatalf("two of 1000 contracts share %s", r)
		}
		seen[r] = true
	}
	// New Year's Eve in Paris is already the next year.
	if r := Reference("lyon", time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), "x"); !strings.HasPrefix(r, "LYON-2027-") {
		t.Fatalf("reference %q", r)
	}
	if Filename(a) != "contrat-"+a+".pdf" || ContentType != "application/pdf" {
		t.Fatal("filename or content type")
	}
}

// TestScreenshot renders the first and last pages of the full contract to PNG when
// COHABIT_SCREENSHOTS names a folder (make screenshots: docs/screenshots).
func TestScreenshot(t *testing.T) {
	dir := os.Getenv("COHABIT_SCREENSHOTS")
	if dir == "" {
		t.Skip("COHABIT_SCREENSHOTS is not set")
	}
	pdf, err := Render(full())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "contract.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	last := pageCount(t, pdf)
	for name, page := range map[string]int{"contract-pdf": 1, "contract-pdf-signatures": last} {
		p := strconv.Itoa(page)
		if out, err := exec.Command("pdftoppm", "-png", "-r", "80", "-singlefile", "-f", p, "-l", p, file, filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v: %s", err, out)
		}
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
