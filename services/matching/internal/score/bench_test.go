package score

import "testing"

// BenchmarkScore: one pair, with its breakdown and reasons in two languages.
func BenchmarkScore(b *testing.B) {
	room, st := perfectPair(b)
	st.HoursOffered, st.StudyLat = 2, st.StudyLat+0.03
	b.ReportAllocs()
	for b.Loop() {
		Score(room, st, Weights{})
	}
}

// BenchmarkRank: the same pair as BenchmarkScore, points only (what a ranking computes for
// every pair before it explains the page it shows).
func BenchmarkRank(b *testing.B) {
	room, st := perfectPair(b)
	st.HoursOffered, st.StudyLat = 2, st.StudyLat+0.03
	b.ReportAllocs()
	for b.Loop() {
		Rank(room, st, Weights{})
	}
}

// BenchmarkScoreBroken: a pair that breaks three hard constraints.
func BenchmarkScoreBroken(b *testing.B) {
	room, st := perfectPair(b)
	st.Smokes, st.BudgetCents, st.StudyLat = true, 0, st.StudyLat+1
	b.ReportAllocs()
	for b.Loop() {
		Score(room, st, Weights{})
	}
}

// BenchmarkRankBroken: the pair of BenchmarkScoreBroken, ranked (codes only, no reasons).
func BenchmarkRankBroken(b *testing.B) {
	room, st := perfectPair(b)
	st.Smokes, st.BudgetCents, st.StudyLat = true, 0, st.StudyLat+1
	b.ReportAllocs()
	for b.Loop() {
		Rank(room, st, Weights{})
	}
}
