package service_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"

	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

// BenchmarkListCandidates ranks a programme's pool for one room over gRPC, as the API and
// the coordinator's page do: 500 submitted applications around Lyon, pages of 20, each
// candidate with its breakdown. Real PostgreSQL and NATS (the pool follows events).
func BenchmarkListCandidates(b *testing.B) {
	e := start(b)
	h := hostProfile("")
	room := roomProfile(h)
	e.publishRoom(b, h, room)
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 500
	for i := range n {
		s := studentProfile(uuid.NewString())
		s.StudyLat, s.StudyLng = 45.70+rng.Float64()*0.12, 4.78+rng.Float64()*0.14
		s.DisplayName = fmt.Sprintf("Étudiant %d", i)
		a := applicationProfile(s)
		a.BudgetCents = int32(15000 + rng.IntN(10000))
		e.submit(b, s, a)
	}
	// Every student fits this room (budget, dates, 10 km): the pool is complete when the
	// ranking, page after page, counts them all.
	eventually(b, "the pool", func() error {
		count, token := 0, ""
		for {
			res, err := e.client.ListCandidates(e.coord, &matchingv1.ListCandidatesRequest{RoomId: room.GetRoomId(), PageSize: 100, PageToken: token})
			if err != nil {
				return err
			}
			count += len(res.GetCandidates())
			if token = res.GetNextPageToken(); token == "" {
				break
			}
		}
		if count < n {
			return fmt.Errorf("%d candidates so far", count)
		}
		return nil
	})
	req := &matchingv1.ListCandidatesRequest{RoomId: room.GetRoomId(), PageSize: 20}
	for b.Loop() {
		if _, err := e.client.ListCandidates(e.coord, req); err != nil {
			b.Fatal(err)
		}
	}
}
