package coordinator

import (
	"testing"
)

func TestPairsOf(t *testing.T) {
	t.Parallel()
	got := pairsOf([]string{"r-1~s-1", "r-1~s-1", "junk", "~s-2", "r-2~", "r-3~s-3"})
	if len(got) != 2 || got[0].GetRoomId() != "r-1" || got[1].GetStudentId() != "s-3" {
		t.Errorf("pairs: %v", got)
	}
}
