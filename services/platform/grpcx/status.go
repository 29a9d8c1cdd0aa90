package grpcx

import (
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"
)

// Reason returns the ErrorInfo reason a status error carries (what StatusOf puts there, e.g.
// "HOST_NOT_FOUND"), or "" when err carries none. Clients and tests branch on it rather than
// on messages.
func Reason(err error) string {
	s, _ := status.FromError(err)
	for _, d := range s.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetReason()
		}
	}
	return ""
}

// FieldViolations returns the BadRequest field violations a status error carries, as field
// (lowerCamelCase, dotted for nesting) to description; a field violated more than once has its
// descriptions joined by "; ". It is empty, never nil, when err carries none.
func FieldViolations(err error) map[string]string {
	out := map[string]string{}
	s, _ := status.FromError(err)
	for _, d := range s.Details() {
		br, ok := d.(*errdetails.BadRequest)
		if !ok {
			continue
		}
		for _, v := range br.GetFieldViolations() {
			if prev, ok := out[v.GetField()]; ok {
				out[v.GetField()] = prev + "; " + v.GetDescription()
				continue
			}
			out[v.GetField()] = v.GetDescription()
		}
	}
	return out
}
