package render

import (
	"text/template"

	"github.com/newsmirror/newsmirror/internal/mdtext"
)

// funcs are the escapers templates call; each is mdtext's, the one place
// untrusted text is escaped: md for inline Markdown text, attr for a URL
// in a quoted HTML attribute, htmltext for text inside an HTML block.
var funcs = template.FuncMap{
	"md":       mdtext.Text,
	"attr":     mdtext.HTMLAttr,
	"htmltext": mdtext.HTMLText,
}
