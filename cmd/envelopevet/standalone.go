package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
)

// module is this tool's module, which the code its fixes write imports.
const module = "github.com/apienvelope/apienvelope"

// standalone runs envelopevet on the packages that args name, through
// go vet -vettool=<this binary> -json: go vet analyses one package per
// process and keeps what it learnt of dependencies (facts, export data) in
// its build cache, so the memory peak is that of the largest package, not
// of the whole program loaded at once, and the findings are go vet mode's
// by construction. It prints them once each, applies fixes with -fix, and
// returns the exit code.
func standalone(args []string) int {
	// -json, -fix and -diff are this function's; go vet gets the rest
	// (analyzer flags, build flags, packages) as they are.
	var jsonOut, fix, diff bool
	var vetArgs []string
	for _, arg := range args {
		switch name, on, ok := boolFlag(arg); {
		case ok && name == "json":
			jsonOut = on
		case ok && name == "fix":
			fix = on
		case ok && name == "diff":
			diff = on
		default:
			vetArgs = append(vetArgs, arg)
		}
	}
	found, err := vet(vetArgs)
	if !fix {
		if jsonOut {
			found.printJSON(os.Stdout)
		} else {
			found.printText(os.Stderr)
		}
		return exitCode(found, err, jsonOut)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "envelopevet:", err)
		return 1
	}

	// go vet -fix applies the first fix of each finding, with the driver
	// that merges fixes and formats the files (x/tools' ApplyFixes); it
	// says so on stderr when fixes conflict, and with -diff it exits 1 on
	// any diff.
	fixArgs := append([]string{"-fix"}, vetArgs...)
	if diff {
		fixArgs = append([]string{"-diff"}, fixArgs...)
	}
	if err = goVet(fixArgs, os.Stdout); diff {
		err = nil
	}
	// Not rerun after fixing: the fixed code may not build before the go
	// get line below is run.
	remaining := found.withoutFixes()
	if len(remaining) > 0 {
		fmt.Fprintf(os.Stderr, "envelopevet: %d findings not fixed:\n", len(remaining))
		remaining.printText(os.Stderr)
	}
	return exitCode(remaining, errors.Join(err, adviseGoGet(found.fixedFiles(), os.Stderr)), false)
}

// boolFlag parses arg as a boolean flag: -name, --name or -name=value.
func boolFlag(arg string) (name string, on, ok bool) {
	if !strings.HasPrefix(arg, "-") {
		return "", false, false
	}
	name, value, hasValue := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
	if !hasValue {
		return name, true, true
	}
	on, err := strconv.ParseBool(value)
	return name, on, err == nil
}

// exitCode prints err, if any, and returns 3 when there are findings (0
// with -json), else 1 for an error, else 0, as the analysis drivers of
// x/tools do.
func exitCode(found findings, err error, jsonOut bool) int {
	code := 0
	if err != nil {
		fmt.Fprintln(os.Stderr, "envelopevet:", err)
		code = 1
	}
	if len(found) > 0 && !jsonOut {
		code = 3
	}
	return code
}

// A finding is one diagnostic of go vet -json, kept whole for -json.
type finding struct {
	pkg, analyzer string
	Posn          string `json:"posn"`
	Message       string `json:"message"`
	Fixes         []struct {
		Edits []struct {
			Filename string `json:"filename"`
			New      string `json:"new"`
		} `json:"edits"`
	} `json:"suggested_fixes"`
	raw json.RawMessage
}

type findings []*finding

// vet runs go vet -json with args and returns its findings, each once, in
// the order of their positions. Its error says what failed (a package that
// does not build, an analyzer's error); the findings of the others are
// returned with it.
func vet(args []string) (findings, error) {
	var stdout bytes.Buffer
	errs := []error{goVet(append([]string{"-json"}, args...), &stdout)}
	var found findings
	seen := map[string]bool{}
	// go vet prints one object per package: package -> analyzer ->
	// diagnostics, or {"error": ...} when the analyzer failed.
	dec := json.NewDecoder(&stdout)
	for dec.More() {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err != nil {
			return found, errors.Join(append(errs, fmt.Errorf("reading go vet -json: %w", err))...)
		}
		for pkg, byAnalyzer := range tree {
			for analyzer, raw := range byAnalyzer {
				var diags []json.RawMessage
				if err := json.Unmarshal(raw, &diags); err != nil {
					var failed struct{ Error string }
					if err := json.Unmarshal(raw, &failed); err != nil {
						return found, errors.Join(append(errs, fmt.Errorf("reading go vet -json: %w", err))...)
					}
					errs = append(errs, fmt.Errorf("%s: %s: %s", pkg, analyzer, failed.Error))
					continue
				}
				for _, d := range diags {
					f := &finding{pkg: pkg, analyzer: analyzer, raw: d}
					if err := json.Unmarshal(d, f); err != nil {
						return found, errors.Join(append(errs, fmt.Errorf("reading go vet -json: %w", err))...)
					}
					// A file in two packages would report twice.
					if key := f.key(); !seen[key] {
						seen[key] = true
						found = append(found, f)
					}
				}
			}
		}
	}
	slices.SortStableFunc(found, func(a, b *finding) int { return comparePosn(a.Posn, b.Posn) })
	return found, errors.Join(errs...)
}

// key identifies a finding, whichever package reported it.
func (f *finding) key() string { return f.analyzer + " " + f.Posn + " " + f.Message }

// goVet runs go vet with this binary as its tool; stdout goes to w,
// stderr (build errors) to this process's.
func goVet(args []string, w io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command("go", append([]string{"vet", "-vettool=" + self}, args...)...)
	cmd.Stdout, cmd.Stderr = w, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go vet: %w", err)
	}
	return nil
}

// comparePosn orders "file:line:col" positions by file, then line and
// column as numbers.
func comparePosn(a, b string) int {
	split := func(p string) (string, int, int) {
		rest, col := cutLast(p)
		file, line := cutLast(rest)
		l, _ := strconv.Atoi(line)
		c, _ := strconv.Atoi(col)
		return file, l, c
	}
	fa, la, ca := split(a)
	fb, lb, cb := split(b)
	if c := strings.Compare(fa, fb); c != 0 {
		return c
	}
	if la != lb {
		return la - lb
	}
	return ca - cb
}

// cutLast cuts s around its last colon.
func cutLast(s string) (before, after string) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}

// printText prints each finding as "posn: message", as go vet does.
func (found findings) printText(w io.Writer) {
	for _, f := range found {
		fmt.Fprintf(w, "%s: %s\n", f.Posn, f.Message)
	}
}

// printJSON prints the findings in go vet's JSON form, one object:
// package -> analyzer -> diagnostics.
func (found findings) printJSON(w io.Writer) {
	tree := map[string]map[string][]json.RawMessage{}
	for _, f := range found {
		if tree[f.pkg] == nil {
			tree[f.pkg] = map[string][]json.RawMessage{}
		}
		tree[f.pkg][f.analyzer] = append(tree[f.pkg][f.analyzer], f.raw)
	}
	out, _ := json.MarshalIndent(tree, "", "\t") // raw messages of valid JSON
	fmt.Fprintf(w, "%s\n", out)
}

// withoutFixes returns the findings that no suggested fix removes: those
// with no fix of their own and no fix for another finding at the same call
// (rawwrite's finding on http.Error goes with rawstatus's fix).
func (found findings) withoutFixes() findings {
	fixed := map[string]bool{}
	for _, f := range found {
		if len(f.Fixes) > 0 {
			fixed[f.Posn] = true
		}
	}
	var rest findings
	for _, f := range found {
		if !fixed[f.Posn] {
			rest = append(rest, f)
		}
	}
	return rest
}

// fixedFiles returns the files to which the first fix of a finding adds an
// import of this module.
func (found findings) fixedFiles() []string {
	var files []string
	for _, f := range found {
		if len(f.Fixes) == 0 {
			continue
		}
		for _, e := range f.Fixes[0].Edits {
			if strings.Contains(e.New, `"`+module+`/`) && !slices.Contains(files, e.Filename) {
				files = append(files, e.Filename)
			}
		}
	}
	return files
}

// adviseGoGet prints the go get line that the fixed files need, once for
// each module whose go.mod does not require this tool's module.
func adviseGoGet(files []string, w io.Writer) error {
	advised := map[string]bool{}
	for _, file := range files {
		gomod, err := findGoMod(filepath.Dir(file))
		if err != nil {
			return err
		}
		if advised[gomod] {
			continue
		}
		advised[gomod] = true
		out, err := exec.Command("go", "mod", "edit", "-json", gomod).Output()
		if err != nil {
			return fmt.Errorf("go mod edit -json %s: %w", gomod, err)
		}
		var mod struct {
			Module  struct{ Path string }
			Require []struct{ Path string }
		}
		if err := json.Unmarshal(out, &mod); err != nil {
			return fmt.Errorf("go mod edit -json %s: %w", gomod, err)
		}
		if mod.Module.Path == module || slices.ContainsFunc(mod.Require, func(r struct{ Path string }) bool { return r.Path == module }) {
			continue
		}
		fmt.Fprintf(w, "envelopevet: the fixed code imports packages of %s, which %s does not require; in %s, run:\n\tgo get %s@%s\n",
			module, gomod, filepath.Dir(gomod), module, toolVersion())
	}
	return nil
}

// findGoMod returns the go.mod of the module that holds dir.
func findGoMod(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		gomod := filepath.Join(d, "go.mod")
		if _, err := os.Stat(gomod); err == nil {
			return gomod, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod above " + dir)
		}
	}
}

// toolVersion returns the version of this tool's module in the binary, or
// "latest" when it was built from a work tree ("(devel)", or a version
// stamped from uncommitted changes).
func toolVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "latest"
	}
	version := ""
	if info.Main.Path == module {
		version = info.Main.Version
	}
	for _, dep := range info.Deps {
		if dep.Path == module {
			version = dep.Version
		}
	}
	if version == "" || version == "(devel)" || strings.HasSuffix(version, "+dirty") {
		return "latest"
	}
	return version
}
