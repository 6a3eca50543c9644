package htmlnode_test

import (
	"testing"

	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

func TestAttributeHelpers(t *testing.T) {
	n := &html.Node{Type: html.ElementNode, Data: "img", Attr: []html.Attribute{{Key: "src", Val: "a.png"}, {Key: "alt", Val: ""}}}
	if htmlnode.Attr(n, "src") != "a.png" || htmlnode.Attr(n, "title") != "" {
		t.Errorf("Attr: %v", n.Attr)
	}
	if !htmlnode.HasAttr(n, "alt") || htmlnode.HasAttr(n, "title") {
		t.Errorf("HasAttr: %v", n.Attr)
	}
	htmlnode.SetAttr(n, "src", "b.png")
	htmlnode.SetAttr(n, "width", "10")
	htmlnode.RemoveAttr(n, "alt")
	want := []html.Attribute{{Key: "src", Val: "b.png"}, {Key: "width", Val: "10"}}
	if len(n.Attr) != 2 || n.Attr[0] != want[0] || n.Attr[1] != want[1] {
		t.Errorf("after edits: %v, want %v", n.Attr, want)
	}
}
