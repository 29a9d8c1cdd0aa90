package app

import (
	"slices"
	"testing"
)

type ranked struct {
	points int
	id     string
}

func keyOf(r ranked) rankKey { return rankKey{r.points, r.id} }

func idsOf(rs []ranked) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.id)
	}
	return out
}

func TestRankPageWalksTheRankingOnce(t *testing.T) {
	all := []ranked{{900, "a"}, {800, "b"}, {800, "c"}, {700, "d"}, {100, "e"}}
	var got []string
	token := ""
	for pages := 0; pages < 10; pages++ {
		page, next, err := rankPage(all, 2, token, keyOf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, idsOf(page)...)
		if next == "" {
			break
		}
		token = next
	}
	if want := []string{"a", "b", "c", "d", "e"}; !slices.Equal(got, want) {
		t.Fatalf("walked %v, want %v", got, want)
	}
	// A full last page says there is no next one.
	if _, next, _ := rankPage(all, 5, "", keyOf); next != "" {
		t.Errorf("next token %q after the whole ranking", next)
	}
}

// Between two pages the pool moves: a newcomer ranked above the cursor is not shown again
// on the next page, the cursor's own item may be gone, and nothing is shown twice.
func TestRankPageAfterThePoolMoved(t *testing.T) {
	before := []ranked{{900, "a"}, {800, "b"}, {800, "c"}, {700, "d"}}
	first, next, err := rankPage(before, 2, "", keyOf)
	if err != nil || !slices.Equal(idsOf(first), []string{"a", "b"}) {
		t.Fatalf("first page %v %v", idsOf(first), err)
	}
	after := []ranked{{950, "z"}, {900, "a"}, {800, "c"}, {750, "y"}, {700, "d"}} // z and y came, b left
	second, _, err := rankPage(after, 2, next, keyOf)
	if err != nil || !slices.Equal(idsOf(second), []string{"c", "y"}) {
		t.Fatalf("second page %v %v, want [c y]", idsOf(second), err)
	}
}

func TestRankPageRefusesForeignTokens(t *testing.T) {
	for _, tok := range []string{"not-a-token", rankKey{1, ""}.token(), "bm90OmEgbnVtYmVy"} {
		if _, _, err := rankPage([]ranked{{1, "a"}}, 1, tok, keyOf); err != errBadRankToken {
			t.Errorf("token %q: %v", tok, err)
		}
	}
}
