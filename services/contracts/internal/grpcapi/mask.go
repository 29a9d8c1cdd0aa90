package grpcapi

import (
	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/fieldmask"
)

type terms = contract.Terms

// Terms a coordinator may change, by update_mask path (proto names, as grpc-gateway derives
// them from a PATCH body): "terms" replaces them all, "terms.<field>" one of them. Ids,
// parties, status and signatures are changed only by their own methods.
var termsMask = fieldmask.Setters[terms]{
	"terms":                            func(d *terms, s terms) { *d = s },
	"terms.room_title":                 func(d *terms, s terms) { d.RoomTitle = s.RoomTitle },
	"terms.room_area_m2":               func(d *terms, s terms) { d.RoomAreaM2 = s.RoomAreaM2 },
	"terms.shared_spaces":              func(d *terms, s terms) { d.SharedSpaces = s.SharedSpaces },
	"terms.start_date":                 func(d *terms, s terms) { d.StartDate = s.StartDate },
	"terms.end_date":                   func(d *terms, s terms) { d.EndDate = s.EndDate },
	"terms.formula_id":                 func(d *terms, s terms) { d.FormulaID = s.FormulaID },
	"terms.monthly_contribution_cents": func(d *terms, s terms) { d.MonthlyContributionCents = s.MonthlyContributionCents },
	"terms.evenings_per_week":          func(d *terms, s terms) { d.EveningsPerWeek = s.EveningsPerWeek },
	"terms.hours_per_week":             func(d *terms, s terms) { d.HoursPerWeek = s.HoursPerWeek },
	"terms.services":                   func(d *terms, s terms) { d.Services = s.Services },
	"terms.house_rules":                func(d *terms, s terms) { d.HouseRules = s.HouseRules },
	// The notice is the law's: UpdateTerms refuses any other value, naming the field.
	"terms.notice_days":       func(d *terms, s terms) { d.NoticeDays = s.NoticeDays },
	"terms.trial_days":        func(d *terms, s terms) { d.TrialDays = s.TrialDays },
	"terms.trial_notice_days": func(d *terms, s terms) { d.TrialNoticeDays = s.TrialNoticeDays },
	"terms.host_duties":       func(d *terms, s terms) { d.HostDuties = s.HostDuties },
	"terms.student_duties":    func(d *terms, s terms) { d.StudentDuties = s.StudentDuties },
	"terms.entry_inventory":   func(d *terms, s terms) { d.EntryInventory = s.EntryInventory },
}

// ignored are paths a client may echo back from a GET without meaning to change them.
var ignored = map[string]bool{"id": true, "etag": true, "programme_id": true, "status": true, "create_time": true,
	"update_time": true, "match_id": true, "room_id": true, "host_id": true, "student_id": true, "application_id": true,
	"signatures": true, "termination": true, "host_assisted": true, "host_display_name": true,
	"student_display_name": true, "cancel_reason": true}

func termsChange(in *contractsv1.UpdateContractRequest) (func(*contract.Terms) error, error) {
	var v errs.Violations
	change := termsMask.Change(in.GetUpdateMask(), termsFromProto(in.GetContract().GetTerms(), &v), ignored, &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return change, nil
}
