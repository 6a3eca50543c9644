package publish

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Repo is the mirror's Git repository, driven through the git binary.
type Repo struct {
	Dir    string
	author string // "Name <email>"
	// settings caches the configuration commits read (commitSettings):
	// read at the first commit that succeeds in reading it.
	settingsMu sync.Mutex
	settings   *commitSettings
	// crash, when set (by tests), is called between the steps of a
	// re-root; an error stops the re-root there, as a killed run would.
	crash func(step string) error
	// chainMu serialises the pushes that take a remote's branch as the
	// full-history chain (adopt).
	chainMu sync.Mutex
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
//
// It commits with git's plumbing (write-tree, commit-tree, update-ref)
// rather than "git commit", which stats every file of the tree to refresh
// the index and reads every tree of HEAD to see whether anything is
// staged: work that grows with the mirror, where this grows with the
// change. The message is cleaned as "git commit -F" cleans it, the
// reflogs read "commit: <subject>" as git commit's do, commit.gpgSign is
// honoured, and the automatic maintenance git commit starts is started
// (in the foreground, see run); the prepare-commit-msg and post-commit
// hooks, which "git commit --no-verify" still ran, no longer run.
func (r *Repo) Commit(ctx context.Context, paths []string, message string, when time.Time) (string, error) {
	if len(paths) == 0 {
		return "", nil
	}
	if err := r.stage(ctx, paths); err != nil {
		return "", err
	}
	tree, err := r.git(ctx, "write-tree")
	if err != nil {
		return "", err
	}
	tree = strings.TrimSpace(tree)
	parent, parentTree, err := r.head(ctx)
	if err != nil || tree == parentTree || parent == "" && emptyTrees[tree] {
		return "", err
	}
	return r.commitTree(ctx, tree, parent, cleanMessage(message), when)
}

// emptyTrees are the names of the tree with no file (SHA-1, SHA-256):
// nothing to make a first commit of.
var emptyTrees = map[string]bool{
	"4b825dc642cb6eb9a060e54bf8d69288fbee4904":                         true,
	"6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321": true,
}

// commitTree commits tree on parent ("" for a first commit), moves HEAD
// to it and starts git's automatic maintenance, as git commit does.
func (r *Repo) commitTree(ctx context.Context, tree, parent, message string, when time.Time) (string, error) {
	settings, err := r.commitSettings(ctx)
	if err != nil {
		return "", err
	}
	args, reflog := []string{"commit-tree", tree}, "commit (initial): "
	if parent != "" {
		args, reflog = append(args, "-p", parent), "commit: "
	}
	if settings.sign {
		args = append(args, "-S") // commit-tree does not read commit.gpgSign
	}
	commit, err := r.gitEnv(ctx, dated(when, when), strings.NewReader(message), args...)
	if err != nil {
		return "", err
	}
	commit = strings.TrimSpace(commit)
	// The old value makes the update fail if HEAD moved meanwhile; an
	// empty one, if a first commit appeared.
	subject, _, _ := strings.Cut(message, "\n")
	if _, err := r.git(ctx, "update-ref", "-m", reflog+subject, "HEAD", commit, parent); err != nil {
		return "", err
	}
	if !settings.maintain {
		return commit, nil
	}
	// A gc when enough loose objects or packs piled up.
	_, err = r.git(ctx, "maintenance", "run", "--auto", "--quiet")
	return commit, err
}

// commitSettings is the repository's configuration git commit reads and
// the plumbing does not.
type commitSettings struct {
	sign     bool // commit.gpgSign: sign the commit
	maintain bool // maintenance.auto (default true): false when "git maintenance start" took over
}

// commitSettings reads the settings, once per Repo.
func (r *Repo) commitSettings(ctx context.Context) (commitSettings, error) {
	r.settingsMu.Lock()
	defer r.settingsMu.Unlock()
	if r.settings == nil {
		s, err := r.readCommitSettings(ctx)
		if err != nil {
			return s, err
		}
		r.settings = &s
	}
	return *r.settings, nil
}

// readCommitSettings reads the settings in one run of git config.
func (r *Repo) readCommitSettings(ctx context.Context) (commitSettings, error) {
	s := commitSettings{maintain: true}
	out, err := r.git(ctx, "config", "--type=bool", "--get-regexp", `^(commit\.gpgsign|maintenance\.auto)$`)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return s, nil // neither is set
	}
	if err != nil {
		return s, err
	}
	for line := range strings.Lines(out) {
		key, value, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch key {
		case "commit.gpgsign":
			s.sign = value == "true"
		case "maintenance.auto":
			s.maintain = value != "false"
		}
	}
	return s, nil
}

// compressedExts are the file types stored compressed already (photos,
// PNG screenshots and QR codes): deflating them again gains nothing.
var compressedExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".avif": true}

// stage records paths in the index, writing their blobs as loose
// objects. Text is deflated at zlib's fastest level (git's default for
// loose objects, whatever core.compression says); files stored compressed
// already are not deflated (level 0): deflating a photo costs about as
// much as hashing it and saves under 1 %. git gc packs both at its own
// level, so only the loose objects between two gcs differ.
//
// update-index takes the paths as they are: no pathspec matching (which
// costs paths × files), and a path neither on disk nor in the index
// (written and removed again before a commit) is skipped. --replace
// drops an entry in the way: a symbolic link "pages/c1" the tree replaced
// by a real folder (Tree.Write) gives way to its files.
func (r *Repo) stage(ctx context.Context, paths []string) error {
	var text, compressed []string
	for _, p := range paths {
		if compressedExts[strings.ToLower(path.Ext(p))] {
			compressed = append(compressed, p)
		} else {
			text = append(text, p)
		}
	}
	for _, batch := range []struct {
		level string
		paths []string
	}{{"1", text}, {"0", compressed}} {
		if len(batch.paths) == 0 {
			continue
		}
		_, err := r.run(ctx, command{
			args:   []string{"update-index", "--add", "--remove", "--replace", "-z", "--stdin"},
			config: []string{"core.looseCompression", batch.level},
			stdin:  strings.NewReader(strings.Join(batch.paths, "\x00") + "\x00"),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// head returns HEAD's commit and tree, both "" on a branch with no commit
// yet.
func (r *Repo) head(ctx context.Context) (commit, tree string, err error) {
	out, err := r.git(ctx, "rev-parse", "HEAD", "HEAD^{tree}")
	if f := strings.Fields(out); err == nil && len(f) == 2 && isHash(f[0]) && isHash(f[1]) {
		return f[0], f[1], nil
	}
	// No HEAD, or a broken one: only the first is a first commit.
	if has, herr := r.HasCommit(ctx); herr != nil || has {
		return "", "", fmt.Errorf("read HEAD: %w", errors.Join(err, herr))
	}
	return "", "", nil
}

// isHash reports whether s is an object name (SHA-1 or SHA-256, hex).
func isHash(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// cleanMessage cleans a commit message as "git commit -F" does by
// default: trailing spaces off each line, no leading or trailing blank
// lines, runs of blank lines made one, and a final newline.
func cleanMessage(m string) string {
	var b strings.Builder
	blank := false
	for line := range strings.Lines(m) {
		line = strings.TrimRight(line, " \t\r\n\v\f")
		if line == "" {
			blank = b.Len() > 0
			continue
		}
		if blank {
			b.WriteByte('\n')
			blank = false
		}
		b.WriteString(line + "\n")
	}
	return b.String()
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
	c := command{args: args, env: env}
	if stdin != nil {
		c.stdin = stdin
	}
	return r.run(ctx, c)
}

// command is one run of git.
type command struct {
	args []string
	env  []string // more environment variables (a commit's dates)
	// config is more configuration for this run only, as key, value,
	// key, value: the repository's own configuration is never changed.
	config []string
	stdin  io.Reader
}

// baseConfig is every run's configuration: the automatic gc after a
// commit runs in the foreground, as a detached one would outlive the
// mirror's lock and race Recover and the gc after a re-root.
var baseConfig = []string{"gc.autoDetach", "false"}

// run runs c in the repository with a fixed identity and no system
// configuration. On failure it returns what git wrote on its standard
// output with the error.
func (r *Repo) run(ctx context.Context, c command) (string, error) {
	name, email := splitAuthor(r.author)
	cmd := exec.CommandContext(ctx, "git", c.args...)
	cmd.Dir = r.Dir
	// A killed git may leave a helper (ssh, git-remote-https) holding the
	// pipes; stop waiting for it.
	cmd.WaitDelay = 5 * time.Second
	cmd.SysProcAttr = childAttr()
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME="+name, "GIT_AUTHOR_EMAIL="+email,
		"GIT_COMMITTER_NAME="+name, "GIT_COMMITTER_EMAIL="+email,
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_LITERAL_PATHSPECS=1", "LC_ALL=C")
	cmd.Env = append(cmd.Env, configEnv(append(baseConfig[:len(baseConfig):len(baseConfig)], c.config...))...)
	cmd.Env = append(cmd.Env, c.env...)
	cmd.Stdin = c.stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && quietCommands[c.args[0]] {
		return "", err // these answer through their exit code
	}
	if err != nil {
		return stdout.String(), fmt.Errorf("git %s: %w: %s", c.args[0], err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// configEnv passes config (key, value pairs) to git through its
// environment (GIT_CONFIG_COUNT), which outranks every configuration file.
func configEnv(config []string) []string {
	env := []string{"GIT_CONFIG_COUNT=" + strconv.Itoa(len(config)/2)}
	for i := 0; i+1 < len(config); i += 2 {
		n := strconv.Itoa(i / 2)
		env = append(env, "GIT_CONFIG_KEY_"+n+"="+config[i], "GIT_CONFIG_VALUE_"+n+"="+config[i+1])
	}
	return env
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
