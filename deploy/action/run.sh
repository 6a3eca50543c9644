#!/usr/bin/env bash
# The shell steps of newsmirror's GitHub Action (action.yml at the
# repository root), kept here so that they can be run and tested outside
# GitHub (deploy/action/action_test.go runs them with a fake GITHUB_*
# environment, a loopback news site and a bare remote).
#
#   run.sh build   build newsmirror from the action's own checkout
#                  (GITHUB_ACTION_PATH) into RUNNER_TEMP and put it on
#                  GITHUB_PATH
#   run.sh sync    fetch the state branch, run newsmirror check and sync,
#                  push, and exit 0 when the run passed, 1 when it failed
#
# Inputs come from the environment (action.yml sets them from its inputs):
#   NEWSMIRROR_BIN          the binary (default: newsmirror on PATH)
#   NEWSMIRROR_CONFIG       configuration file (default newsmirror.yaml)
#   NEWSMIRROR_DIR          where to run (default GITHUB_WORKSPACE)
#   NEWSMIRROR_ARGS         more sync flags, split at spaces (e.g. --adopt)
#   NEWSMIRROR_PUSH         remote to push HEAD to after the sync
#                           (default origin; empty: none, publish.remotes only)
#   NEWSMIRROR_BRANCH       branch pushed to (default GITHUB_REF_NAME, else
#                           the checked-out branch)
#   NEWSMIRROR_STATE_BRANCH branch carrying the state export, fetched
#                           before and pushed after (default newsmirror-state)
#
# Outputs (GITHUB_OUTPUT): exit-code, outcome, commit, pushed. A line for
# the job's summary goes to GITHUB_STEP_SUMMARY.
#
# Exit codes of newsmirror sync (README.md) and what the step makes of them:
#   0 ok, 3 partial (within publish.max_failed_share, or a push to a
#   publish.remotes entry failed): pass, after pushing;
#   6 too many failures: what succeeded is committed and pushed, then fail;
#   5 nothing read, 1 stopped, 2 bad configuration, 130/143 signal: fail,
#   nothing pushed.
set -uo pipefail

# output writes name=value to the step's outputs.
output() {
	if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi
}

# summary appends a line to the job's summary.
summary() {
	if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then printf '%s\n' "$1" >>"$GITHUB_STEP_SUMMARY"; fi
}

# fail reports an error annotation, the outputs and the summary, and exits 1.
fail() {
	local code=$1 outcome=$2 msg=$3
	echo "::error title=newsmirror::$msg"
	output exit-code "$code"
	output outcome "$outcome"
	summary "newsmirror: **$outcome** (exit $code): $msg"
	exit 1
}

build() {
	local src=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
	local out=${RUNNER_TEMP:?RUNNER_TEMP is not set}/newsmirror-bin
	mkdir -p "$out" || exit 1
	# Static: modernc.org/sqlite needs no cgo.
	(cd "$src" && CGO_ENABLED=0 go build -o "$out/newsmirror" ./cmd/newsmirror) || {
		echo "::error title=newsmirror::go build failed in $src"
		exit 1
	}
	if [ -n "${GITHUB_PATH:-}" ]; then echo "$out" >>"$GITHUB_PATH"; fi
	output bin "$out/newsmirror"
	echo "built $out/newsmirror ($("$out/newsmirror" version 2>/dev/null || git -C "$src" rev-parse --short HEAD 2>/dev/null))"
}

# fetch_state brings the remote's state branch, if it has one, so that a
# run on a fresh checkout picks up where the last one stopped.
fetch_state() {
	local remote=$1 branch=$2
	[ -n "$remote" ] && [ -n "$branch" ] || return 0
	if git ls-remote --exit-code "$remote" "refs/heads/$branch" >/dev/null 2>&1; then
		git fetch --quiet --no-tags "$remote" "+refs/heads/$branch:refs/remotes/$remote/$branch" ||
			echo "::warning title=newsmirror::could not fetch the state branch $branch from $remote"
	fi
}

# push sends HEAD to the branch, and the state branch when there is one.
push() {
	local remote=$1 branch=$2 state=$3
	local refs=("HEAD:refs/heads/$branch")
	if [ -n "$state" ] && git show-ref --verify --quiet "refs/heads/$state"; then
		refs+=("refs/heads/$state:refs/heads/$state")
	fi
	git push --quiet "$remote" "${refs[@]}"
}

sync() {
	local bin=${NEWSMIRROR_BIN:-newsmirror}
	local config=${NEWSMIRROR_CONFIG:-newsmirror.yaml}
	local dir=${NEWSMIRROR_DIR:-${GITHUB_WORKSPACE:-.}}
	local remote=${NEWSMIRROR_PUSH-origin}
	local state=${NEWSMIRROR_STATE_BRANCH-newsmirror-state}
	local args=()
	read -r -a args <<<"${NEWSMIRROR_ARGS:-}"
	cd "$dir" || fail 1 failed "no folder $dir"
	local branch=${NEWSMIRROR_BRANCH:-${GITHUB_REF_NAME:-}}
	if [ -z "$branch" ]; then branch=$(git symbolic-ref --quiet --short HEAD 2>/dev/null); fi
	if [ -n "$remote" ] && [ -z "$branch" ]; then fail 2 failed "no branch to push to (set the branch input)"; fi

	"$bin" check -c "$config" || fail 2 failed "$config: the configuration does not check (see above)"
	fetch_state "$remote" "$state"

	local log=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/newsmirror-sync.log
	"$bin" sync -c "$config" "${args[@]}" 2>&1 | tee "$log"
	local code=${PIPESTATUS[0]}
	local why
	why=$(grep -E '^exit [0-9]+: ' "$log" | tail -n 1)
	output exit-code "$code"
	output commit "$(git rev-parse --quiet --verify HEAD 2>/dev/null)"

	local outcome pushable=yes passed=yes
	case $code in
	0) outcome=ok ;;
	3) outcome=partial ;;
	6) outcome=too-many-failed passed=no ;;
	5) outcome=nothing-read passed=no pushable=no ;;
	130 | 143) outcome=stopped passed=no pushable=no ;;
	*) outcome=failed passed=no pushable=no ;;
	esac

	local pushed=false
	if [ -n "$remote" ] && [ $pushable = yes ]; then
		if push "$remote" "$branch" "$state"; then
			pushed=true
		else
			output pushed false
			fail "$code" push-failed "the sync passed (exit $code) but git push to $remote $branch failed"
		fi
	fi
	output pushed "$pushed"
	if [ $passed = no ]; then
		fail "$code" "$outcome" "${why:-newsmirror sync exited $code}"
	fi
	output outcome "$outcome"
	summary "newsmirror: **$outcome** (exit $code)${why:+: ${why#exit [0-9]*: }}; pushed: $pushed"
}

case ${1:-} in
build) build ;;
sync) sync ;;
*)
	echo "usage: run.sh build|sync" >&2
	exit 2
	;;
esac
