package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// defaultRealWorld are public modules with many net/http handlers, fetched
// through the Go module proxy at test time.
const defaultRealWorld = "github.com/go-chi/chi/v5@v5.5.0 github.com/gorilla/handlers@v1.5.2 github.com/prometheus/client_golang@v1.25.0"

// TestRealWorld runs envelopevet on real codebases: it counts the findings
// per analyzer, writes them to $ENVELOPEVET_REALWORLD_OUT (for review), and
// compares the time and memory of go vet with and without the tool, both
// from a copy of the same warm build cache. It runs only with
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
			require.NoError(t, err)

			plain := measure(t, src, env, warm, filepath.Join(work, "cache-plain"), "go", "vet", "./...")
			tool := measure(t, src, env, warm, filepath.Join(work, "cache-tool"), "go", "vet", "-vettool="+bin, "./...")

			stdout, err := command(src, append(env, "GOCACHE="+warm), bin, "-json", "./...")
			require.NoError(t, err)
			counts, lines := findings(t, stdout)
			name := strings.NewReplacer("/", "_", "@", "_").Replace(module)
			require.NoError(t, os.WriteFile(filepath.Join(out, name+".txt"), []byte(strings.Join(lines, "\n")+"\n"), 0o644))
			t.Logf("%s: findings %v", module, counts)
			t.Logf("%s: go vet        wall %v cpu %v maxrss %d MiB", module, plain.wall, plain.cpu, plain.maxrss>>10)
			t.Logf("%s: go vet+envvet wall %v cpu %v maxrss %d MiB", module, tool.wall, tool.cpu, tool.maxrss>>10)
			t.Logf("%s: ratio wall %.2f cpu %.2f maxrss %.2f", module,
				tool.wall.Seconds()/plain.wall.Seconds(), tool.cpu.Seconds()/plain.cpu.Seconds(),
				float64(tool.maxrss)/float64(plain.maxrss))
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

type cost struct {
	wall, cpu time.Duration
	maxrss    int64 // KiB, of the largest process
}

// measure runs a command from a fresh copy of the warm cache.
func measure(t *testing.T, dir string, env []string, warm, cache string, name string, args ...string) cost {
	_, err := command(dir, env, "cp", "-r", warm, cache)
	require.NoError(t, err)
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(env, "GOCACHE="+cache)
	start := time.Now()
	_ = cmd.Run() // go vet exits non-zero on findings
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return cost{wall, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), ru.Maxrss}
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
// them as "analyzer: posn: message". A package and its test variant report
// the same finding twice: it is counted once.
func findings(t *testing.T, report string) (map[string]int, []string) {
	var parsed map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	// -json prints one object per package root; decode them in turn.
	dec := json.NewDecoder(strings.NewReader(report))
	counts := map[string]int{}
	seen := map[string]bool{}
	var lines []string
	for dec.More() {
		require.NoError(t, dec.Decode(&parsed))
		for _, byAnalyzer := range parsed {
			for analyzer, diags := range byAnalyzer {
				for _, d := range diags {
					line := analyzer + ": " + d.Posn + ": " + d.Message
					if !seen[line] {
						seen[line] = true
						counts[analyzer]++
						lines = append(lines, line)
					}
				}
			}
		}
		parsed = nil
	}
	sort.Strings(lines)
	return counts, lines
}
