package publish

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Rerooted says what a re-root did.
type Rerooted struct {
	// Old and New are the branch's tips before and after: the same tree.
	Old, New string
	// Cut is how many commits the new root replaced (an earlier root
	// included), Kept how many were re-created on top of it.
	Cut, Kept int
	// Since is the oldest kept commit's date.
	Since time.Time
	// Resumed is set when the run finished a re-root an interrupted run
	// had recorded (Cut, Kept and Since are then unknown).
	Resumed bool
}

// LeaseUnknownError says a re-root is due but waits: newsmirror has not
// pushed to these remotes yet, so it does not know what they hold, and a
// forced push could overwrite another writer's commits.
type LeaseUnknownError struct {
	Remotes []string
}

func (e *LeaseUnknownError) Error() string {
	return fmt.Sprintf("history not re-rooted yet: waiting for a first successful push to %s (a forced push needs to know what the remote holds)", strings.Join(e.Remotes, ", "))
}

// ErrShallow says a re-root was not tried: the repository is a shallow
// clone (a CI checkout), whose history is not all here.
var ErrShallow = errors.New("history not re-rooted: the repository is a shallow clone, so its history is not all here (re-root from a full clone)")

const (
	// rerootOldRef and rerootNewRef record a re-root in flight: the
	// branch's tip before and after. Set together before the branch moves,
	// deleted together once every rewrite remote has the new history.
	rerootOldRef = "refs/newsmirror/reroot/old"
	rerootNewRef = "refs/newsmirror/reroot/new"
	// pushedRefs + a remote's name is the commit newsmirror last pushed to
	// that rewrite remote: the lease of the next forced push.
	pushedRefs = "refs/newsmirror/pushed/"
	// stateOldRef and stateNewRef record a re-root of StateBranch in
	// flight, and statePushedRefs + a remote's name is the state commit
	// newsmirror last pushed there, as the three above for the mirror's
	// branch.
	stateOldRef     = "refs/newsmirror/reroot-state/old"
	stateNewRef     = "refs/newsmirror/reroot-state/new"
	statePushedRefs = "refs/newsmirror/pushed-state/"
	// rerootScratch starts the name of the folder in .git where a
	// re-root writes the copied commits before git stores them; a run
	// killed meanwhile leaves it, and Recover removes it.
	rerootScratch = "newsmirror-reroot-"
	// rootSubject starts the subject of a root commit made by a re-root;
	// the oldest kept commit's date (RFC 3339) follows.
	rootSubject = "newsmirror: history before "
)

// Reroot keeps the current branch's history within w. When the branch
// holds more than w plus a tenth (Window.margin), the history older than w
// is replaced by one root commit holding the tree of the last commit cut,
// and the commits within w are re-created on top of it with the same
// trees, messages, authors and dates (the first-parent chain: a merge
// becomes a plain commit). The working tree and the index are untouched:
// the tip's tree is the same.
//
// A re-root is crash-safe: the new chain is written as objects only, the
// intent is recorded (rerootOldRef, rerootNewRef), then the branch is moved
// by compare-and-swap. A later call finishes a recorded re-root whose
// branch has not moved, and forgets one whose branch moved elsewhere;
// FinishReroot cleans up once the remotes have the new history.
//
// It returns nil when nothing was (or is left to be) done, and a
// *LeaseUnknownError when a re-root is due but a rewrite remote was never
// pushed to.
func (r *Repo) Reroot(ctx context.Context, w Window, remotes []Remote, now time.Time) (*Rerooted, error) {
	if !hasPlain(remotes) {
		if err := r.dropChain(ctx); err != nil {
			return nil, err
		}
	}
	if w.IsZero() && !r.hasIntent(ctx, mainIntent()) {
		return nil, nil
	}
	ln, err := r.mainLine(ctx)
	if err != nil {
		return nil, err
	}
	return r.reroot(ctx, ln, w, remotes, now)
}

// RerootState keeps StateBranch's history within w as Reroot keeps the
// mirror's branch's (same window, margin, crash safety and leases, its
// own intent refs and push records): only the tip's export is read back,
// so its older history is weight a clone pays for nothing. A repository
// without the state branch has nothing to do. Nor does one with a remote
// not marked rewrite: that remote keeps the full history, the state
// branch's too, which is pushed to it plainly (a re-root recorded before
// is finished, no new one is made).
func (r *Repo) RerootState(ctx context.Context, w Window, remotes []Remote, now time.Time) (*Rerooted, error) {
	if hasPlain(remotes) {
		w = Window{}
	}
	if (w.IsZero() && !r.hasIntent(ctx, stateLine())) || r.resolve(ctx, StateRef) == "" {
		return nil, nil
	}
	return r.reroot(ctx, stateLine(), w, remotes, now)
}

// reroot keeps ln's history within w (see Reroot).
func (r *Repo) reroot(ctx context.Context, ln line, w Window, remotes []Remote, now time.Time) (*Rerooted, error) {
	ln.plain = ln.chained && hasPlain(remotes)
	if res, done, err := r.resume(ctx, ln); done || err != nil {
		return res, err
	}
	if w.IsZero() {
		return nil, nil
	}
	if r.shallow(ctx) {
		return nil, ErrShallow
	}
	p, err := r.plan(ctx, ln, w, now)
	if err != nil || p == nil {
		return nil, err
	}
	if missing := r.unleased(ctx, ln, remotes); len(missing) > 0 {
		return nil, &LeaseUnknownError{Remotes: missing}
	}
	if err := r.readyChain(ctx, ln); err != nil {
		return nil, err
	}
	res := &Rerooted{Old: p.kept[0].hash, Cut: p.cut, Kept: len(p.kept), Since: p.kept[len(p.kept)-1].when}
	if res.New, err = r.rebuild(ctx, p, now); err != nil {
		return nil, err
	}
	if err := r.step("built"); err != nil {
		return nil, err
	}
	intent := "create " + ln.oldRef + " " + res.Old + "\ncreate " + ln.newRef + " " + res.New + "\n"
	if _, err := r.gitStdin(ctx, strings.NewReader(intent), "update-ref", "--stdin"); err != nil {
		return nil, fmt.Errorf("re-root: record intent: %w", err)
	}
	if err := r.step("recorded"); err != nil {
		return nil, err
	}
	return res, r.move(ctx, ln, res.Old, res.New)
}

// shallow reports whether the repository is a shallow clone.
func (r *Repo) shallow(ctx context.Context) bool {
	out, _ := r.git(ctx, "rev-parse", "--is-shallow-repository")
	return strings.TrimSpace(out) == "true"
}

// hasIntent reports whether a re-root of ln is recorded.
func (r *Repo) hasIntent(ctx context.Context, ln line) bool {
	return r.resolve(ctx, ln.oldRef) != "" || r.resolve(ctx, ln.newRef) != ""
}

// line is a branch whose history publish.history keeps: the mirror's
// branch or StateBranch, with the refs that record a re-root of it in
// flight and the prefix of its push records.
type line struct {
	ref            string // the branch ("refs/heads/main")
	oldRef, newRef string // a re-root's intent: the tips before and after
	pushed         string // + a remote's name: what newsmirror last pushed there
	// chained is set on the mirror's branch's line, whose full history the
	// remotes not marked rewrite keep (chainRef); plain, when a re-root
	// runs, says such a remote is configured.
	chained, plain bool
}

// mainIntent is the mirror's branch's line without its branch (its
// records are the same whichever branch HEAD names); mainLine fills it.
func mainIntent() line {
	return line{oldRef: rerootOldRef, newRef: rerootNewRef, pushed: pushedRefs, chained: true}
}

// stateLine is StateBranch's line.
func stateLine() line {
	return line{ref: StateRef, oldRef: stateOldRef, newRef: stateNewRef, pushed: statePushedRefs}
}

// mainLine is the line of the branch HEAD names.
func (r *Repo) mainLine(ctx context.Context) (line, error) {
	ln := mainIntent()
	var err error
	ln.ref, err = r.branchRef(ctx)
	return ln, err
}

// follow records that the branch now builds on up, remote's head: the
// lease of a later forced push to remote is up (its writes since were
// taken in). With others, the branch was reset to it (a host taking over
// from another), so the records of every other remote, which describe this
// host's earlier pushes, are forgotten: its next push there is a plain one
// until it succeeds.
func (r *Repo) follow(ctx context.Context, remote Remote, up string, others bool) error {
	if others {
		out, err := r.git(ctx, "for-each-ref", "--format=%(refname)", pushedRefs, statePushedRefs)
		if err != nil {
			return fmt.Errorf("list push records: %w", err)
		}
		for _, ref := range strings.Fields(out) {
			if err := r.deleteRef(ctx, ref); err != nil {
				return fmt.Errorf("forget push record %s: %w", ref, err)
			}
		}
	}
	return r.pushed(ctx, remote, mainIntent(), up)
}

// move sets ln's branch from old to new, only if it still is at old, and,
// in the same ref transaction, the full-history chain (see chainAtReroot).
func (r *Repo) move(ctx context.Context, ln line, old, new string) error {
	in := "start\n" + refUpdate(ln.ref, new, old)
	if ln.chained {
		in += r.chainAtReroot(ctx, old, new, ln.plain)
	}
	if _, err := r.gitStdin(ctx, strings.NewReader(in+"prepare\ncommit\n"), "update-ref", "-m", "newsmirror: re-root (publish.history)", "--stdin"); err != nil {
		return fmt.Errorf("re-root: move %s: %w", ln.ref, err)
	}
	return r.step("moved")
}

// resume finishes a recorded re-root: the branch still at the old tip is
// moved; a branch at (or past) the new tip needs nothing more here
// (FinishReroot cleans up after the push); a branch elsewhere means the
// intent is stale, and it is dropped. done is true when a recorded
// re-root stands.
func (r *Repo) resume(ctx context.Context, ln line) (res *Rerooted, done bool, err error) {
	old, nw := r.resolve(ctx, ln.oldRef), r.resolve(ctx, ln.newRef)
	if old == "" && nw == "" {
		return nil, false, nil
	}
	cur := r.resolve(ctx, ln.ref)
	res = &Rerooted{Old: old, New: nw, Resumed: true}
	switch {
	case nw != "" && old != "" && cur == old:
		if err := r.readyChain(ctx, ln); err != nil {
			return nil, true, err
		}
		return res, true, r.move(ctx, ln, old, nw)
	case nw != "" && r.isAncestor(ctx, nw, cur):
		return res, true, nil
	}
	return nil, false, r.dropIntent(ctx, ln)
}

// dropIntent deletes ln's intent refs that exist.
func (r *Repo) dropIntent(ctx context.Context, ln line) error {
	for _, ref := range []string{ln.oldRef, ln.newRef} {
		if err := r.deleteRef(ctx, ref); err != nil {
			return fmt.Errorf("re-root: drop intent: %w", err)
		}
	}
	return nil
}

// deleteRef deletes ref when it exists.
func (r *Repo) deleteRef(ctx context.Context, ref string) error {
	if r.resolve(ctx, ref) == "" {
		return nil
	}
	_, err := r.git(ctx, "update-ref", "-d", ref)
	return err
}

// step calls the test hook between the steps of a re-root.
func (r *Repo) step(name string) error {
	if r.crash == nil {
		return nil
	}
	return r.crash(name)
}

// branchRef is the branch HEAD names ("refs/heads/main").
func (r *Repo) branchRef(ctx context.Context) (string, error) {
	out, err := r.git(ctx, "symbolic-ref", "-q", "HEAD")
	if err != nil {
		return "", fmt.Errorf("re-root: HEAD names no branch: %w", err)
	}
	return strings.TrimSpace(out), nil
}

// isAncestor reports whether commit a is b or one of its ancestors.
func (r *Repo) isAncestor(ctx context.Context, a, b string) bool {
	if a == b {
		return true
	}
	_, err := r.git(ctx, "merge-base", "--is-ancestor", a, b)
	return err == nil
}

// link is a commit of the first-parent chain.
type link struct {
	hash    string
	when    time.Time // committer date
	subject string
}

// cutPlan is a re-root to make: kept (newest first) are re-created on a
// root holding parent's tree; cut commits go.
type cutPlan struct {
	kept   []link
	parent link
	cut    int
}

// plan decides whether the branch exceeds w at now, and what to keep.
func (r *Repo) plan(ctx context.Context, ln line, w Window, now time.Time) (*cutPlan, error) {
	chain, err := r.chain(ctx, ln.ref)
	if err != nil {
		return nil, err
	}
	return cut(chain, w, now), nil
}

// cut decides whether chain (newest first) exceeds w at now, and what to
// keep; nil when it does not. A root an earlier re-root made does not
// count against the window.
func cut(chain []link, w Window, now time.Time) *cutPlan {
	if len(chain) < 2 {
		return nil
	}
	real := chain
	if isRoot(chain[len(chain)-1]) {
		real = chain[:len(chain)-1]
	}
	keep := 0
	ageMargin, countMargin := w.margin()
	if w.Commits > 0 {
		if len(real) <= w.Commits+countMargin {
			return nil
		}
		keep = w.Commits
	} else {
		cutoff := now.Add(-w.Age)
		if !real[len(real)-1].when.Before(cutoff.Add(-ageMargin)) {
			return nil
		}
		for keep < len(real) && !real[keep].when.Before(cutoff) {
			keep++
		}
		keep = max(keep, 1)
	}
	if keep >= len(real) {
		return nil
	}
	return &cutPlan{kept: chain[:keep], parent: chain[keep], cut: len(chain) - keep}
}

// isRoot reports whether l is a root an earlier re-root made.
func isRoot(l link) bool { return strings.HasPrefix(l.subject, rootSubject) }

// chain lists ref's first-parent chain, newest first.
func (r *Repo) chain(ctx context.Context, ref string) ([]link, error) {
	out, err := r.git(ctx, "log", "--first-parent", "--format=%H %ct %s", ref)
	if err != nil {
		return nil, fmt.Errorf("re-root: read history: %w", err)
	}
	var chain []link
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		f := strings.SplitN(line, " ", 3)
		if len(f) < 2 {
			continue
		}
		ts, _ := strconv.ParseInt(f[1], 10, 64)
		l := link{hash: f[0], when: time.Unix(ts, 0).UTC()}
		if len(f) == 3 {
			l.subject = f[2]
		}
		chain = append(chain, l)
	}
	return chain, nil
}

// rebuild writes the new chain as objects and returns its tip: a root
// holding the tree of p.parent, then a copy of each kept commit, oldest
// first, whose only parent is the previous copy.
func (r *Repo) rebuild(ctx context.Context, p *cutPlan, now time.Time) (string, error) {
	oldest := p.kept[len(p.kept)-1]
	msg := fmt.Sprintf("%s%s\n\nThe branch's history before this date was cut by publish.history: %d commits,\nup to %s, were replaced by this commit, which holds that commit's tree.\n",
		rootSubject, oldest.when.Format(time.RFC3339), p.cut, p.parent.hash)
	prev, err := r.gitEnv(ctx, dated(p.parent.when, now), strings.NewReader(msg), "commit-tree", p.parent.hash+"^{tree}")
	if err != nil {
		return "", fmt.Errorf("re-root: write root: %w", err)
	}
	prev = strings.TrimSpace(prev)
	raws, err := r.rawCommits(ctx, p.kept)
	if err != nil {
		return "", err
	}
	format, err := r.git(ctx, "rev-parse", "--show-object-format")
	if err != nil {
		return "", fmt.Errorf("re-root: object format: %w", err)
	}
	objs := make([]string, 0, len(raws))
	want := make([]string, 0, len(raws))
	for i := len(raws) - 1; i >= 0; i-- {
		obj, err := reparent(raws[i], prev)
		if err != nil {
			return "", fmt.Errorf("re-root: copy %s: %w", p.kept[i].hash, err)
		}
		if prev, err = commitID(strings.TrimSpace(format), obj); err != nil {
			return "", err
		}
		objs, want = append(objs, obj), append(want, prev)
	}
	return prev, r.writeCommits(ctx, objs, want)
}

// commitID is the object name git gives a commit object of content obj.
func commitID(format, obj string) (string, error) {
	var h hash.Hash
	switch format {
	case "sha1":
		h = sha1.New()
	case "sha256":
		h = sha256.New()
	default:
		return "", fmt.Errorf("re-root: unknown object format %q", format)
	}
	fmt.Fprintf(h, "commit %d\x00", len(obj))
	h.Write([]byte(obj))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeCommits stores the commit objects objs with one git hash-object
// (which checks each one's format) and makes sure git names them want.
func (r *Repo) writeCommits(ctx context.Context, objs, want []string) error {
	dir, err := os.MkdirTemp(filepath.Join(r.Dir, ".git"), rerootScratch)
	if err != nil {
		return fmt.Errorf("re-root: %w", err)
	}
	defer os.RemoveAll(dir)
	var paths strings.Builder
	for i, obj := range objs {
		p := filepath.Join(dir, strconv.Itoa(i))
		if err := os.WriteFile(p, []byte(obj), 0o644); err != nil {
			return fmt.Errorf("re-root: %w", err)
		}
		paths.WriteString(p + "\n")
	}
	if err := r.step("written"); err != nil {
		return err
	}
	out, err := r.gitStdin(ctx, strings.NewReader(paths.String()), "hash-object", "-t", "commit", "-w", "--stdin-paths")
	if err != nil {
		return fmt.Errorf("re-root: write commits: %w", err)
	}
	if got := strings.Fields(out); !slices.Equal(got, want) {
		return fmt.Errorf("re-root: git named the copied commits otherwise than expected (%d of %d)", len(got), len(want))
	}
	return nil
}

// rawCommits reads the commit objects of links, in their order, with one
// git cat-file.
func (r *Repo) rawCommits(ctx context.Context, links []link) ([]string, error) {
	var in strings.Builder
	for _, l := range links {
		in.WriteString(l.hash + "\n")
	}
	out, err := r.gitStdin(ctx, strings.NewReader(in.String()), "cat-file", "--batch")
	if err != nil {
		return nil, fmt.Errorf("re-root: read commits: %w", err)
	}
	raws := make([]string, 0, len(links))
	for range links {
		head, rest, ok := strings.Cut(out, "\n")
		f := strings.Fields(head)
		if !ok || len(f) != 3 || f[1] != "commit" {
			return nil, fmt.Errorf("re-root: read commits: unexpected %q", head)
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n+1 > len(rest) {
			return nil, fmt.Errorf("re-root: read commits: bad size in %q", head)
		}
		raws = append(raws, rest[:n])
		out = rest[n+1:]
	}
	return raws, nil
}

// reparent rewrites a raw commit object to have parent as its only
// parent; signatures, which the new object would not match, are dropped.
func reparent(raw, parent string) (string, error) {
	header, body, ok := strings.Cut(raw, "\n\n")
	if !ok {
		header, body = strings.TrimSuffix(raw, "\n"), ""
	}
	var out []string
	skipping := false
	for _, line := range strings.Split(header, "\n") {
		if skipping && strings.HasPrefix(line, " ") {
			continue
		}
		key, _, _ := strings.Cut(line, " ")
		skipping = key == "gpgsig" || key == "gpgsig-sha256" || key == "mergetag"
		if skipping || key == "parent" {
			continue
		}
		out = append(out, line)
		if key == "tree" {
			out = append(out, "parent "+parent)
		}
	}
	if len(out) < 2 || !strings.HasPrefix(out[0], "tree ") {
		return "", errors.New("not a commit object")
	}
	return strings.Join(out, "\n") + "\n\n" + body, nil
}

// unleased lists the rewrite remotes newsmirror never pushed ln to.
func (r *Repo) unleased(ctx context.Context, ln line, remotes []Remote) []string {
	var missing []string
	for _, rm := range remotes {
		if rm.Rewrite && r.resolve(ctx, ln.pushed+rm.Name) == "" {
			missing = append(missing, rm.Name)
		}
	}
	return missing
}

// lease is the --force-with-lease argument for pushing head to rm's dst
// (ln's branch there): set when rm allows rewriting and what newsmirror
// last pushed there is not in head's history (a re-root came between), ""
// for a plain push, which git refuses unless it fast-forwards.
func (r *Repo) lease(ctx context.Context, rm Remote, ln line, dst, head string) string {
	if !rm.Rewrite {
		return ""
	}
	last := r.resolve(ctx, ln.pushed+rm.Name)
	if last == "" || r.isAncestor(ctx, last, head) {
		return ""
	}
	return "--force-with-lease=" + dst + ":" + last
}

// pushed records head as what rm holds of ln, after a successful push.
func (r *Repo) pushed(ctx context.Context, rm Remote, ln line, head string) error {
	if !rm.Rewrite {
		return nil
	}
	if _, err := r.git(ctx, "update-ref", ln.pushed+rm.Name, head); err != nil {
		return fmt.Errorf("record push to %s: %w", rm.Name, err)
	}
	return nil
}

// FinishReroot cleans up after a re-root (of the mirror's branch, of the
// state branch, or both) once every rewrite remote of remotes holds the
// new history: it drops the intent refs and the push records of remotes
// no longer configured, expires the entries of the branches' and HEAD's
// reflogs that only the old history satisfies (the operator's stashes
// stay), and runs git gc --prune=now so the old history's objects are
// freed. done is false while every re-root recorded waits for a remote
// (the next run's push tries again) or when there is none to finish.
func (r *Repo) FinishReroot(ctx context.Context, remotes []Remote) (done bool, err error) {
	var finished []line
	for _, ln := range []line{mainIntent(), stateLine()} {
		if r.pushedEverywhere(ctx, ln, remotes) {
			finished = append(finished, ln)
		}
	}
	if len(finished) == 0 {
		return false, nil
	}
	// The old tips' refs go first, so that gc frees the old history; the
	// new tips' last, so that a run killed before them prunes again.
	if err := r.forgetRemotes(ctx, remotes); err != nil {
		return false, err
	}
	for _, ln := range finished {
		if err := r.deleteRef(ctx, ln.oldRef); err != nil {
			return false, fmt.Errorf("re-root: drop intent: %w", err)
		}
	}
	if err := r.step("forgot"); err != nil {
		return false, err
	}
	if err := r.prune(ctx); err != nil {
		return false, err
	}
	if err := r.step("pruned"); err != nil {
		return false, err
	}
	for _, ln := range finished {
		if err := r.dropIntent(ctx, ln); err != nil {
			return false, err
		}
	}
	return true, nil
}

// pushedEverywhere reports whether a re-root of ln is recorded and every
// rewrite remote holds its new history.
func (r *Repo) pushedEverywhere(ctx context.Context, ln line, remotes []Remote) bool {
	nw := r.resolve(ctx, ln.newRef)
	if nw == "" {
		return false
	}
	for _, rm := range remotes {
		if last := r.resolve(ctx, ln.pushed+rm.Name); rm.Rewrite && (last == "" || !r.isAncestor(ctx, nw, last)) {
			return false
		}
	}
	return true
}

// forgetRemotes deletes the push records of remotes no longer configured:
// they would keep the old history alive.
func (r *Repo) forgetRemotes(ctx context.Context, remotes []Remote) error {
	out, err := r.git(ctx, "for-each-ref", "--format=%(refname)", pushedRefs, statePushedRefs)
	if err != nil {
		return fmt.Errorf("re-root: list push records: %w", err)
	}
	known := map[string]bool{}
	for _, rm := range remotes {
		known[pushedRefs+rm.Name] = rm.Rewrite
		known[statePushedRefs+rm.Name] = rm.Rewrite
	}
	for _, ref := range strings.Fields(out) {
		if !known[ref] {
			if _, err := r.git(ctx, "update-ref", "-d", ref); err != nil {
				return fmt.Errorf("re-root: forget %s: %w", ref, err)
			}
		}
	}
	return nil
}

// prune frees what only the old history used: the entries of the
// branch's and HEAD's reflogs its tip no longer reaches, ORIG_HEAD (a
// rebase's), then the objects (gc). Other reflogs are the operator's (the
// stash keeps every stash in its reflog) and are left alone.
func (r *Repo) prune(ctx context.Context) error {
	if r.resolve(ctx, "ORIG_HEAD") != "" {
		if _, err := r.git(ctx, "update-ref", "-d", "ORIG_HEAD"); err != nil {
			return fmt.Errorf("re-root: drop ORIG_HEAD: %w", err)
		}
	}
	logs := []string{"HEAD"}
	if branch, err := r.branchRef(ctx); err == nil {
		logs = append(logs, branch)
	}
	if r.resolve(ctx, StateRef) != "" {
		logs = append(logs, StateRef)
	}
	if _, err := r.git(ctx, append([]string{"reflog", "expire", "--expire-unreachable=now"}, logs...)...); err != nil {
		return fmt.Errorf("re-root: expire reflogs: %w", err)
	}
	if _, err := r.git(ctx, "gc", "-q", "--prune=now"); err != nil {
		return fmt.Errorf("re-root: gc: %w", err)
	}
	return nil
}

// rebaseOn rebases the local commits on upstream (a fetched commit). When
// the two histories share no commit — one side was re-rooted, here or by
// another host — the local commits to replay are those after the newest
// local commit that has a copy upstream (same tree, author, date and
// subject: what a re-root keeps), instead of the whole local history.
func (r *Repo) rebaseOn(ctx context.Context, upstream string) error {
	if _, err := r.git(ctx, "merge-base", "HEAD", upstream); err == nil {
		_, err = r.git(ctx, "rebase", "-q", "--autostash", upstream)
		return err
	}
	fork, err := r.copiedFrom(ctx, upstream)
	if err != nil {
		return err
	}
	_, err = r.git(ctx, "rebase", "-q", "--autostash", "--onto", upstream, fork)
	return err
}

// copiedFrom is the newest commit of HEAD's first-parent chain that has a
// copy in upstream's.
func (r *Repo) copiedFrom(ctx context.Context, upstream string) (string, error) {
	const format = "--format=%H %T %at %ae %s"
	theirs, err := r.git(ctx, "log", "--first-parent", format, upstream)
	if err != nil {
		return "", fmt.Errorf("read upstream history: %w", err)
	}
	keys := map[string]bool{}
	for _, line := range strings.Split(theirs, "\n") {
		if _, key, ok := strings.Cut(line, " "); ok {
			keys[key] = true
		}
	}
	ours, err := r.git(ctx, "log", "--first-parent", format, "HEAD")
	if err != nil {
		return "", fmt.Errorf("read local history: %w", err)
	}
	for _, line := range strings.Split(ours, "\n") {
		if hash, key, ok := strings.Cut(line, " "); ok && keys[key] {
			return hash, nil
		}
	}
	return "", errors.New("the local and upstream histories share no commit, not even a copy made by a re-root")
}

// PushRecordPrefix + a remote's name is the ref holding the commit of the
// mirror's branch newsmirror last pushed to that remote (a rewrite
// remote): the lease of its next forced push. An operator sets it to let
// newsmirror replace what the remote holds.
const PushRecordPrefix = pushedRefs
