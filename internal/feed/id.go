package feed

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
)

var safeID = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._-]{0,127}$`)

// ArticleID is the id of the article at u, a safe file name. With re, it
// is re's first group (or whole match) in the URL; otherwise the last
// segment of the path without its extension ("…/994979.html" → "994979").
// The query string never leaks into a default id, and no id can hold '/',
// "..", a control character or anything but letters, digits, '.', '_'
// and '-'.
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
	if !safeID.MatchString(id) || strings.Contains(id, "..") {
		return "", fmt.Errorf("no safe article id in %s (got %q)", u, id)
	}
	return id, nil
}
