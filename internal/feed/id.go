package feed

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/newsmirror/newsmirror/internal/fsname"
)

var safeID = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._-]*$`)

// ArticleID is the id of the article at u, a file name every clone of the
// mirror can check out. With re, it is re's first group (or whole match)
// in the URL; otherwise the last segment of the path without its
// extension ("…/994979.html" → "994979"). The query string never leaks
// into a default id, and no id can hold '/', "..", a control character or
// anything but letters, digits, '.', '_' and '-'.
//
// The id is in Unicode normal form C (an NFD "é" and an NFC "é" are one
// id); one longer than fsname.MaxStemBytes is cut at a letter and ended with
// a hash of the whole ("-1a2b3c4d"); a Windows device name ("CON",
// "aux.1") gets a leading "_", which no other id has.
func ArticleID(u *url.URL, re *regexp.Regexp) (string, error) {
	var id string
	if re != nil {
		m := re.FindStringSubmatch(u.String())
		switch {
		case m == nil:
			return "", fmt.Errorf("article id pattern %q does not match %s", re, u)
		case len(m) > 1:
			id = m[1]
		default:
			id = m[0]
		}
	} else {
		id = path.Base(strings.TrimRight(u.Path, "/"))
		if ext := path.Ext(id); ext != "" && ext != id {
			id = strings.TrimSuffix(id, ext)
		}
	}
	id = fsname.Fit(id, fsname.MaxStemBytes)
	if !safeID.MatchString(id) || strings.Contains(id, "..") {
		return "", fmt.Errorf("no safe article id in %s (got %q): an id is letters, digits, '.', '_' and '-', starting with a letter or digit", u, id)
	}
	if fsname.Reserved(id) {
		id = "_" + id
	}
	if err := fsname.CheckStem(id); err != nil {
		return "", fmt.Errorf("article id from %s: %w", u, err)
	}
	return id, nil
}
