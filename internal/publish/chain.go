package publish

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The full-history chain is what remotes not marked rewrite get once the
// branch is re-rooted (publish.history): the branch's whole history, never
// cut. Before the first re-root there is none: the branch is the full
// history. A re-root made while such a remote is configured records the
// branch's old tip as the chain (chainRef) and the new tip as the branch
// commit the chain's tip stands for (chainAtRef), in the same ref
// transaction that moves the branch. From then on every new commit of the
// branch is copied onto the chain: the same tree, message, author and
// dates, with the chain's tip as parent; trees and blobs are shared, so a
// copy costs one commit object. A copy is a function of its parent and the
// commit it copies, so two hosts copying the same commits onto the same
// chain make the same objects.
const (
	// chainRef is the full-history chain's tip.
	chainRef = "refs/newsmirror/chain/full"
	// chainAtRef is the branch commit chainRef stands for: its tree,
	// message, author and dates are the same. The two move together.
	chainAtRef = "refs/newsmirror/chain/at"
)

// StaleChainError says a remote not marked rewrite was not pushed: its
// branch (the full history) ends in a commit that is no copy of a commit
// of the mirror's branch, so newsmirror cannot tell how to continue it
// without losing or inventing history: another writer pushed there, or the
// remote fell further behind than the history the mirror still holds.
type StaleChainError struct {
	// Remote is the remote's name; Tip its branch's head.
	Remote, Tip string
}

func (e *StaleChainError) Error() string {
	return fmt.Sprintf("full history not pushed to %s: its branch ends in %s, which is no copy of a commit of the mirror's branch (another writer pushed there, or it is further behind than publish.history): push it by hand, or remove the remote's branch to start it again from the mirror's", e.Remote, shortHash(e.Tip))
}

func shortHash(h string) string { return h[:min(len(h), 10)] }

// ChainTip is the full-history chain's tip, "" when there is none (the
// branch itself is then what remotes not marked rewrite get).
func (r *Repo) ChainTip(ctx context.Context) string { return r.resolve(ctx, chainRef) }

// hasPlain reports whether a remote of remotes is not marked rewrite.
func hasPlain(remotes []Remote) bool {
	for _, rm := range remotes {
		if !rm.Rewrite {
			return true
		}
	}
	return false
}

// dropChain deletes the chain, so that gc may free the history only it
// reaches: no remote needs it any more.
func (r *Repo) dropChain(ctx context.Context) error {
	if r.resolve(ctx, chainRef) == "" && r.resolve(ctx, chainAtRef) == "" {
		return nil
	}
	if _, err := r.gitStdin(ctx, strings.NewReader("delete "+chainRef+"\ndelete "+chainAtRef+"\n"), "update-ref", "--stdin"); err != nil {
		return fmt.Errorf("drop the full-history chain: %w", err)
	}
	return nil
}

// extendChain copies the branch's commits the chain lacks onto it and
// returns its tip; "" when there is no chain. When the commit the chain
// stands for is no longer in the branch's history (a pull rebased it, a
// host taking over reset the branch), the chain goes on from the newest of
// its commits that is a copy of one of the branch's: what it held stays,
// the branch's commits after that one are copied on its tip. A chain that
// shares no commit with the branch is dropped ("" is returned): a push to
// a remote not marked rewrite then finds the chain again from the
// remote's branch (adopt).
func (r *Repo) extendChain(ctx context.Context) (string, error) {
	tip, at := r.resolve(ctx, chainRef), r.resolve(ctx, chainAtRef)
	head := r.Head(ctx)
	if tip == "" || head == "" || at == head {
		return tip, nil
	}
	from := at
	if at == "" || !r.isAncestor(ctx, at, head) {
		var err error
		if from, err = r.matchChain(ctx, tip, head, -1); err != nil {
			return "", err
		}
		if from == "" {
			return "", r.dropChain(ctx)
		}
	}
	return r.copyOnto(ctx, tip, at, from, head)
}

// copyOnto copies the branch's first-parent commits after from up to head
// onto the chain's tip, then moves chainRef from tip and chainAtRef from at
// ("" when missing) in one ref transaction: a run killed before it leaves
// objects only, which the next run makes again, the same.
func (r *Repo) copyOnto(ctx context.Context, tip, at, from, head string) (string, error) {
	out, err := r.git(ctx, "rev-list", "--first-parent", "--reverse", from+".."+head)
	if err != nil {
		return "", fmt.Errorf("full-history chain: list new commits: %w", err)
	}
	var links []link
	for _, h := range strings.Fields(out) {
		links = append(links, link{hash: h})
	}
	newTip := tip
	if len(links) > 0 {
		if newTip, err = r.copyCommits(ctx, links, tip); err != nil {
			return "", err
		}
	}
	if err := r.step("chain-written"); err != nil {
		return "", err
	}
	return newTip, r.setChain(ctx, newTip, tip, head, at)
}

// copyCommits writes a copy of each of links (oldest first) whose only
// parent is the previous copy, the first's parent; it returns the last.
func (r *Repo) copyCommits(ctx context.Context, links []link, parent string) (string, error) {
	raws, err := r.rawCommits(ctx, links)
	if err != nil {
		return "", err
	}
	format, err := r.git(ctx, "rev-parse", "--show-object-format")
	if err != nil {
		return "", fmt.Errorf("full-history chain: object format: %w", err)
	}
	objs, want := make([]string, 0, len(raws)), make([]string, 0, len(raws))
	for i, raw := range raws {
		obj, err := reparent(raw, parent)
		if err != nil {
			return "", fmt.Errorf("full-history chain: copy %s: %w", links[i].hash, err)
		}
		if parent, err = commitID(strings.TrimSpace(format), obj); err != nil {
			return "", err
		}
		objs, want = append(objs, obj), append(want, parent)
	}
	if err := r.writeCommits(ctx, objs, want); err != nil {
		return "", fmt.Errorf("full-history chain: %w", err)
	}
	return parent, nil
}

// setChain moves chainRef from oldTip to tip and chainAtRef from oldAt to
// at in one transaction ("" old values: the ref must not exist yet).
func (r *Repo) setChain(ctx context.Context, tip, oldTip, at, oldAt string) error {
	in := "start\n" + refUpdate(chainRef, tip, oldTip) + refUpdate(chainAtRef, at, oldAt) + "prepare\ncommit\n"
	if _, err := r.gitStdin(ctx, strings.NewReader(in), "update-ref", "--stdin"); err != nil {
		return fmt.Errorf("full-history chain: move its refs: %w", err)
	}
	return nil
}

// refUpdate is the update-ref --stdin line setting ref from old ("" when
// it must not exist) to new.
func refUpdate(ref, new, old string) string {
	if old == "" {
		return "create " + ref + " " + new + "\n"
	}
	return "update " + ref + " " + new + " " + old + "\n"
}

// chainAtReroot is the chain's part of the ref transaction that moves the
// branch from old to new in a re-root: with a chain, what it stands for
// moves from old to new (new's history holds old's commits' copies);
// without one, and plain set (a remote not marked rewrite is configured),
// the branch's old tip becomes the chain. The chain must stand for old
// (see readyChain).
func (r *Repo) chainAtReroot(ctx context.Context, old, new string, plain bool) string {
	if r.resolve(ctx, chainRef) != "" {
		return refUpdate(chainAtRef, new, old)
	}
	if !plain {
		return ""
	}
	return refUpdate(chainRef, old, "") + refUpdate(chainAtRef, new, "")
}

// readyChain brings the chain, when there is one, up to the branch's tip
// before a re-root of ln, the mirror's branch's line, moves the branch, so
// that it stands for the tip the re-root replaces.
func (r *Repo) readyChain(ctx context.Context, ln line) error {
	if !ln.chained {
		return nil
	}
	_, err := r.extendChain(ctx)
	return err
}

// matchChain is the newest commit of head's first-parent history that a
// commit of tip's first-parent history copies (or is), looking at tip's
// newest depth commits (depth < 0: as many as head's history holds, and
// one more); "" when none.
func (r *Repo) matchChain(ctx context.Context, tip, head string, depth int) (string, error) {
	branch, err := r.treesOf(ctx, head, -1)
	if err != nil {
		return "", err
	}
	if depth < 0 {
		depth = len(branch) + 1
	}
	chain, err := r.treesOf(ctx, tip, depth)
	if err != nil {
		return "", err
	}
	byTree := map[string][]string{}
	for _, c := range branch {
		byTree[c[1]] = append(byTree[c[1]], c[0])
	}
	for _, c := range chain {
		for _, cand := range byTree[c[1]] {
			same, err := r.sameCommit(ctx, c[0], cand)
			if err != nil || same {
				return cand, err
			}
		}
	}
	return "", nil
}

// treesOf lists rev's first-parent history as (commit, tree) pairs, newest
// first, at most n of them (n < 0: all).
func (r *Repo) treesOf(ctx context.Context, rev string, n int) ([][2]string, error) {
	args := []string{"log", "--first-parent", "--format=%H %T"}
	if n >= 0 {
		args = append(args, fmt.Sprintf("-n%d", n))
	}
	out, err := r.git(ctx, append(args, rev)...)
	if err != nil {
		return nil, fmt.Errorf("full-history chain: read history: %w", err)
	}
	var list [][2]string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if h, t, ok := strings.Cut(line, " "); ok {
			list = append(list, [2]string{h, t})
		}
	}
	return list, nil
}

// sameCommit reports whether commits a and b are one a copy of the other:
// the same object but for their parents (and signatures).
func (r *Repo) sameCommit(ctx context.Context, a, b string) (bool, error) {
	if a == b {
		return true, nil
	}
	raws, err := r.rawCommits(ctx, []link{{hash: a}, {hash: b}})
	if err != nil {
		return false, err
	}
	ka, erra := reparent(raws[0], "")
	kb, errb := reparent(raws[1], "")
	return erra == nil && errb == nil && ka == kb, nil
}

// adopt takes rm's branch as the chain, on a host without one that can
// continue it (a fresh clone, a host taking over): when the branch's head
// there is a copy of a commit of the mirror's branch, the chain becomes
// that head, standing for that commit, and is extended to the branch's
// tip. It returns the chain's new tip; a head that is no such copy is a
// *StaleChainError, and the chain is left as it was.
func (r *Repo) adopt(ctx context.Context, rm Remote, branch string, tip string) (string, error) {
	head := r.Head(ctx)
	if tip == "" || head == "" {
		return "", &StaleChainError{Remote: rm.Name, Tip: tip}
	}
	if r.resolve(ctx, tip+"^{commit}") == "" {
		if _, err := r.fetch(ctx, rm, branch); err != nil {
			return "", err
		}
		if r.resolve(ctx, "FETCH_HEAD") != tip {
			return "", fmt.Errorf("full history: %s's branch moved while read", rm.Name)
		}
	}
	at, err := r.matchChain(ctx, tip, head, 1)
	if err != nil {
		return "", err
	}
	if at == "" || !r.isAncestor(ctx, at, head) {
		return "", &StaleChainError{Remote: rm.Name, Tip: tip}
	}
	old, oldAt := r.resolve(ctx, chainRef), r.resolve(ctx, chainAtRef)
	if err := r.setChain(ctx, tip, old, at, oldAt); err != nil {
		return "", err
	}
	return r.extendChain(ctx)
}

// adoptOnce is adopt for one push to rm, whose branch is at tip: one at
// a time, and not again when an earlier push of the run took a chain that
// holds tip already.
func (r *Repo) adoptOnce(ctx context.Context, rm Remote, branch, tip string, timeout time.Duration) (string, error) {
	r.chainMu.Lock()
	defer r.chainMu.Unlock()
	if chain := r.resolve(ctx, chainRef); chain != "" && tip != "" && r.isAncestor(ctx, tip, chain) {
		return r.extendChain(ctx)
	}
	fctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return r.adopt(fctx, rm, branch, tip)
}

// rewritten reports whether the branch's history is not all the mirror's
// (a re-root cut it here or on another host) or a full-history chain
// exists: a remote not marked rewrite may then hold more than the branch.
func (r *Repo) rewritten(ctx context.Context) bool {
	if r.resolve(ctx, chainRef) != "" {
		return true
	}
	out, err := r.git(ctx, "log", "--max-parents=0", "--format=%s", "HEAD")
	if err != nil {
		return false
	}
	for _, s := range strings.Split(out, "\n") {
		if strings.HasPrefix(s, rootSubject) {
			return true
		}
	}
	return false
}
