package contract

import (
	"strconv"
	"strings"
)

// Settings are the programme settings a draft takes its trial period and the trial's notice
// from; zero values mean the defaults. The notice outside the trial is the law's calendar
// month: no setting changes it (a programme's notice_days is ignored).
type Settings struct {
	TrialDays       int
	TrialNoticeDays int
}

// Periods returns the trial period and its notice, in days, with the defaults filled in; the
// trial's notice stays shorter than the shortest month.
func (s Settings) Periods() (trial, trialNotice int) {
	trial = s.TrialDays
	if trial <= 0 {
		trial = DefaultTrialDays
	}
	trialNotice = s.TrialNoticeDays
	if trialNotice <= 0 {
		trialNotice = DefaultTrialNoticeDays
	}
	return trial, min(trialNotice, MinMonthDays)
}

// Default texts of a draft, in the spirit of the charter of the arrêté of 13 January 2020.
// The coordinator adapts them with both parties before sending the contract.
const (
	DefaultHouseRules = `Respect mutuel : chacun respecte la vie privée, les convictions et le rythme de l'autre.
Calme : pas de bruit entre 22 h et 7 h ; la musique et les appels se font à volume modéré.
Visites : les visites de l'étudiant se font en journée et après accord de l'hôte ; aucune personne extérieure ne dort au logement sans l'accord de l'hôte.
Espaces partagés : la cuisine, la salle de bain et les pièces communes sont laissées propres et rangées après usage.
Tabac et alcool : pas de tabac à l'intérieur du logement ; pas d'abus d'alcool.
Absences : chacun prévient l'autre de ses absences de plus d'une nuit.
Clés : l'étudiant ne confie ses clés à personne.`

	DefaultHostDuties = `Mettre à disposition une chambre privative meublée (lit, bureau, rangements) et l'accès à la cuisine, à la salle de bain et aux espaces partagés convenus.
Respecter l'intimité de l'étudiant et ne pas entrer dans sa chambre sans son accord.
Informer l'association de toute difficulté.
Ne demander à l'étudiant aucun soin à la personne, aucune tâche ménagère à titre de travail, ni aucune tâche qui relèverait d'un emploi.`

	DefaultStudentDuties = `Assurer la présence et les petits services convenus à l'article 4 de la convention, dans un esprit d'entraide et non de travail.
Respecter le logement, le rythme et la tranquillité de l'hôte.
Verser la contribution convenue aux dates prévues.
Souscrire une assurance responsabilité civile.
Prévenir l'hôte et l'association en cas d'absence prolongée ou de difficulté.
Ne pas exercer de soins à la personne ni de ménage à titre professionnel : ce ne sont pas des services de cohabitation.`
)

// Euros formats cents the French way: "150,00 €", "1 234,50 €" (no-break spaces between
// thousands, no-break space before the sign).
func Euros(cents int) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	units := strconv.Itoa(cents / 100)
	var b strings.Builder
	if neg {
		b.WriteString("-")
	}
	for i, r := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteRune('\u00a0')
		}
		b.WriteRune(r)
	}
	frac := cents % 100
	b.WriteString(",")
	if frac < 10 {
		b.WriteString("0")
	}
	b.WriteString(strconv.Itoa(frac))
	b.WriteString("\u00a0€")
	return b.String()
}
