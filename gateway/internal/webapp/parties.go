package webapp

import (
	"net/http"
	"strings"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

// SignatureOf is the signature of party on contract c, or nil.
func SignatureOf(c *contractsv1.Contract, party matchingv1.Party) *contractsv1.Signature {
	for _, s := range c.GetSignatures() {
		if s.GetParty() == party {
			return s
		}
	}
	return nil
}

// Signed reports whether party has signed contract c.
func Signed(c *contractsv1.Contract, party matchingv1.Party) bool {
	return SignatureOf(c, party) != nil
}

// PartyRoutes registers what a host and a student do alike as a party to a match and a
// contract, under her home ("/host", "/student") and for her role: answer a match and sign
// a contract (here), report a problem (incidents.go), upload a document (documents.go).
func (a *App) PartyRoutes(home, role string) {
	party := func(h http.HandlerFunc) http.HandlerFunc { return a.Auth(role, h) }
	a.Post("POST "+home+"/matches/{id}/accept", party(a.answerMatch(true, home)))
	a.Post("POST "+home+"/matches/{id}/decline", party(a.answerMatch(false, home)))
	a.Post("POST "+home+"/contracts/{id}/sign", party(a.signAs(home)))
	a.Handle("GET "+home+"/contracts/{id}/incident", party(a.incidentPage))
	a.Post("POST "+home+"/contracts/{id}/incident", party(a.incidentCreate))
	a.PostFile("POST "+home+"/documents/{id}/upload", party(a.DocumentUpload(home)))
}

// answerMatch records the signed-in host's or student's yes or no (the party is implied by
// the token).
func (a *App) answerMatch(accept bool, back string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.Call(r)
		defer cancel()
		id := r.PathValue("id")
		var err error
		if accept {
			_, err = a.Svc.Matching.AcceptMatch(ctx, &matchingv1.AcceptMatchRequest{Id: id})
			a.AfterAction(w, r, err, "match.accepted", back)
			return
		}
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		if reason == "" {
			SetFlash(w, r, Flash{Kind: "error", Key: "match.decline.needReason"})
			Redirect(w, r, LocalPath(r.PostFormValue("next"), back))
			return
		}
		_, err = a.Svc.Matching.DeclineMatch(ctx, &matchingv1.DeclineMatchRequest{Id: id, Reason: reason})
		a.AfterAction(w, r, err, "match.declined", back)
	}
}

// signAs records the signed-in host's or student's own electronic signature (the party is
// implied by the token).
func (a *App) signAs(back string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.Call(r)
		defer cancel()
		_, err := a.Svc.Contracts.SignContract(ctx, &contractsv1.SignContractRequest{
			Id: r.PathValue("id"), Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC,
		})
		a.AfterAction(w, r, err, "contract.signed", back)
	}
}
