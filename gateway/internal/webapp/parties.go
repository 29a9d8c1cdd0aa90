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

// AnswerMatch records the signed-in host's or student's yes or no (the party is implied by
// the token).
func (a *App) AnswerMatch(accept bool, back string) http.HandlerFunc {
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

// SignAs records the signed-in host's or student's own electronic signature (the party is
// implied by the token).
func (a *App) SignAs(back string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.Call(r)
		defer cancel()
		_, err := a.Svc.Contracts.SignContract(ctx, &contractsv1.SignContractRequest{
			Id: r.PathValue("id"), Method: contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC,
		})
		a.AfterAction(w, r, err, "contract.signed", back)
	}
}
