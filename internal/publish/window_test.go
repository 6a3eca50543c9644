package publish_test

import (
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

func TestWindowReadsAnAgeOrANumberOfCommits(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		in   string
		want publish.Window
		text string
	}{
		{"", publish.Window{}, "full"},
		{"0", publish.Window{}, "full"},
		{"full", publish.Window{}, "full"},
		{"90d", publish.Window{Age: 90 * day}, "90d"},
		{" 12W ", publish.Window{Age: 84 * day}, "84d"},
		{"2160h", publish.Window{Age: 90 * day}, "90d"},
		{"36h", publish.Window{Age: 36 * time.Hour}, "36h0m0s"},
		{"500", publish.Window{Commits: 500}, "500 commits"},
		{"500 commits", publish.Window{Commits: 500}, "500 commits"},
	}
	for _, tt := range tests {
		var w publish.Window
		if err := w.UnmarshalText([]byte(tt.in)); err != nil || w != tt.want || w.String() != tt.text {
			t.Errorf("%q: %+v %q, %v; want %+v %q", tt.in, w, w.String(), err, tt.want, tt.text)
		}
	}
	for _, bad := range []string{"90 days", "-5", "d", "1.5d", "x commits", "-3h"} {
		var w publish.Window
		if err := w.UnmarshalText([]byte(bad)); err == nil || !strings.Contains(err.Error(), "want an age such as 90d") {
			t.Errorf("%q: %+v, %v; want an error", bad, w, err)
		}
	}
}
