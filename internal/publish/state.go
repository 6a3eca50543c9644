package publish

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// StateBranch is the branch of the mirror repository that carries the
// export of the state database, beside the mirror's branch: the export's
// files (StateFile at the root, the others in folders), one commit per
// committing run.
const StateBranch = "newsmirror-state"

// StateFile is the export's first file on StateBranch (the only one in
// exports of format 1).
const StateFile = "state.jsonl"

// stateSubject starts the message of every commit of StateBranch; the
// mirror's commit it describes follows.
const stateSubject = "newsmirror state of "

// StateRef is the local ref of StateBranch.
const StateRef = "refs/heads/" + StateBranch

// SaveState commits files (slash paths → contents) as the tree of a new
// commit of StateBranch, describing the mirror's commit main, dated when
// (the zero time: git's clock), with git's plumbing (hash-object, mktree,
// commit-tree, update-ref): the working tree, the index, HEAD and the
// mirror's branch are untouched. A file or folder the parent commit holds
// with the same bytes keeps its object, so a commit adds only the blobs of
// the files that changed. The new commit's parent is the branch's tip, or,
// on a host that never wrote it, the tip a clone or fetch brought
// (refs/remotes/*/newsmirror-state), so that pushing it is a fast-forward.
// It returns the new commit, or "" when the tip already holds files.
func (r *Repo) SaveState(ctx context.Context, files map[string][]byte, main string, when time.Time) (string, error) {
	local := r.resolve(ctx, StateRef)
	parent := local
	if parent == "" {
		parent = r.firstRemoteState(ctx)
	}
	tree, err := r.stateTree(ctx, files, parent)
	if err != nil {
		return "", fmt.Errorf("save state: %w", err)
	}
	if parent != "" && r.resolve(ctx, parent+"^{tree}") == tree && parent == local {
		return "", nil
	}
	args := []string{"commit-tree", tree, "-m", stateSubject + main}
	if parent != "" {
		args = append(args, "-p", parent)
	}
	commit, err := r.gitEnv(ctx, dated(when, when), nil, args...)
	if err != nil {
		return "", fmt.Errorf("save state: %w", err)
	}
	commit = strings.TrimSpace(commit)
	old := local
	if old == "" {
		old = strings.Repeat("0", len(commit)) // the ref must not exist yet
	}
	if _, err := r.git(ctx, "update-ref", "-m", "newsmirror state", StateRef, commit, old); err != nil {
		return "", fmt.Errorf("save state: %w", err)
	}
	return commit, nil
}

// SavedState is an export found in the repository.
type SavedState struct {
	// Ref is where it was found: StateRef, or a remote-tracking ref.
	Ref string
	// Main is the mirror's commit it describes (from its commit message).
	Main string
	// When is its commit's date.
	When time.Time
	// Files are the export's files, by slash path.
	Files map[string][]byte
}

// LoadState reads the newest export the repository holds: StateBranch's
// tip, else the one a clone brought (refs/remotes/origin/… first). found
// is false when there is none.
func (r *Repo) LoadState(ctx context.Context) (s SavedState, found bool, err error) {
	ref := StateRef
	if r.resolve(ctx, ref) == "" {
		if ref = r.firstRemoteState(ctx); ref == "" {
			return s, false, nil
		}
	}
	s.Ref = ref
	info, err := r.git(ctx, "log", "-1", "--format=%ct %s", ref)
	if err != nil {
		return s, false, fmt.Errorf("read state export: %w", err)
	}
	secs, subject, _ := strings.Cut(strings.TrimSpace(info), " ")
	s.Main = strings.TrimPrefix(subject, stateSubject)
	var ts int64
	fmt.Sscan(secs, &ts)
	s.When = time.Unix(ts, 0).UTC()
	if s.Files, err = r.readFiles(ctx, ref); err != nil {
		return s, false, fmt.Errorf("read state export: %w", err)
	}
	return s, true, nil
}

// StateDescribes reports whether StateBranch's tip describes the mirror's
// commit main (so no new export is needed).
func (r *Repo) StateDescribes(ctx context.Context, main string) bool {
	out, err := r.git(ctx, "log", "-1", "--format=%s", StateRef)
	return err == nil && strings.TrimSpace(out) == stateSubject+main
}

// FetchState brings remote's StateBranch into StateRef when the remote has
// it and the repository has none yet (a new host cloned from the
// upstream). found is false when the remote holds no export.
func (r *Repo) FetchState(ctx context.Context, remote Remote, timeout time.Duration) (bool, error) {
	if r.resolve(ctx, StateRef) != "" {
		return true, nil
	}
	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	found, err := r.fetch(fctx, remote, StateBranch)
	if err != nil || !found {
		return false, err
	}
	if _, err := r.git(ctx, "update-ref", StateRef, "FETCH_HEAD"); err != nil {
		return false, fmt.Errorf("fetch state from %s: %w", remote.Name, err)
	}
	return true, nil
}

// Head is the mirror's current commit, "" when it has none.
func (r *Repo) Head(ctx context.Context) string { return r.resolve(ctx, "HEAD") }

// HeadFiles lists the files of the mirror's current commit under prefix
// (a folder, "" for all), as slash paths.
func (r *Repo) HeadFiles(ctx context.Context, prefix string) (map[string]bool, error) {
	args := []string{"ls-tree", "-r", "-z", "--name-only", "HEAD"}
	if prefix != "" {
		args = append(args, "--", prefix)
	}
	out, err := r.git(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("list the mirror's files: %w", err)
	}
	files := map[string]bool{}
	for _, f := range strings.Split(out, "\x00") {
		if f != "" {
			files[f] = true
		}
	}
	return files, nil
}

// resolve is the object name rev points at, "" when none.
func (r *Repo) resolve(ctx context.Context, rev string) string {
	out, err := r.git(ctx, "rev-parse", "--verify", "-q", rev)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(out)
}

// firstRemoteState is the first remote-tracking ref of StateBranch,
// origin's first, "" when none.
func (r *Repo) firstRemoteState(ctx context.Context) string {
	if r.resolve(ctx, "refs/remotes/origin/"+StateBranch) != "" {
		return "refs/remotes/origin/" + StateBranch
	}
	out, err := r.git(ctx, "for-each-ref", "--format=%(refname)", "refs/remotes/*/"+StateBranch)
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	return first
}

// HasRef reports whether ref exists.
func (r *Repo) HasRef(ctx context.Context, ref string) bool { return r.resolve(ctx, ref) != "" }

// HeadTime is the mirror's last commit's date, zero when it has none.
func (r *Repo) HeadTime(ctx context.Context) time.Time {
	out, err := r.git(ctx, "log", "-1", "--format=%ct", "HEAD")
	if err != nil {
		return time.Time{}
	}
	var ts int64
	if _, err := fmt.Sscan(out, &ts); err != nil {
		return time.Time{}
	}
	return time.Unix(ts, 0).UTC()
}
