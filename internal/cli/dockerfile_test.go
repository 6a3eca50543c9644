package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	line      int
	cmd, args string
}

// parseDockerfile splits text into instructions: comments and blank lines
// dropped, lines ending in a backslash joined to the next.
func parseDockerfile(text string) []instruction {
	var out []instruction
	var cur strings.Builder
	start := 0
	for i, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		more := strings.HasSuffix(t, "\\")
		cur.WriteString(strings.TrimSuffix(t, "\\") + " ")
		if more {
			continue
		}
		cmd, args, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		out = append(out, instruction{start, strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	return out
}

// stage is one FROM … AS name and its instructions.
type stage struct {
	from, name string
	ins        []instruction
}

func dockerStages(ins []instruction) []stage {
	var stages []stage
	for _, in := range ins {
		if in.cmd == "FROM" {
			f := strings.Fields(in.args)
			s := stage{from: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.name = f[2]
			}
			stages = append(stages, s)
			continue
		}
		if len(stages) > 0 {
			stages[len(stages)-1].ins = append(stages[len(stages)-1].ins, in)
		}
	}
	return stages
}

// The Docker engine is not needed: the checks read the Dockerfile as the
// builder would and hold it to what docs/deploy.md promises.
func TestDockerfileBuildsStaticAndRunsUnprivilegedWithAHealthCheck(t *testing.T) {
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	ins := parseDockerfile(string(data))
	args := map[string]string{}
	for _, in := range ins {
		if in.cmd == "ARG" {
			k, v, _ := strings.Cut(in.args, "=")
			args[k] = v
		}
		if in.cmd == "ADD" && regexp.MustCompile(`(?i)https?://|git@`).MatchString(in.args) {
			t.Errorf("Dockerfile:%d: ADD of a remote source %q (unpinned, unchecked)", in.line, in.args)
		}
	}
	stages := dockerStages(ins)
	if len(stages) < 2 {
		t.Fatalf("%d stages, want a builder and a runtime", len(stages))
	}
	expand := func(s string) string {
		return regexp.MustCompile(`\$\{(\w+)\}`).ReplaceAllStringFunc(s, func(v string) string { return args[v[2:len(v)-1]] })
	}
	build, final := stages[0], stages[len(stages)-1]
	if from := expand(build.from); from != "golang:1.26" {
		t.Errorf("builder FROM %s, want golang:1.26", from)
	}
	var static bool
	for _, in := range build.ins {
		if in.cmd == "RUN" && strings.Contains(in.args, "CGO_ENABLED=0") && strings.Contains(in.args, "go build") && strings.Contains(in.args, "./cmd/newsmirror") {
			static = true
		}
	}
	if !static {
		t.Error("the builder runs no CGO_ENABLED=0 go build of ./cmd/newsmirror")
	}
	if strings.HasPrefix(expand(final.from), "golang") {
		t.Errorf("runtime FROM %s: the toolchain image is no runtime", expand(final.from))
	}
	last := map[string]instruction{}
	var runs, copies strings.Builder
	for _, in := range final.ins {
		last[in.cmd] = in
		switch in.cmd {
		case "RUN":
			runs.WriteString(in.args + "\n")
		case "COPY":
			copies.WriteString(in.args + "\n")
		}
	}
	for _, pkg := range []string{"git", "ca-certificates"} {
		if !regexp.MustCompile(`(apk add|apt-get install)[^\n]*\b` + pkg + `\b`).MatchString(runs.String()) {
			t.Errorf("the runtime stage installs no %s", pkg)
		}
	}
	if !strings.Contains(copies.String(), "--from="+build.name) {
		t.Errorf("the runtime copies nothing from the builder %q:\n%s", build.name, copies.String())
	}
	user, ok := last["USER"]
	if name, _, _ := strings.Cut(user.args, ":"); !ok || name == "root" || name == "0" {
		t.Errorf("runtime USER %q, want an unprivileged user", user.args)
	}
	health, ok := last["HEALTHCHECK"]
	if !ok || !strings.Contains(health.args, "CMD") {
		t.Fatal("no HEALTHCHECK CMD in the runtime stage")
	}
	env := last["ENV"].args
	if !strings.Contains(health.args, "/healthz") && !(strings.Contains(health.args, "$NEWSMIRROR_HEALTH_URL") && strings.Contains(env, "/healthz")) {
		t.Errorf("HEALTHCHECK %q asks no /healthz", health.args)
	}
	if strings.Contains(health.args, "wget") && !strings.HasPrefix(expand(final.from), "alpine") {
		t.Errorf("HEALTHCHECK uses wget, which %s may lack", expand(final.from))
	}
	if _, ok := last["VOLUME"]; !ok {
		t.Error("no VOLUME for the mirror")
	}
	if cmd := last["CMD"].args; !strings.Contains(cmd, `"serve"`) {
		t.Errorf("CMD %s, want serve (the HEALTHCHECK's /healthz)", cmd)
	}

	ignore, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\.git$`).Match(ignore) {
		t.Error(".dockerignore leaves .git in the build context")
	}
}
