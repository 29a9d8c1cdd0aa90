package score

import "testing"

// BenchmarkScore: one pair, with its breakdown and reasons in two languages.
func BenchmarkScore(b *testing.B) { benchmarkPair(b, Score, nearlyPerfect) }

// BenchmarkRank: the same pair as BenchmarkScore, points only (what a ranking computes for
// every pair before it explains the page it shows).
func BenchmarkRank(b *testing.B) { benchmarkPair(b, Rank, nearlyPerfect) }

// BenchmarkScoreBroken: a pair that breaks three hard constraints.
func BenchmarkScoreBroken(b *testing.B) { benchmarkPair(b, Score, threeBroken) }

// BenchmarkRankBroken: the pair of BenchmarkScoreBroken, ranked (codes only, no reasons).
func BenchmarkRankBroken(b *testing.B) { benchmarkPair(b, Rank, threeBroken) }

func nearlyPerfect(st *Student) { st.HoursOffered, st.StudyLat = 2, st.StudyLat+0.03 }

func threeBroken(st *Student) { st.Smokes, st.BudgetCents, st.StudyLat = true, 0, st.StudyLat+1 }

// benchmarkPair times eval on the perfect pair with its student changed by change.
func benchmarkPair(b *testing.B, eval func(Room, Student, Weights) Result, change func(*Student)) {
	room, st := perfectPair(b)
	change(&st)
	b.ReportAllocs()
	for b.Loop() {
		eval(room, st, Weights{})
	}
}
