package account

import "time"

// Revocation ends sessions before their tokens expire: one session (SessionID, a sign-out),
// or every token of AccountID signed up to At (a coordinator or an admin ended them). Until
// is when every token concerned has expired anyway.
type Revocation struct {
	AccountID   string
	ProgrammeID string
	SessionID   string
	At          time.Time
	Until       time.Time
}
