package extract

import (
	"maps"
	"slices"
)

// Presets are the built-in rules of the reference system's sources, chosen
// with `preset: NAME`. Each is proven by the golden fixtures in
// testdata/<name>/, built from the article HTML of real published pages.
var Presets = map[string]Rules{
	// secretchina.com: the whole div.article_right, promo in the first ad
	// slot right after the lead image, as on the reference page.
	"secretchina": {
		Body:        Selectors{"div.article_right"},
		PromoAnchor: "div#txt-mid1-t21-2017",
	},
	// epochtimes.com: the body is the feed's <content> (ExtractContent)
	// or, on the page, div#artbody; the lead image is div.featured_image,
	// lazy-loaded with a <noscript> copy.
	"epochtimes": {
		BodySource: "feed",
		Body:       Selectors{"div#artbody", "div.post_content"},
		LeadImage:  "div.featured_image",
		Remove:     []string{"div.print_link", "div.single_ad", "div.related_articles", "div#below_article_ad"},
		Headings:   map[string]string{"h2": "h4"},
	},
	// ntdtv.com: div.featured_image, then div.post_content without the
	// related posts and the print link; figure captions on their own line.
	"ntdtv": {
		Body:         Selectors{"div.post_content"},
		LeadImage:    "div.featured_image",
		Remove:       []string{"div.post_related", "div.print_link", "div.single_ad"},
		Headings:     map[string]string{"h2": "h4"},
		FigureBreaks: ptr(true),
	},
	// soundofhope.org: the styled-components wrapper (its class suffix
	// changes with every build, hence the prefix match), lead figure in
	// the article header.
	"soundofhope": {
		Body:         Selectors{`div[class^="Content__Wrapper"]`, `div[class*=" Content__Wrapper"]`},
		LeadImage:    `div[class^="ArticleHeader"] figure`,
		Remove:       []string{`div[class^="AD_Embed__Wrap"]`, `div[class*="ShareBar"]`},
		Headings:     map[string]string{"h1": "h3", "h2": "h4"},
		FigureBreaks: ptr(true),
	},
	// rfa.org: div#storytext, lead image div#headerimg.
	"rfa": {
		Body:      Selectors{"div#storytext"},
		LeadImage: "div#headerimg",
		Remove:    []string{"div.slot_header", "div#sharethis", "div#related"},
	},
	// voachinese.com: div.wsw, lead image in div.cover-media.
	"voachinese": {
		Body:      Selectors{"div.wsw"},
		LeadImage: "div.cover-media",
		Remove:    []string{"div.wsw__embed", "div.media-block-wrap", "div.share"},
	},
	// minghui.org: div#ar_bArticleContent; headings demoted like epochtimes.
	"minghui": {
		Body:     Selectors{"div#ar_bArticleContent", "div.ar_articleContent"},
		Remove:   []string{"div.ar_bottom", "div#ar_relateNews"},
		Headings: map[string]string{"h2": "h4"},
	},
}

// PresetNames lists the presets, sorted.
func PresetNames() []string { return slices.Sorted(maps.Keys(Presets)) }

func ptr[T any](v T) *T { return &v }
