package main

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"
)

// feedLength is how many items a channel's feed lists, newest first: more
// than a channel publishes between two syncs.
const feedLength = 30

// Page sizes: log-normal around 35 KB, clamped to the 10–80 KB of real
// article pages.
const (
	minPage, maxPage, meanPage = 10 << 10, 80 << 10, 35 << 10
	pageSigma                  = 0.5
)

// source is the loopback news site: a schedule of stories published at a
// rate over simulated days, visible once the clock passes their date.
type source struct {
	seed   uint64
	photos *photoCache
	base   string // "http://127.0.0.1:port", for photo URLs

	mu      sync.Mutex
	stories []fakenews.CorpusStory // by date
	byPath  map[string]int         // page path → index in stories
	now     time.Time
}

// plan returns the stories published in (from, to], numbered after those
// s lists: rate a day, evenly spaced with jitter, each with 1–3 photos
// when images is set. They are not listed until add.
func (s *source) plan(from, to time.Time, rate float64, images bool) []fakenews.CorpusStory {
	rng := rand.New(rand.NewPCG(s.seed, uint64(from.Unix())))
	step := time.Duration(float64(24*time.Hour) / rate)
	s.mu.Lock()
	id := 1000000 + len(s.stories)
	s.mu.Unlock()
	var out []fakenews.CorpusStory
	first := from.Truncate(step).Add(step)
	for t := first; !t.After(to); t = t.Add(step) {
		st := fakenews.CorpusStory{
			ID:      id,
			Channel: rng.IntN(len(fakenews.CorpusChannels)),
			Date:    t.Add(-time.Duration(rng.Int64N(int64(step)))),
			Size:    pageSize(rng),
		}
		if images {
			for k := range 1 + rng.IntN(3) {
				st.Photos = append(st.Photos, fmt.Sprintf("%s/photo/%x.jpg", s.base, photoSeed(s.seed, id, k)))
			}
		}
		out = append(out, st)
		id++
	}
	return out
}

// add lists stories planned by plan (the site shows those dated before
// its clock).
func (s *source) add(stories []fakenews.CorpusStory) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range stories {
		s.byPath["/"+st.Path()] = len(s.stories)
		s.stories = append(s.stories, st)
	}
}

func pageSize(rng *rand.Rand) int {
	mu := math.Log(meanPage) - pageSigma*pageSigma/2
	return min(max(int(math.Exp(mu+pageSigma*rng.NormFloat64())), minPage), maxPage)
}

// photoSeed names the k-th photo of story id in run seed.
func photoSeed(seed uint64, id, k int) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d/%d", seed, id, k)
	return h.Sum64()
}

// setNow moves the site's clock: stories dated after it are not listed.
func (s *source) setNow(t time.Time) {
	s.mu.Lock()
	s.now = t
	s.mu.Unlock()
}

// photoSeeds returns the seeds of the stories' photos.
func (s *source) photoSeeds(stories []fakenews.CorpusStory) []uint64 {
	var out []uint64
	for _, st := range stories {
		for k := range st.Photos {
			out = append(out, photoSeed(s.seed, st.ID, k))
		}
	}
	return out
}

func (s *source) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/photo/"):
		s.servePhoto(w, strings.TrimSuffix(strings.TrimPrefix(p, "/photo/"), ".jpg"))
	case strings.HasPrefix(p, "/news/gb/rss/"):
		s.serveFeed(w, strings.TrimSuffix(strings.TrimPrefix(p, "/news/gb/rss/"), ".xml"))
	default:
		s.servePage(w, p)
	}
}

func (s *source) servePhoto(w http.ResponseWriter, name string) {
	seed, err := strconv.ParseUint(name, 16, 64)
	if err != nil {
		http.NotFound(w, nil)
		return
	}
	b, err := s.photos.get(seed)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Write(b)
}

func (s *source) serveFeed(w http.ResponseWriter, channel string) {
	ch := slices.IndexFunc(fakenews.CorpusChannels, func(c struct{ ID, Name string }) bool { return c.ID == channel })
	if ch < 0 {
		http.NotFound(w, nil)
		return
	}
	s.mu.Lock()
	var items []fakenews.CorpusStory
	for i := len(s.stories) - 1; i >= 0 && len(items) < feedLength; i-- {
		if st := s.stories[i]; st.Channel == ch && !st.Date.After(s.now) {
			items = append(items, st)
		}
	}
	s.mu.Unlock()
	feed, err := fakenews.CorpusFeed(s.seed, items)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write(feed)
}

func (s *source) servePage(w http.ResponseWriter, path string) {
	s.mu.Lock()
	i, ok := s.byPath[path]
	var st fakenews.CorpusStory
	if ok {
		st = s.stories[i]
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, nil)
		return
	}
	page := st.Page(s.seed)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(page)
}
