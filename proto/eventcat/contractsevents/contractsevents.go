// Package contractsevents is the catalogue of the contracts service's events: its stream, and each
// subject with its payload type (docs/events.md says who follows each and why).
package contractsevents

import (
	"github.com/cohabit/cohabit/proto/eventcat"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
)

// Stream holds every subject under cohabit.contracts.>.
var Stream = eventcat.NewStream("CONTRACTS", "contracts")

// The events, named <Record><Fact>.
var (
	ContractDrafted     = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.drafted")
	ContractSent        = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.sent")
	ContractReopened    = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.reopened")
	ContractSigned      = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.signed")
	ContractActivated   = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.activated")
	ContractNoticeGiven = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.notice_given")
	ContractTerminated  = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.terminated")
	ContractEnded       = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.ended")
	ContractRenewed     = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.renewed")
	ContractCancelled   = eventcat.Define[*contractseventsv1.ContractChanged](Stream, "cohabit.contracts.contract.cancelled")
	CheckinScheduled    = eventcat.Define[*contractseventsv1.CheckinChanged](Stream, "cohabit.contracts.checkin.scheduled")
	CheckinCompleted    = eventcat.Define[*contractseventsv1.CheckinChanged](Stream, "cohabit.contracts.checkin.completed")
	CheckinMissed       = eventcat.Define[*contractseventsv1.CheckinChanged](Stream, "cohabit.contracts.checkin.missed")
	CheckinCancelled    = eventcat.Define[*contractseventsv1.CheckinChanged](Stream, "cohabit.contracts.checkin.cancelled")
	IncidentReported    = eventcat.Define[*contractseventsv1.IncidentChanged](Stream, "cohabit.contracts.incident.reported")
	IncidentMediated    = eventcat.Define[*contractseventsv1.IncidentChanged](Stream, "cohabit.contracts.incident.mediated")
	IncidentResolved    = eventcat.Define[*contractseventsv1.IncidentChanged](Stream, "cohabit.contracts.incident.resolved")
	// AuditRecorded: a coordinator or an admin read or changed data naming people, through
	// one of the contracts service's methods (platform/audit).
	AuditRecorded = eventcat.Define[*eventsv1.AuditRecorded](Stream, "cohabit.contracts.audit.recorded")
)

// Events lists every event of the stream.
func Events() []eventcat.Entry {
	return []eventcat.Entry{ContractDrafted, ContractSent, ContractReopened, ContractSigned, ContractActivated, ContractNoticeGiven, ContractTerminated, ContractEnded, ContractRenewed, ContractCancelled, CheckinScheduled, CheckinCompleted, CheckinMissed, CheckinCancelled, IncidentReported, IncidentMediated, IncidentResolved, AuditRecorded}
}
