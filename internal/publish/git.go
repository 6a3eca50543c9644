package publish

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Repo is the mirror's Git repository, driven through the git binary.
type Repo struct {
	Dir    string
	author string // "Name <email>"
	// crash, when set (by tests), is called between the steps of a
	// re-root; an error stops the re-root there, as a killed run would.
	crash func(step string) error
}

// OpenRepo opens the repository at dir, creating the folder and running
// git init (branch main) when there is none. author signs the commits.
func OpenRepo(ctx context.Context, dir, author string) (*Repo, error) {
	r := &Repo{Dir: dir, author: author}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		return r, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create mirror %s: %w", dir, err)
	}
	if _, err := r.git(ctx, "init", "-q", "-b", "main"); err != nil {
		return nil, err
	}
	return r, nil
}

// Commit stages paths (added, changed or deleted files, relative to the
// repository) and commits them with message, dated when (the zero time:
// git's clock). It returns the new commit's hash, or "" when the paths
// hold no change.
func (r *Repo) Commit(ctx context.Context, paths []string, message string, when time.Time) (string, error) {
	if len(paths) == 0 {
		return "", nil
	}
	// update-index takes the paths as they are: no pathspec matching
	// (which costs paths × files), and a path neither on disk nor in the
	// index (written and removed again before a commit) is skipped.
	// --replace drops an entry in the way: a symbolic link "pages/c1" the
	// tree replaced by a real folder (Tree.Write) gives way to its files.
	list := strings.NewReader(strings.Join(paths, "\x00") + "\x00")
	if _, err := r.gitStdin(ctx, list, "update-index", "--add", "--remove", "--replace", "-z", "--stdin"); err != nil {
		return "", err
	}
	if _, err := r.git(ctx, "diff", "--cached", "--quiet"); err == nil {
		return "", nil
	}
	if _, err := r.gitEnv(ctx, dated(when, when), strings.NewReader(message), "commit", "-q", "--no-verify", "-F", "-"); err != nil {
		return "", err
	}
	out, err := r.git(ctx, "rev-parse", "HEAD")
	return strings.TrimSpace(out), err
}

func (r *Repo) git(ctx context.Context, args ...string) (string, error) {
	return r.gitStdin(ctx, nil, args...)
}

// gitStdin runs git in the repository with a fixed identity and no user or
// system configuration that could change its behaviour.
func (r *Repo) gitStdin(ctx context.Context, stdin *strings.Reader, args ...string) (string, error) {
	return r.gitEnv(ctx, nil, stdin, args...)
}

// gitEnv is gitStdin with more environment variables (a commit's dates).
func (r *Repo) gitEnv(ctx context.Context, env []string, stdin *strings.Reader, args ...string) (string, error) {
	out, err := r.gitOut(ctx, env, stdin, args...)
	if err != nil {
		return "", err
	}
	return out, nil
}

// gitOut is gitEnv that also returns what git wrote on its standard
// output when it fails (git push --porcelain reports each ref there).
func (r *Repo) gitOut(ctx context.Context, env []string, stdin *strings.Reader, args ...string) (string, error) {
	name, email := splitAuthor(r.author)
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = r.Dir
	// A killed git may leave a helper (ssh, git-remote-https) holding the
	// pipes; stop waiting for it.
	cmd.WaitDelay = 5 * time.Second
	cmd.SysProcAttr = childAttr()
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+email,
		"GIT_COMMITTER_NAME="+name, "GIT_COMMITTER_EMAIL="+email,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_LITERAL_PATHSPECS=1", "LC_ALL=C",
		// The automatic gc after a commit runs in the foreground: a
		// detached one would outlive the mirror's lock and race Recover
		// and the gc after a re-root.
		"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=gc.autoDetach", "GIT_CONFIG_VALUE_0=false")
	cmd.Env = append(cmd.Env, env...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && quietCommands[args[0]] {
		return "", err // these answer through their exit code
	}
	if err != nil {
		return stdout.String(), fmt.Errorf("git %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// quietCommands answer yes or no through their exit code.
var quietCommands = map[string]bool{"diff": true, "rev-parse": true}

// dated is the environment that dates a commit: author, committer; a
// zero time leaves that date to git's clock.
func dated(author, committer time.Time) []string {
	var env []string
	if !author.IsZero() {
		env = append(env, "GIT_AUTHOR_DATE="+gitDate(author))
	}
	if !committer.IsZero() {
		env = append(env, "GIT_COMMITTER_DATE="+gitDate(committer))
	}
	return env
}

// gitDate is t in git's internal date format ("1767225600 +0800").
func gitDate(t time.Time) string { return fmt.Sprintf("%d %s", t.Unix(), t.Format("-0700")) }

func splitAuthor(a string) (name, email string) {
	i := strings.LastIndex(a, "<")
	if i < 0 {
		return strings.TrimSpace(a), ""
	}
	return strings.TrimSpace(a[:i]), strings.Trim(a[i:], "<> ")
}

// HasCommit reports whether the current branch has a commit.
func (r *Repo) HasCommit(ctx context.Context) (bool, error) {
	_, err := r.git(ctx, "rev-parse", "--verify", "-q", "HEAD")
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return false, nil
	}
	return err == nil, err
}

// Tracked returns the files the repository's index holds under paths
// (files or folders, slash-separated), as slash paths.
func (r *Repo) Tracked(ctx context.Context, paths ...string) (map[string]bool, error) {
	out, err := r.git(ctx, append([]string{"ls-files", "-z", "--"}, paths...)...)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, p := range strings.Split(out, "\x00") {
		if p != "" {
			set[p] = true
		}
	}
	return set, nil
}
