// Package agenda words what needs a coordinator (SPEC §6): each item's title in French or
// English (never a name: the same words go into the calendar feed), its stable id, and its
// link in the web application; and the summaries of a timeline's life events. No I/O.
package agenda

import (
	"strings"
)

// Item kinds, as AGENDA_ITEM_KIND_ less its prefix.
const (
	Checkin           = "CHECKIN"
	Meeting           = "MEETING"
	ProposalWaiting   = "PROPOSAL_WAITING"
	SignaturesWaiting = "SIGNATURES_WAITING"
	DocumentMissing   = "DOCUMENT_MISSING"
	DocumentExpiring  = "DOCUMENT_EXPIRING"
	ContractEnding    = "CONTRACT_ENDING"
	Call              = "CALL"
)

// Language picks "en" or the default, "fr".
func Language(s string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "en") {
		return "en"
	}
	return "fr"
}

var titles = map[string][2]string{ // fr, en
	Checkin:           {"Visite de suivi à faire", "Follow-up check-in due"},
	Meeting:           {"Rencontre prévue entre l'hôte et l'étudiant", "Meeting between host and student"},
	ProposalWaiting:   {"Proposition sans réponse depuis 3 jours", "Proposal unanswered for 3 days"},
	SignaturesWaiting: {"Convention en attente de signatures", "Contract awaiting signatures"},
	DocumentMissing:   {"Document à recueillir", "Document to collect"},
	DocumentExpiring:  {"Document qui expire", "Document expiring"},
	ContractEnding:    {"Fin de séjour", "Stay ending"},
	Call:              {"Personne à appeler", "Person to phone"},
}

var kinds = map[string][2]string{
	"IDENTITY":            {"pièce d'identité", "identity document"},
	"PROOF_OF_SITUATION":  {"justificatif d'études ou d'emploi", "proof of studies or work"},
	"HOME_INSURANCE":      {"assurance habitation", "home insurance"},
	"LIABILITY_INSURANCE": {"assurance responsabilité civile", "liability insurance"},
	"LANDLORD_NOTICE":     {"information du bailleur", "notice to the landlord"},
	"REFERENCE":           {"référence", "reference"},
	"OTHER":               {"autre document", "other document"},
}

var parties = map[string][2]string{
	"HOST":    {"hôte", "host"},
	"STUDENT": {"étudiant", "student"},
}

func pick(m map[string][2]string, key, lang string) string {
	w, ok := m[key]
	if !ok {
		return strings.ToLower(strings.ReplaceAll(key, "_", " "))
	}
	if lang == "en" {
		return w[1]
	}
	return w[0]
}

// Title words an item: what it is, for which side, and for a document which one. detail is
// the document's kind, the check-in's or contract's status, or the call's topic.
func Title(kind, subjectType, detail, lang string) string {
	t := pick(titles, kind, lang)
	switch kind {
	case DocumentMissing, DocumentExpiring:
		return t + " : " + pick(kinds, detail, lang) + " (" + pick(parties, subjectType, lang) + ")"
	case Checkin:
		if detail == "MISSED" {
			if lang == "en" {
				return "Follow-up check-in missed: to do late"
			}
			return "Visite de suivi manquée : à faire en retard"
		}
	case ContractEnding:
		if detail == "NOTICE_GIVEN" {
			if lang == "en" {
				return "Notice takes effect: stay ending"
			}
			return "Préavis qui prend effet : fin de séjour"
		}
	case Call:
		return t + " (" + pick(parties, subjectType, lang) + ")"
	}
	if lang == "en" {
		return strings.Replace(t, " : ", ": ", 1)
	}
	return t
}

// Link is the web application's page to act on an item's subject.
func Link(subjectType, subjectID string) string {
	switch subjectType {
	case "HOST":
		return "/coordinator/hosts/" + subjectID
	case "STUDENT":
		return "/coordinator/students/" + subjectID
	case "MATCH":
		return "/coordinator/matches/" + subjectID
	case "CONTRACT":
		return "/coordinator/contracts/" + subjectID
	}
	return "/coordinator"
}

// ID is an item's stable id: the same item keeps it from one reading to the next (the feed's
// UID), and a new item of the same record gets another.
func ID(kind, itemID string) string {
	return strings.ToLower(kind) + "-" + itemID
}

var events = map[string][2]string{
	"HOST_REGISTERED":     {"Inscription", "Registered"},
	"HOST_VERIFIED":       {"Profil vérifié", "Verified"},
	"HOST_SUSPENDED":      {"Suspendu", "Suspended"},
	"HOST_REINSTATED":     {"Rétabli", "Reinstated"},
	"HOST_ARCHIVED":       {"Archivé", "Archived"},
	"STUDENT_REGISTERED":  {"Inscription", "Registered"},
	"STUDENT_VERIFIED":    {"Profil vérifié", "Verified"},
	"STUDENT_PLACED":      {"Séjour commencé", "Placed"},
	"STUDENT_RELEASED":    {"Séjour terminé", "Stay over"},
	"STUDENT_ARCHIVED":    {"Archivé", "Archived"},
	"DOCUMENT_REQUESTED":  {"Document demandé", "Document requested"},
	"DOCUMENT_RECEIVED":   {"Document reçu", "Document received"},
	"DOCUMENT_VERIFIED":   {"Document vérifié", "Document verified"},
	"DOCUMENT_REJECTED":   {"Document refusé", "Document rejected"},
	"DOCUMENT_EXPIRED":    {"Document expiré", "Document expired"},
	"MATCH_PROPOSED":      {"Mise en relation proposée", "Match proposed"},
	"MATCH_MEETING":       {"Rencontre fixée", "Meeting scheduled"},
	"MATCH_ACCEPTED":      {"Acceptée par les deux", "Accepted by both"},
	"MATCH_DECLINED":      {"Refusée", "Declined"},
	"MATCH_APPROVED":      {"Approuvée", "Approved"},
	"MATCH_CANCELLED":     {"Annulée", "Cancelled"},
	"MATCH_EXPIRED":       {"Expirée sans réponse", "Expired"},
	"MATCH_COMPLETED":     {"Séjour terminé", "Completed"},
	"CONTRACT_DRAFTED":    {"Convention rédigée", "Contract drafted"},
	"CONTRACT_SENT":       {"Convention envoyée à la signature", "Contract sent for signature"},
	"CONTRACT_REOPENED":   {"Convention rouverte", "Contract reopened"},
	"CONTRACT_SIGNED":     {"Convention signée", "Contract signed"},
	"CONTRACT_ACTIVATED":  {"Convention active", "Contract active"},
	"CONTRACT_NOTICE":     {"Préavis donné", "Notice given"},
	"CONTRACT_TERMINATED": {"Fin anticipée", "Terminated"},
	"CONTRACT_ENDED":      {"Fin du séjour", "Ended"},
	"CONTRACT_RENEWED":    {"Prolongée", "Renewed"},
	"CONTRACT_CANCELLED":  {"Convention annulée", "Contract cancelled"},
	"CHECKIN_SCHEDULED":   {"Visite de suivi planifiée", "Check-in scheduled"},
	"CHECKIN_COMPLETED":   {"Visite de suivi faite", "Check-in done"},
	"CHECKIN_MISSED":      {"Visite de suivi manquée", "Check-in missed"},
	"INCIDENT_REPORTED":   {"Incident signalé", "Incident reported"},
	"INCIDENT_MEDIATED":   {"Incident en médiation", "Incident in mediation"},
	"INCIDENT_RESOLVED":   {"Incident résolu", "Incident resolved"},
}

// EventSummary words a timeline's life event.
func EventSummary(code, lang string) string {
	return pick(events, code, lang)
}
