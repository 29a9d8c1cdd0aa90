package service

import (
	"maps"

	"github.com/cohabit/cohabit/services/identity/internal/auditlog"
	"github.com/cohabit/cohabit/services/platform/grpcx"
)

// withAudit adds the audit trail's methods (auditlog.Policy) to the identity service's.
func withAudit(p grpcx.Policy) grpcx.Policy {
	out := maps.Clone(p)
	maps.Copy(out, auditlog.Policy)
	return out
}
