package document

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/platform/date"
)

// words are a language's wording of the document. French is the signed original; English is
// a translation for a party who reads it better (free text — house rules, duties, inventory —
// prints as written).
type words struct {
	title, legalBasis, reference, status, draftNote string
	statuses                                        map[contract.Status]string

	partiesTitle, association, representedBy, registration, phone, email    string
	host, hostIntro, hostShort, birthDate, livingAt, assistedNote, legalRep string
	measures                                                                map[string]string
	measureSigns                                                            map[string]string
	student                                                                 func(female bool) string
	studentIntro, institution, hereafter                                    string

	housingTitle, housingAddress, room, area, furnished, shared, sharedDefault string
	durationTitle, duration                                                    string
	formulaTitle, formula, formulaUnknown, noContribution, contribution        string
	presenceTitle                                                              string
	evenings                                                                   func(n int) string
	hours                                                                      func(n int) string
	servicesAgreed, noServices, notAJob                                        string
	services                                                                   map[string]string

	rulesTitle, noticeTitle, legalNotice, trial, noTrial, noticeGiven string
	days                                                              func(n int) string
	requesters                                                        map[contract.Party]string

	hostDutiesTitle, studentDutiesTitle, associationDutiesTitle, associationDuties string
	inventoryTitle                                                                 string

	signaturesTitle, copies, forAssociation, placeDate, readApproved, notSigned string
	methods                                                                     map[contract.Method]string
	signed, recordedByCoordinator                                               string

	footer, dateFmt, instantFmt string
	// fr: decimal comma, French money and punctuation.
	fr bool
}

// colon, sep and quote punctuate the way the language does (French: "a : b ; « c »").
func (w words) colon() string {
	if w.fr {
		return "\u00a0: "
	}
	return ": "
}

func (w words) sep() string {
	if w.fr {
		return "\u00a0; "
	}
	return "; "
}

// kv is "label : value".
func (w words) kv(label, value string) string { return label + w.colon() + value }

// list joins items with the language's semicolon.
func (w words) list(items ...string) string { return strings.Join(items, w.sep()) }

func (w words) quote(s string) string {
	if w.fr {
		return "«\u00a0" + s + "\u00a0»"
	}
	return "“" + s + "”"
}

func plural(n int, one, many string) string {
	if n <= 1 && n >= -1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}

var french = words{
	title:      "Convention de cohabitation intergénérationnelle solidaire",
	legalBasis: "Article L631-17 du code de la construction et de l'habitation ; charte de la cohabitation intergénérationnelle solidaire (arrêté du 13 janvier 2020)",
	reference:  "Référence",
	status:     "État",
	draftNote:  "Projet soumis aux parties : il ne vaut pas convention tant qu'il n'est pas signé.",
	statuses: map[contract.Status]string{
		contract.StatusDraft:              "projet",
		contract.StatusAwaitingSignatures: "en attente de signatures",
		contract.StatusActive:             "en cours",
		contract.StatusNoticeGiven:        "congé donné",
		contract.StatusTerminated:         "résiliée",
		contract.StatusEnded:              "terminée",
		contract.StatusCancelled:          "annulée",
	},

	partiesTitle:  "Entre les soussignés",
	association:   "L'association",
	representedBy: "représentée par",
	registration:  "immatriculée",
	phone:         "téléphone",
	email:         "courriel",
	host:          "L'hôte",
	hostIntro:     "la personne accueillante, ci-après",
	hostShort:     "l'hôte",
	birthDate:     "date de naissance",
	livingAt:      "demeurant",
	assistedNote:  "accompagnée par l'association pour ses démarches",
	legalRep:      "Représentant légal de l'hôte",
	measures: map[string]string{
		MeasureTutelle:   "au titre d'une mesure de tutelle",
		MeasureCuratelle: "au titre d'une mesure de curatelle",
	},
	measureSigns: map[string]string{
		MeasureTutelle:   "L'hôte étant sous tutelle, son représentant légal signe en son nom.",
		MeasureCuratelle: "L'hôte étant sous curatelle, son représentant légal l'assiste et signe à ses côtés.",
	},
	student: func(female bool) string {
		if female {
			return "L'étudiante"
		}
		return "L'étudiant"
	},
	studentIntro: "la personne accueillie, ci-après",
	institution:  "établissement",
	hereafter:    "ci-après «\u00a0l'association\u00a0», qui a rencontré les deux parties, les a mises en relation et assure le suivi de la cohabitation",

	housingTitle:   "1. Le logement",
	housingAddress: "Adresse du logement",
	room:           "Chambre privative",
	area:           "surface",
	furnished:      "meublée (lit, bureau, rangements)",
	shared:         "Espaces partagés",
	sharedDefault:  "cuisine et salle de bain",

	durationTitle: "2. Durée",
	duration:      "La cohabitation commence le %s et prend fin le %s.",

	formulaTitle:   "3. Formule et contribution",
	formula:        "Formule",
	formulaUnknown: "convenue entre les parties",
	noContribution: "Aucune contribution financière n'est demandée.",
	contribution:   "Contribution mensuelle aux charges",

	presenceTitle: "4. Présence et services",
	evenings: func(n int) string {
		if n <= 0 {
			return "Aucune présence en soirée n'est convenue."
		}
		return "Présence convenue : " + plural(n, "soirée", "soirées") + " par semaine."
	},
	hours: func(n int) string {
		if n <= 0 {
			return "Aucun temps de services n'est convenu."
		}
		return "Petits services : " + plural(n, "heure", "heures") + " par semaine au plus."
	},
	servicesAgreed: "Services convenus",
	noServices:     "Aucun service particulier n'est convenu.",
	notAJob:        "Ces services relèvent de l'entraide et non d'un emploi : ni soins à la personne, ni ménage à titre de travail.",
	services: map[string]string{
		"COMPANY":       "compagnie",
		"SHOPPING":      "courses",
		"MEALS":         "repas partagés",
		"DIGITAL_HELP":  "aide au numérique",
		"ERRANDS":       "petites démarches",
		"GARDENING":     "jardinage",
		"SMALL_REPAIRS": "petit bricolage",
	},

	rulesTitle:  "5. Règles de vie commune",
	noticeTitle: "6. Préavis et période d'essai",
	legalNotice: "Chaque partie peut mettre fin à la convention avant son terme, par écrit, en respectant un préavis d'un mois calendaire (article L631-17) : un congé donné le 15 mars prend effet le 15 avril au plus tôt.",
	trial:       "Une période d'essai de %s court à partir du début de la cohabitation ; pendant cette période, chaque partie peut y mettre fin avec un préavis de %s.",
	noTrial:     "Aucune période d'essai n'est prévue.",
	noticeGiven: "Congé donné le %s par %s, prenant effet le %s. Motif : %s",
	days:        func(n int) string { return plural(n, "jour", "jours") },
	requesters: map[contract.Party]string{
		contract.PartyHost:    "l'hôte",
		contract.PartyStudent: "la personne accueillie",
		"":                    "l'association",
	},

	hostDutiesTitle:        "7. Engagements de l'hôte",
	studentDutiesTitle:     "8. Engagements de la personne accueillie",
	associationDutiesTitle: "9. Engagements de l'association",
	associationDuties: `Accompagner les deux parties pendant toute la cohabitation : visites et appels de suivi réguliers, à leur demande comme à son initiative.
Être joignable en cas de difficulté et proposer une médiation en cas de désaccord.
Conserver les données personnelles des parties pour les seuls besoins du programme.`,
	inventoryTitle: "10. État des lieux d'entrée",

	signaturesTitle:       "11. Signatures",
	copies:                "Fait en autant d'exemplaires originaux que de signataires, chacun en recevant un.",
	forAssociation:        "Pour l'association",
	placeDate:             "Fait à ____________________, le ___ / ___ / ______",
	readApproved:          "Signature, précédée de la mention «\u00a0lu et approuvé\u00a0»\u00a0:",
	notSigned:             "",
	signed:                "Signé %s le %s",
	recordedByCoordinator: "signature recueillie et enregistrée par l'association",
	methods: map[contract.Method]string{
		contract.MethodElectronic: "par voie électronique",
		contract.MethodPaper:      "sur papier",
		contract.MethodInPerson:   "en personne, devant l'association",
	},

	fr:         true,
	footer:     "Convention %s — page %d/{nb}",
	dateFmt:    "02/01/2006",
	instantFmt: "02/01/2006 à 15h04",
}

var english = words{
	title:      "Intergenerational homesharing agreement",
	legalBasis: "Article L631-17 of the French Construction and Housing Code; charter of intergenerational homesharing (order of 13 January 2020). Translation: the French original prevails.",
	reference:  "Reference",
	status:     "Status",
	draftNote:  "Draft submitted to the parties: it is not binding until signed.",
	statuses: map[contract.Status]string{
		contract.StatusDraft:              "draft",
		contract.StatusAwaitingSignatures: "awaiting signatures",
		contract.StatusActive:             "in force",
		contract.StatusNoticeGiven:        "notice given",
		contract.StatusTerminated:         "terminated",
		contract.StatusEnded:              "ended",
		contract.StatusCancelled:          "cancelled",
	},

	partiesTitle:  "Between the undersigned",
	association:   "The association",
	representedBy: "represented by",
	registration:  "registered",
	phone:         "phone",
	email:         "email",
	host:          "The host",
	hostIntro:     "the person offering the room, hereafter",
	hostShort:     "the host",
	birthDate:     "date of birth",
	livingAt:      "living at",
	assistedNote:  "assisted by the association with the formalities",
	legalRep:      "The host's legal representative",
	measures: map[string]string{
		MeasureTutelle:   "under a guardianship measure (tutelle)",
		MeasureCuratelle: "under a curatorship measure (curatelle)",
	},
	measureSigns: map[string]string{
		MeasureTutelle:   "The host being under guardianship, the legal representative signs for the host.",
		MeasureCuratelle: "The host being under curatorship, the legal representative signs with the host.",
	},
	student:      func(bool) string { return "The student" },
	studentIntro: "the person welcomed, hereafter",
	institution:  "school or employer",
	hereafter:    "hereafter “the association”, which met both parties, introduced them to each other and follows the stay",

	housingTitle:   "1. The housing",
	housingAddress: "Address of the housing",
	room:           "Private room",
	area:           "area",
	furnished:      "furnished (bed, desk, storage)",
	shared:         "Shared spaces",
	sharedDefault:  "kitchen and bathroom",

	durationTitle: "2. Duration",
	duration:      "The stay starts on %s and ends on %s.",

	formulaTitle:   "3. Formula and contribution",
	formula:        "Formula",
	formulaUnknown: "as agreed between the parties",
	noContribution: "No financial contribution is asked.",
	contribution:   "Monthly contribution to expenses",

	presenceTitle: "4. Presence and services",
	evenings: func(n int) string {
		if n <= 0 {
			return "No evening presence is agreed."
		}
		return "Agreed presence: " + plural(n, "evening", "evenings") + " a week."
	},
	hours: func(n int) string {
		if n <= 0 {
			return "No time for services is agreed."
		}
		return "Small services: at most " + plural(n, "hour", "hours") + " a week."
	},
	servicesAgreed: "Agreed services",
	noServices:     "No particular service is agreed.",
	notAJob:        "These services are mutual help, not a job: no personal care, no cleaning as work.",
	services: map[string]string{
		"COMPANY":       "company",
		"SHOPPING":      "shopping",
		"MEALS":         "shared meals",
		"DIGITAL_HELP":  "help with digital tools",
		"ERRANDS":       "errands",
		"GARDENING":     "gardening",
		"SMALL_REPAIRS": "small repairs",
	},

	rulesTitle:  "5. House rules",
	noticeTitle: "6. Notice and trial period",
	legalNotice: "Either party may end the agreement before its end date, in writing, with one calendar month's notice (article L631-17): notice given on 15 March takes effect on 15 April at the earliest.",
	trial:       "A trial period of %s runs from the start of the stay; during it, either party may end the agreement with a notice of %s.",
	noTrial:     "There is no trial period.",
	noticeGiven: "Notice given on %s by %s, taking effect on %s. Reason: %s",
	days:        func(n int) string { return plural(n, "day", "days") },
	requesters: map[contract.Party]string{
		contract.PartyHost:    "the host",
		contract.PartyStudent: "the student",
		"":                    "the association",
	},

	hostDutiesTitle:        "7. The host's duties",
	studentDutiesTitle:     "8. The student's duties",
	associationDutiesTitle: "9. The association's duties",
	associationDuties: `Follow both parties throughout the stay: regular visits and calls, at their request or on its own initiative.
Be reachable when a difficulty arises and offer mediation in case of disagreement.
Keep the parties' personal data only for the programme's needs.`,
	inventoryTitle: "10. Entry inventory",

	signaturesTitle:       "11. Signatures",
	copies:                "Made in as many originals as there are signatories, one for each.",
	forAssociation:        "For the association",
	placeDate:             "Signed at ___________________, on ___ / ___ / ______",
	readApproved:          "Signature, preceded by the words “read and approved”:",
	signed:                "Signed %s on %s",
	recordedByCoordinator: "signature collected and recorded by the association",
	methods: map[contract.Method]string{
		contract.MethodElectronic: "electronically",
		contract.MethodPaper:      "on paper",
		contract.MethodInPerson:   "in person, before the association",
	},

	footer:     "Agreement %s — page %d/{nb}",
	dateFmt:    "02/01/2006",
	instantFmt: "02/01/2006 at 15:04",
}

func wordsFor(lang string) words {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(lang)), "en") {
		return english
	}
	return french
}

func (w words) day(d date.Date) string {
	if d.IsZero() {
		return "____ / ____ / ________"
	}
	return d.Time().Format(w.dateFmt)
}

func (w words) instant(t time.Time) string {
	if t.IsZero() {
		return "____ / ____ / ________"
	}
	return t.In(paris).Format(w.instantFmt)
}

func (w words) serviceList(svcs []string) string {
	labels := make([]string, 0, len(svcs))
	for _, s := range svcs {
		if l, ok := w.services[s]; ok {
			labels = append(labels, l)
		} else {
			labels = append(labels, strings.ToLower(strings.ReplaceAll(s, "_", " ")))
		}
	}
	return strings.Join(labels, ", ")
}

func (w words) areaOf(m2 float64) string {
	if m2 <= 0 {
		return "…… m²"
	}
	s := strconv.FormatFloat(m2, 'f', -1, 64)
	if w.fr {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " m²"
}

func (w words) money(cents int) string {
	if w.fr {
		return contract.Euros(cents)
	}
	return fmt.Sprintf("€%d.%02d", cents/100, cents%100)
}
