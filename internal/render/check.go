package render

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Budget of a template rendered by Check with sample data: a template
// that writes more, or takes longer, is refused, as it would cost that on
// every page of every run.
const (
	CheckBytes = 4 << 20
	CheckTime  = time.Second
)

// Check renders every page and list template once with sample data (a
// page, a full channel index, the hot and editors' lists, the home page)
// under the budget, and reports the first that fails, renders nothing or
// runs over. A template still running at the deadline is left to finish:
// check stops on the error anyway.
func (r *Renderer) Check() error {
	nav := []Link{{"首页", "../../README.md"}, {"频道", "../../indexes/X频道.md"}, {"热点", "../../indexes/热点.md"}}
	var entries []Entry
	for i := range 60 {
		entries = append(entries, Entry{Title: fmt.Sprintf("示例标题 %d", i), Path: fmt.Sprintf("pages/c/%d.md", i), URL: fmt.Sprintf("../pages/c/%d.md?t=01020304", i)})
	}
	list := IndexData{Title: "X频道", Nav: nav, Entries: entries, Earlier: "X频道-earlier.md", EarlierLabel: "更早", PixelURL: "https://count.example/p.png", Stamp: "01020304"}
	samples := map[string]any{
		"page.md.tmpl": PageData{Title: "示例标题", Body: "<p>" + strings.Repeat("正文。", 2000) + "</p>", Nav: nav,
			PageURL: "https://github.com/o/m/blob/main/pages/c/1.md", QRURL: "https://raw.example/pages/c/1.md.png", PixelURL: "https://count.example/p.png",
			ShareText: r.site.ShareText, OriginalText: r.site.OriginalText, OriginalURL: "https://news.example/1.html"},
		"index.md.tmpl":   list,
		"earlier.md.tmpl": list,
		"hot.md.tmpl":     list,
		"editors.md.tmpl": list,
		"home.md.tmpl": HomeData{Title: r.site.Title, Header: r.site.Header, Nav: nav, PixelURL: "https://count.example/p.png", Stamp: "01020304",
			Sections: []Section{{Name: "示例网", Links: nav}}, Picks: &Picks{Label: "编辑推荐", Entries: entries[:3], More: nav[0]}},
	}
	for _, name := range []string{"page.md.tmpl", "index.md.tmpl", "earlier.md.tmpl", "hot.md.tmpl", "editors.md.tmpl", "home.md.tmpl"} {
		if r.tmpl.Lookup(name) == nil {
			continue
		}
		if err := r.checkOne(name, samples[name]); err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
	}
	return nil
}

func (r *Renderer) checkOne(name string, data any) error {
	w := &budgetWriter{max: CheckBytes}
	done := make(chan error, 1)
	go func() { done <- r.tmpl.ExecuteTemplate(w, name, data) }()
	select {
	case err := <-done:
		switch {
		case errors.Is(err, errOverBudget):
			return fmt.Errorf("renders more than %d bytes with sample data", CheckBytes)
		case err != nil:
			return err
		case strings.TrimSpace(w.String()) == "":
			return errors.New("renders nothing")
		}
		return nil
	case <-time.After(CheckTime):
		return fmt.Errorf("takes more than %s to render with sample data", CheckTime)
	}
}

var errOverBudget = errors.New("template output over budget")

// budgetWriter keeps at most max bytes and fails past them, which stops
// the template's execution.
type budgetWriter struct {
	mu  sync.Mutex
	b   bytes.Buffer
	max int
}

func (w *budgetWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.b.Len()+len(p) > w.max {
		return 0, errOverBudget
	}
	return w.b.Write(p)
}

func (w *budgetWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
