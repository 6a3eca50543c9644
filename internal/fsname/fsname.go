// Package fsname keeps the mirror's file names portable: every name must
// be checked out by a Linux, macOS or Windows clone of the mirror. It
// knows the limits those file systems share: 255 bytes per name, the
// names and characters Windows reserves, and the names a case-insensitive
// or normalisation-insensitive file system (macOS, Windows) sees as one.
package fsname

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// MaxBytes is the most bytes a file name may have (NAME_MAX on Linux and
// macOS).
const MaxBytes = 255

// Longest is the longest suffix newsmirror adds to a page's or an index's
// name, the QR code's; a stem s is portable when Check(s + Longest) is nil.
const Longest = ".md.png"

// MaxStemBytes is the most bytes a page or index name may have before its
// suffix.
const MaxStemBytes = MaxBytes - len(Longest)

// reserved are the device names Windows refuses as a file name, with any
// extension ("con.md" is CON) and in any case.
var reserved = map[string]bool{"con": true, "prn": true, "aux": true, "nul": true, "conin$": true, "conout$": true}

func init() {
	for _, d := range []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³"} {
		reserved["com"+d], reserved["lpt"+d] = true, true
	}
}

// Reserved reports whether Windows reserves name: a device name (CON,
// PRN, AUX, NUL, COM0–9, LPT0–9, also with an extension, in any case).
func Reserved(name string) bool {
	base, _, _ := strings.Cut(name, ".")
	return reserved[strings.ToLower(strings.TrimRight(base, " "))]
}

// NameError is a name that some file system cannot hold.
type NameError struct {
	Name   string
	Reason string
}

func (e *NameError) Error() string {
	return fmt.Sprintf("file name %q is not portable: %s", e.Name, e.Reason)
}

// CheckStem reports a page or index name (without ".md") some clone could
// not check out with any of the suffixes newsmirror adds.
func CheckStem(stem string) error {
	if err := Check(stem + Longest); err != nil {
		return &NameError{Name: stem, Reason: err.(*NameError).Reason}
	}
	return nil
}

// Check reports a name a Linux, macOS or Windows clone could not check
// out: empty, "." or "..", over MaxBytes, not valid UTF-8, not in NFC,
// holding a control character, / or one of \ : * ? " < > |, ending in a
// dot or a space, or a Windows device name.
func Check(name string) error {
	bad := func(reason string) error { return &NameError{Name: name, Reason: reason} }
	switch {
	case name == "" || name == "." || name == "..":
		return bad("empty or a dot name")
	case len(name) > MaxBytes:
		return bad(fmt.Sprintf("%d bytes, over %d", len(name), MaxBytes))
	case !utf8.ValidString(name):
		return bad("not valid UTF-8")
	case !norm.NFC.IsNormalString(name):
		return bad("not in Unicode normal form C (macOS would see it as another name)")
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return bad("holds a control character")
	case strings.ContainsAny(name, `/\:*?"<>|`):
		return bad(`holds one of / \ : * ? " < > |`)
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return bad("ends in a dot or a space (Windows drops them)")
	case Reserved(name):
		return bad("a device name Windows reserves")
	}
	return nil
}

// Fit returns name in NFC, shortened when over max bytes: cut at a rune
// boundary and ended with "-" and 8 hex digits of the whole name's
// SHA-256, so two long names that share a beginning stay apart.
func Fit(name string, max int) string {
	name = norm.NFC.String(name)
	if len(name) <= max {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	tail := "-" + hex.EncodeToString(sum[:4])
	cut := max - len(tail)
	for cut > 0 && !utf8.RuneStart(name[cut]) {
		cut--
	}
	return strings.TrimRight(name[:cut], "._- ") + tail
}

// Key is the name a case-insensitive, normalisation-insensitive file
// system (macOS, Windows) sees: two names with the same key are one file
// there.
func Key(name string) string {
	return cases.Fold().String(norm.NFC.String(name)) // a Caser is not safe to share
}
