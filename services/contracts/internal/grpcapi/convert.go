package grpcapi

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/checkin"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/incident"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

func ts(t interface{ IsZero() bool }, p *timestamppb.Timestamp) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return p
}

func partyToProto(p contract.Party) matchingv1.Party {
	return matchingv1.Party(matchingv1.Party_value["PARTY_"+string(p)])
}

func partyFromProto(p matchingv1.Party) contract.Party {
	return contract.Party(protoenum.Name(p, matchingv1.Party_name, "PARTY_"))
}

func methodFromProto(m contractsv1.SignatureMethod) contract.Method {
	return contract.Method(protoenum.Name(m, contractsv1.SignatureMethod_name, "SIGNATURE_METHOD_"))
}

func termsFromProto(t *contractsv1.ContractTerms, v *errs.Violations) contract.Terms {
	svcs := make([]string, 0, len(t.GetServices()))
	for _, s := range t.GetServices() {
		n := protoenum.Name(s, typev1.Service_name, "SERVICE_")
		if n == "" {
			v.Add("terms.services", "SERVICE_UNSPECIFIED is not a service")
			continue
		}
		svcs = append(svcs, n)
	}
	return contract.Terms{
		RoomTitle:                t.GetRoomTitle(),
		RoomAreaM2:               t.GetRoomAreaM2(),
		SharedSpaces:             t.GetSharedSpaces(),
		StartDate:                date.Field(v, "terms.startDate", t.GetStartDate()),
		EndDate:                  date.Field(v, "terms.endDate", t.GetEndDate()),
		FormulaID:                t.GetFormulaId(),
		MonthlyContributionCents: int(t.GetMonthlyContributionCents()),
		EveningsPerWeek:          int(t.GetEveningsPerWeek()),
		HoursPerWeek:             int(t.GetHoursPerWeek()),
		Services:                 svcs,
		HouseRules:               t.GetHouseRules(),
		NoticeDays:               int(t.GetNoticeDays()),
		TrialDays:                int(t.GetTrialDays()),
		TrialNoticeDays:          int(t.GetTrialNoticeDays()),
		HostDuties:               t.GetHostDuties(),
		StudentDuties:            t.GetStudentDuties(),
		EntryInventory:           t.GetEntryInventory(),
	}
}

func termsToProto(t contract.Terms) *contractsv1.ContractTerms {
	out := &contractsv1.ContractTerms{
		RoomTitle:                t.RoomTitle,
		RoomAreaM2:               t.RoomAreaM2,
		SharedSpaces:             t.SharedSpaces,
		StartDate:                t.StartDate.String(),
		EndDate:                  t.EndDate.String(),
		FormulaId:                t.FormulaID,
		MonthlyContributionCents: int32(t.MonthlyContributionCents),
		EveningsPerWeek:          int32(t.EveningsPerWeek),
		HoursPerWeek:             int32(t.HoursPerWeek),
		HouseRules:               t.HouseRules,
		NoticeDays:               int32(t.NoticeDays),
		TrialDays:                int32(t.TrialDays),
		TrialNoticeDays:          int32(t.TrialNoticeDays),
		HostDuties:               t.HostDuties,
		StudentDuties:            t.StudentDuties,
		EntryInventory:           t.EntryInventory,
		NoticeMonths:             contract.LegalNoticeMonths,
	}
	for _, s := range t.Services {
		out.Services = append(out.Services, typev1.Service(typev1.Service_value["SERVICE_"+s]))
	}
	return out
}

func contractToProto(v postgres.View) *contractsv1.Contract {
	c := v.Contract
	r := c.Record()
	out := &contractsv1.Contract{
		Id:                 r.ID,
		ProgrammeId:        r.ProgrammeID,
		MatchId:            r.MatchID,
		RoomId:             r.RoomID,
		HostId:             r.HostID,
		StudentId:          r.StudentID,
		ApplicationId:      r.ApplicationID,
		Status:             contractsv1.ContractStatus(contractsv1.ContractStatus_value["CONTRACT_STATUS_"+string(r.Status)]),
		Terms:              termsToProto(r.Terms),
		HostAssisted:       r.HostAssisted,
		HostDisplayName:    v.Parties.HostName,
		StudentDisplayName: v.Parties.StudentName,
		CancelReason:       r.CancelReason,
		Etag:               c.Etag(),
		CreateTime:         timestamppb.New(r.CreatedAt),
		UpdateTime:         timestamppb.New(r.UpdatedAt),
		RoomAvailableFrom:  r.Room.From.String(),
		RoomAvailableUntil: r.Room.Until.String(),
	}
	for _, s := range r.Signatures {
		out.Signatures = append(out.Signatures, &contractsv1.Signature{
			Party:             partyToProto(s.Party),
			Method:            contractsv1.SignatureMethod(contractsv1.SignatureMethod_value["SIGNATURE_METHOD_"+string(s.Method)]),
			SignedByAccountId: s.SignedBy,
			OnBehalf:          s.OnBehalf,
			SignTime:          timestamppb.New(s.At),
		})
	}
	if n := r.Termination; n != nil {
		out.Termination = &contractsv1.Termination{
			RequestedByParty:     partyToProto(n.Party),
			RequestedByAccountId: n.AccountID,
			Reason:               n.Reason,
			EffectiveDate:        n.EffectiveDate.String(),
			NoticeTime:           timestamppb.New(n.NoticeAt),
			ReasonCategory:       contractsv1.TerminationReason(contractsv1.TerminationReason_value["TERMINATION_REASON_"+n.Category]),
		}
	}
	return out
}

func contractStatusFromProto(s contractsv1.ContractStatus) contract.Status {
	return contract.Status(protoenum.Name(s, contractsv1.ContractStatus_name, "CONTRACT_STATUS_"))
}

func checkinToProto(v postgres.CheckinView) *contractsv1.Checkin {
	ch := v.Checkin
	r := ch.Record()
	return &contractsv1.Checkin{
		Id:                   r.ID,
		ProgrammeId:          r.ProgrammeID,
		ContractId:           r.ContractID,
		Status:               contractsv1.CheckinStatus(contractsv1.CheckinStatus_value["CHECKIN_STATUS_"+string(r.Status)]),
		DueDate:              r.DueDate.String(),
		DoneTime:             ts(r.DoneAt, timestamppb.New(r.DoneAt)),
		Method:               contractsv1.CheckinMethod(contractsv1.CheckinMethod_value["CHECKIN_METHOD_"+string(r.Method)]),
		HostWellbeing:        int32(r.HostWellbeing),
		StudentWellbeing:     int32(r.StudentWellbeing),
		Notes:                r.Notes,
		Concern:              r.Concern,
		Late:                 r.Late,
		CompletedByAccountId: r.CompletedBy,
		HostDisplayName:      v.HostName,
		StudentDisplayName:   v.StudentName,
		Etag:                 ch.Etag(),
		CreateTime:           timestamppb.New(r.CreatedAt),
		UpdateTime:           timestamppb.New(r.UpdatedAt),
	}
}

func checkinStatusFromProto(s contractsv1.CheckinStatus) checkin.Status {
	return checkin.Status(protoenum.Name(s, contractsv1.CheckinStatus_name, "CHECKIN_STATUS_"))
}

func incidentToProto(i *incident.Incident) *contractsv1.Incident {
	r := i.Record()
	return &contractsv1.Incident{
		Id:                  r.ID,
		ProgrammeId:         r.ProgrammeID,
		ContractId:          r.ContractID,
		Status:              contractsv1.IncidentStatus(contractsv1.IncidentStatus_value["INCIDENT_STATUS_"+string(r.Status)]),
		Severity:            contractsv1.Severity(contractsv1.Severity_value["SEVERITY_"+string(r.Severity)]),
		Category:            r.Category,
		Description:         r.Description,
		ReportedByParty:     partyToProto(contract.Party(r.Reporter.Party)),
		ReportedByAccountId: r.Reporter.AccountID,
		Resolution:          r.Resolution,
		Etag:                i.Etag(),
		CreateTime:          timestamppb.New(r.CreatedAt),
		UpdateTime:          timestamppb.New(r.UpdatedAt),
	}
}

func incidentStatusFromProto(s contractsv1.IncidentStatus) incident.Status {
	return incident.Status(protoenum.Name(s, contractsv1.IncidentStatus_name, "INCIDENT_STATUS_"))
}

// terminationCategory is the domain's category of a termination reason ("" when unset).
func terminationCategory(r contractsv1.TerminationReason) string {
	return protoenum.Name(r, contractsv1.TerminationReason_name, "TERMINATION_REASON_")
}
