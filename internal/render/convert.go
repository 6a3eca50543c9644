package render

import (
	"text/template/parse"

	"github.com/newsmirror/newsmirror/internal/config"
)

// Option changes how a Renderer renders.
type Option func(*options)

type options struct {
	text func(string) string
	lang string
}

// Convert renders in another script: text converts the templates' own
// text and the configuration's labels (site title and header, navigation,
// share, original and promo texts). Data passed to Page, List and Home is
// converted by the caller; file names and URLs are never converted.
func Convert(text func(string) string) Option {
	return func(o *options) { o.text = text }
}

// Lang declares the language of the rendered files where the format has a
// place for it (HTML's <html lang>).
func Lang(tag string) Option {
	return func(o *options) { o.lang = tag }
}

// Options gathers opts, for the renderers of other formats.
func Options(opts ...Option) (text func(string) string, lang string) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o.text, o.lang
}

// ConvertSite is cfg with every label readers see converted by text,
// the hot list's name included: renderers keep the path of the hot list
// from its original name, which is also a file name.
func ConvertSite(cfg config.Site, text func(string) string) config.Site {
	if text == nil {
		return cfg
	}
	out := cfg
	out.Title, out.Header, out.HomeLabel = text(cfg.Title), text(cfg.Header), text(cfg.HomeLabel)
	out.ShareText, out.OriginalText, out.HotName = text(cfg.ShareText), text(cfg.OriginalText), text(cfg.HotName)
	out.Nav = make([]config.Link, len(cfg.Nav))
	for i, l := range cfg.Nav {
		out.Nav[i] = config.Link{Label: text(l.Label), URL: l.URL}
	}
	out.Promo = make([]config.PromoLine, len(cfg.Promo))
	for i, line := range cfg.Promo {
		for _, l := range line.Links {
			out.Promo[i].Links = append(out.Promo[i].Links, config.Link{Label: text(l.Label), URL: l.URL})
		}
	}
	return out
}

// ConvertTemplate converts the literal text of a parsed template (not its
// actions, whose output is data). It must run before the template is first
// executed.
func ConvertTemplate(t *parse.Tree, text func(string) string) {
	if t != nil && t.Root != nil && text != nil {
		convertNode(t.Root, text)
	}
}

func convertNode(n parse.Node, text func(string) string) {
	switch n := n.(type) {
	case *parse.TextNode:
		n.Text = []byte(text(string(n.Text)))
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			convertNode(c, text)
		}
	case *parse.IfNode:
		convertBranch(&n.BranchNode, text)
	case *parse.RangeNode:
		convertBranch(&n.BranchNode, text)
	case *parse.WithNode:
		convertBranch(&n.BranchNode, text)
	}
}

func convertBranch(b *parse.BranchNode, text func(string) string) {
	convertNode(b.List, text)
	if b.ElseList != nil {
		convertNode(b.ElseList, text)
	}
}
