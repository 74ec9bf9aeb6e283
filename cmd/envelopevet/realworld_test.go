package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// defaultRealWorld are public modules with many net/http handlers, fetched
// through the Go module proxy at test time: the five of issue 16, smallest
// first, and gorilla/handlers. caddy takes the longest by far.
const defaultRealWorld = "github.com/go-chi/chi/v5@v5.5.0 " +
	"github.com/gorilla/handlers@v1.5.2 " +
	"github.com/prometheus/client_golang@v1.25.0 " +
	"github.com/prometheus/client_golang/exp@v0.0.0-20261019101427-217707f26b14 " +
	"github.com/gotify/server/v2@v2.5.0 " +
	"miniflux.app/v2@v2.3.5 " +
	"github.com/caddyserver/caddy/v2@v2.11.9"

// TestRealWorld runs envelopevet on real codebases: it counts the findings
// per analyzer, writes them to $ENVELOPEVET_REALWORLD_OUT (for review), and
// compares the time and memory of go vet without the tool, with it, and of
// the tool standalone (envelopevet -json), each from a copy of the same
// warm build cache. It runs only with
// ENVELOPEVET_REALWORLD=1; ENVELOPEVET_REALWORLD_MODULES overrides the
// modules, as space-separated path@version, and ENVELOPEVET_REALWORLD_CACHE
// names a build cache to warm and keep between runs.
func TestRealWorld(t *testing.T) {
	if os.Getenv("ENVELOPEVET_REALWORLD") != "1" {
		t.Skip("set ENVELOPEVET_REALWORLD=1 to fetch and vet real modules")
	}
	modules := strings.Fields(os.Getenv("ENVELOPEVET_REALWORLD_MODULES"))
	if len(modules) == 0 {
		modules = strings.Fields(defaultRealWorld)
	}
	out := os.Getenv("ENVELOPEVET_REALWORLD_OUT")
	if out == "" {
		out = t.TempDir()
	}
	// One warm build cache for all modules, so the standard library is
	// compiled once; each measurement runs on its own copy of it.
	warm := os.Getenv("ENVELOPEVET_REALWORLD_CACHE")
	if warm == "" {
		warm = filepath.Join(t.TempDir(), "cache-warm")
	}
	bin := envelopevet(t)
	for _, module := range modules {
		t.Run(module, func(t *testing.T) {
			work := t.TempDir()
			src := fetch(t, module, work)
			env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")

			_, err := command(src, append(env, "GOCACHE="+warm), "go", "list", "-export", "-deps", "-test", "./...")
			if embedPlaceholders(t, src, err) {
				_, err = command(src, append(env, "GOCACHE="+warm), "go", "list", "-export", "-deps", "-test", "./...")
			}
			require.NoError(t, err)

			plain := measure(t, src, env, warm, filepath.Join(work, "cache-plain"), "go", "vet", "./...")
			tool := measure(t, src, env, warm, filepath.Join(work, "cache-tool"), "go", "vet", "-vettool="+bin, "./...")
			alone := measure(t, src, env, warm, filepath.Join(work, "cache-alone"), bin, "-json", "./...")
			require.Zero(t, alone.exit, "envelopevet -json exits 0 unless it fails")

			counts, lines := findings(t, alone.stdout)
			name := strings.NewReplacer("/", "_", "@", "_").Replace(module)
			require.NoError(t, os.WriteFile(filepath.Join(out, name+".txt"), []byte(strings.Join(lines, "\n")+"\n"), 0o644))
			t.Logf("%s: findings %v", module, counts)
			t.Logf("%s: go vet        wall %v cpu %v maxrss %d MiB", module, plain.wall, plain.cpu, plain.maxrss>>10)
			t.Logf("%s: go vet+envvet wall %v cpu %v maxrss %d MiB", module, tool.wall, tool.cpu, tool.maxrss>>10)
			t.Logf("%s: envvet -json  wall %v cpu %v maxrss %d MiB", module, alone.wall, alone.cpu, alone.maxrss>>10)
			t.Logf("%s: go vet+envvet / go vet: wall %.2f cpu %.2f maxrss %.2f", module,
				tool.wall.Seconds()/plain.wall.Seconds(), tool.cpu.Seconds()/plain.cpu.Seconds(),
				float64(tool.maxrss)/float64(plain.maxrss))
			t.Logf("%s: envvet -json / go vet+envvet: wall %.2f cpu %.2f maxrss %.2f", module,
				alone.wall.Seconds()/tool.wall.Seconds(), alone.cpu.Seconds()/tool.cpu.Seconds(),
				float64(alone.maxrss)/float64(tool.maxrss))
		})
	}
}

// fetch downloads module through the module proxy and copies it, writable,
// into work/src.
func fetch(t *testing.T, module, work string) string {
	stdout, err := command(work, os.Environ(), "go", "mod", "download", "-json", module)
	require.NoError(t, err, stdout)
	var info struct{ Dir string }
	require.NoError(t, json.Unmarshal([]byte(stdout), &info))
	src := filepath.Join(work, "src")
	_, err = command(work, os.Environ(), "cp", "-r", info.Dir, src)
	require.NoError(t, err)
	_, err = command(work, os.Environ(), "chmod", "-R", "u+w", src)
	require.NoError(t, err)
	return src
}

// embedPlaceholders creates an empty file for each //go:embed pattern that
// err says matches nothing, and reports whether it created any: a module's
// zip leaves out files built outside Go (gotify embeds its web UI's build).
func embedPlaceholders(t *testing.T, src string, err error) bool {
	if err == nil {
		return false
	}
	missing := regexp.MustCompile(`(\S+\.go):\d+:\d+: pattern (\S+): no matching files found`).FindAllStringSubmatch(err.Error(), -1)
	for _, m := range missing {
		dir := filepath.Dir(m[1])
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(src, dir)
		}
		file := filepath.Join(dir, strings.ReplaceAll(m[2], "*", "placeholder"))
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
		require.NoError(t, os.WriteFile(file, nil, 0o644))
		t.Logf("created %s for the //go:embed pattern %q of %s", file, m[2], m[1])
	}
	return len(missing) > 0
}

type cost struct {
	wall, cpu time.Duration
	maxrss    int64 // KiB, of the largest process
	exit      int
	stdout    string
}

// measure runs a command from a fresh copy of the warm cache.
func measure(t *testing.T, dir string, env []string, warm, cache string, name string, args ...string) cost {
	_, err := command(dir, env, "cp", "-r", warm, cache)
	require.NoError(t, err)
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(env, "GOCACHE="+cache)
	var stdout strings.Builder
	cmd.Stdout = &stdout
	start := time.Now()
	_ = cmd.Run() // go vet exits non-zero on findings
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return cost{wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), ru.Maxrss, cmd.ProcessState.ExitCode(), stdout.String()}
}

func command(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String(), fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// findings counts the diagnostics of a -json report per analyzer and lists
// them as "analyzer: posn: message", checking that none is listed twice.
func findings(t *testing.T, report string) (map[string]int, []string) {
	var parsed map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	require.NoError(t, json.Unmarshal([]byte(report), &parsed))
	counts := map[string]int{}
	seen := map[string]bool{}
	var lines []string
	for _, byAnalyzer := range parsed {
		for analyzer, diags := range byAnalyzer {
			for _, d := range diags {
				line := analyzer + ": " + d.Posn + ": " + d.Message
				require.False(t, seen[line], "listed twice: %s", line)
				seen[line] = true
				counts[analyzer]++
				lines = append(lines, line)
			}
		}
	}
	sort.Strings(lines)
	return counts, lines
}
