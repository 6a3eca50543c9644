// Package action holds the tests of newsmirror's GitHub Action: action.yml
// at the repository root runs this folder's run.sh, and action_test.go runs
// that script as a runner would, with a fake GITHUB_* environment, a
// loopback news site and a bare remote. It has no code of its own.
package action
