package suggest

import "testing"

func TestClosestFindsMistypedWords(t *testing.T) {
	cmds := []string{"sync", "run", "check", "try", "serve", "status", "demo", "retry", "version", "help", "completion"}
	keys := []string{"localize", "blacklist", "channels", "images", "rules"}
	for _, tc := range []struct {
		word string
		in   []string
		want string
	}{
		{"sycn", cmds, "sync"}, // swapped letters
		{"snyc", cmds, "sync"}, // swapped letters
		{"stauts", cmds, "status"},
		{"chek", cmds, "check"}, // a letter missing
		{"retyr", cmds, "retry"},
		{"verison", cmds, "version"},
		{"localise", keys, "localize"}, // British spelling
		{"chanels", keys, "channels"},
		{"imgaes", keys, "images"},
		{"xyz", cmds, ""},    // nothing near
		{"deploy", cmds, ""}, // too far from demo
		{"", cmds, ""},
	} {
		if got := Closest(tc.word, tc.in); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
}

func TestDistanceCountsEdits(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"sycn", "sync", 1}, {"看大陆", "看大陸", 1}, {"ab", "ba", 1},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
	}
}
