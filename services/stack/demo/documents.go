package demo

import (
	"context"
	"fmt"
)

// verifyDocuments has the coordinator verify, as seen in person, every document the desk asks
// of the match's host and student (SPEC §6: no approval before), once the desk has created
// them from the registrations' events.
func (s *seeder) verifyDocuments(ctx context.Context, matchID string) error {
	var m struct {
		HostID    string `json:"hostId"`
		StudentID string `json:"studentId"`
	}
	if err := s.coord.get(ctx, "/v1/matches/"+matchID, &m); err != nil {
		return fmt.Errorf("read the match: %w", err)
	}
	for _, owner := range []string{m.HostID, m.StudentID} {
		var docs struct {
			Documents []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"documents"`
		}
		if err := eventually(ctx, s.o.Wait, func() error {
			if err := s.coord.get(ctx, "/v1/documents?ownerId="+owner, &docs); err != nil {
				return err
			}
			if len(docs.Documents) == 0 {
				return errNotYet
			}
			return nil
		}); err != nil {
			return fmt.Errorf("the documents of %s: %w", owner, err)
		}
		for _, d := range docs.Documents {
			if d.Status == "DOCUMENT_STATUS_VERIFIED" {
				continue
			}
			if err := s.coord.post(ctx, "/v1/documents/"+d.ID+":verify", map[string]any{"seenInPerson": true}, nil); err != nil {
				return fmt.Errorf("verify document %s: %w", d.ID, err)
			}
		}
	}
	return nil
}
