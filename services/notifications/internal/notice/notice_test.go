package notice

import (
	"testing"
	"time"
)

func TestChannels(t *testing.T) {
	t.Parallel()
	on := DefaultSettings()
	emailOff := Settings{Email: false, SMS: true, Language: French}
	cases := []struct {
		name     string
		reach    Reach
		settings Settings
		provider bool
		want     []Plan
	}{
		{"email only", Reach{HasEmail: true}, on, false, []Plan{{Channel: Email}}},
		{"email and phone, no provider", Reach{HasEmail: true, HasPhone: true}, on, false,
			[]Plan{{Channel: Email}, {Channel: SMS, Skip: SkipNoProvider}}},
		{"email and phone, provider", Reach{HasEmail: true, HasPhone: true}, on, true, []Plan{{Channel: Email}, {Channel: SMS}}},
		{"email turned off", Reach{HasEmail: true}, emailOff, true, []Plan{{Channel: Email, Skip: SkipEmailOff}}},
		{"sms turned off", Reach{HasPhone: true}, Settings{Email: true, Language: French}, true, []Plan{{Channel: SMS, Skip: SkipSMSOff}}},
		{"neither email nor phone", Reach{}, on, true, []Plan{{Channel: Call}}},
		{"assisted host with email", Reach{HasEmail: true, HasPhone: true, Assisted: true}, on, true, []Plan{{Channel: Call}}},
	}
	for _, c := range cases {
		got := Channels(c.reach, c.settings, c.provider)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			}
		}
	}
}

func TestMessageIDStable(t *testing.T) {
	t.Parallel()
	a := MessageID("e1", "r1", Email)
	if a != MessageID("e1", "r1", Email) {
		t.Fatal("not stable")
	}
	if a == MessageID("e1", "r1", SMS) || a == MessageID("e1", "r2", Email) || a == MessageID("e2", "r1", Email) {
		t.Fatal("not distinct")
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	base := 30 * time.Second
	for n, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 20: time.Hour} {
		if got := Backoff(base, n); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestCheckLanguage(t *testing.T) {
	t.Parallel()
	if CheckLanguage("fr") != nil || CheckLanguage("en") != nil || CheckLanguage("de") == nil || CheckLanguage("") == nil {
		t.Fatal("fr and en only")
	}
}
