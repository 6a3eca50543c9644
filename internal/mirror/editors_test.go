package mirror_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"

	"github.com/newsmirror/newsmirror/internal/testfix"
)

func TestEditorsListLinksMirroredURLsToOurPages(t *testing.T) {
	data := testfix.Shared(t, "fixtures/real/pages/begood0513+goodnews/indexes/ABC.csv.EXCERPT-first55lines")
	f := newNewsFixture(t)
	// Articles the real list names in three spellings: https with www.
	// (line 8), without a scheme (29, 32) and on http with a bare host
	// (55), mirrored from www. and cn. hosts.
	f.site.Add("n",
		fakenews.Article{ID: "a102801373", Title: "共党员", Host: "www.ntdtv.com", Path: "/gb/2020/03/17/a102801373.html", Published: t0},
		fakenews.Article{ID: "a102805536", Title: "失去利用价值", Host: "www.ntdtv.com", Path: "/gb/2020/03/22/a102805536.html", Published: t0},
		fakenews.Article{ID: "927116", Title: "勇敢中国女孩", Host: "www.secretchina.com", Path: "/news/gb/2020/03/22/927116.html", Published: t0},
		fakenews.Article{ID: "a102803752", Title: "美中关系", Host: "cn.ntdtv.com", Path: "/gb/2020/03/19/a102803752.html", Published: t0},
	)
	csv := filepath.Join(t.TempDir(), "ABC.csv")
	os.WriteFile(csv, append(data, "/7year.md,七年回顾\nno comma in this row\n,没有网址\n"...), 0o644)
	cfg := f.config(t, fmt.Sprintf("indexes:\n  editors: {file: %s, name: 编辑推荐, home: 2}", csv), "n")
	rep := f.sync(t, cfg, t0.Add(time.Hour))

	list := readFile(t, f.out, "indexes/编辑推荐.md")
	for _, want := range []string{
		"[共党员大量死亡名单曝光 死因惊人一致](../pages/n/a102801373.md?t=",
		"[失去利用价值  归国避疫人员遭遇中共冷脸、歧视](../pages/n/a102805536.md?t=",
		"[勇敢中国女孩吁向美国道歉：共产党可耻](../pages/n/927116.md?t=",
		"[美中关系全面恶化 学者:只差一步关使馆](../pages/n/a102803752.md?t=",
		"(https://github.com/gfw-breaker/mh-news/blob/master/pages/251/402742.md)",
		"(https://epochtimes.com/gb/20/3/21/n11961279.htm)",
		"[七年回顾](../7year.md?t=",
	} {
		if !strings.Contains(list, want) {
			t.Errorf("editors' list lacks %q", want)
		}
	}
	if n := strings.Count(list, "\n#### ["); n != 56 {
		t.Errorf("editors' list has %d entries, want 56 (the excerpt's 55 rows + 1)", n)
	}
	warnings := strings.Join(rep.Warnings, "\n")
	for _, want := range []string{"ABC.csv:57: want \"url,title\"", "ABC.csv:58: empty URL"} {
		if !strings.Contains(warnings, want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings)
		}
	}
	home := readFile(t, f.out, "README.md")
	if !strings.Contains(home, "#### 编辑推荐 &nbsp;-&nbsp; [昨天中共活摘人体器官，您也许觉得无动于衷，今天中共制造武汉肺炎，您是否受害：中共活摘器官“纵向证据链”分析](https://github.com/gfw-breaker/mh-news/blob/master/pages/251/402505.md) &nbsp;|&nbsp; [武汉肺炎易感染人群分析](https://github.com/gfw-breaker/mh-news/blob/master/pages/251/402742.md) &nbsp;|&nbsp; [更多编辑推荐](indexes/编辑推荐.md?t=") {
		t.Errorf("home page lacks the editors' picks:\n%s", home)
	}
}
