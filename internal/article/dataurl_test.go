package article

import "testing"

func TestContainsDataSchemeFindsAnyCase(t *testing.T) {
	for s, want := range map[string]bool{
		`<img src="data:image/png;base64,AA">`: true,
		`<img src="DaTa:image/png;base64,AA">`: true,
		`data:`:                                true,
		`中文<p>数据:</p> ata: http://x/`:          false,
		`<a href="https://data.example/">`:     false,
		`:`:                                    false,
	} {
		if got := containsDataScheme(s); got != want {
			t.Errorf("containsDataScheme(%q) = %v, want %v", s, got, want)
		}
	}
}
