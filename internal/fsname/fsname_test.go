package fsname_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/fsname"
)

func TestCheckRefusesNamesSomeCloneCannotCheckOut(t *testing.T) {
	for _, name := range []string{
		"", ".", "..", strings.Repeat("新", 86), "a\xffb", "cafe\u0301", "a\nb", "a\x00b",
		"a/b", `a\b`, "a:b", "a*b", "a?b", `a"b`, "a<b", "a>b", "a|b", "name.", "name ",
		"CON", "con.md", "Aux.txt", "NUL", "prn", "COM1", "lpt9.md", "COM\u00b2", "CONIN$",
	} {
		var ne *fsname.NameError
		if err := fsname.Check(name); !errors.As(err, &ne) {
			t.Errorf("Check(%q) = %v, want a *NameError", name, err)
		}
	}
	for _, name := range []string{"a", "994979.md", "S看世界.md", strings.Repeat("新", 85), "console", "COM10", "nul1.md", "caf\u00e9", "a b"} {
		if err := fsname.Check(name); err != nil {
			t.Errorf("Check(%q) = %v, want nil", name, err)
		}
	}
	if err := fsname.CheckStem(strings.Repeat("x", fsname.MaxStemBytes+1)); err == nil {
		t.Error("a stem too long for its QR code's name passed")
	}
}

func TestFitKeepsShortNamesAndShortensLongOnesApart(t *testing.T) {
	if got := fsname.Fit("cafe\u0301", 10); got != "caf\u00e9" {
		t.Errorf("Fit normalises to NFC: got %q", got)
	}
	a := fsname.Fit(strings.Repeat("新", 50)+"甲", 40)
	b := fsname.Fit(strings.Repeat("新", 50)+"乙", 40)
	if a == b || len(a) > 40 || len(b) > 40 || !strings.HasPrefix(a, "新新") {
		t.Errorf("Fit = %q, %q", a, b)
	}
	for _, r := range a {
		if r == '\uFFFD' {
			t.Errorf("Fit cut a letter: %q", a)
		}
	}
}

func TestKeyIsTheSameForCaseAndNormalisationTwins(t *testing.T) {
	for _, twins := range [][2]string{{"A", "a"}, {"Straße", "STRASSE"}, {"cafe\u0301", "CAFÉ"}, {"Σοφία", "σοφία"}} {
		if fsname.Key(twins[0]) != fsname.Key(twins[1]) {
			t.Errorf("%q and %q have keys %q and %q", twins[0], twins[1], fsname.Key(twins[0]), fsname.Key(twins[1]))
		}
	}
	if fsname.Key("a1") == fsname.Key("a2") {
		t.Error("different names share a key")
	}
}
