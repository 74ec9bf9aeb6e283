// Package testing is a stub of the standard library's testing for the
// analyzers' tests (see net/http's stub): *testing.T for test files, and
// what the test main that go list generates for them refers to.
package testing

type T struct{ failed bool }

func (t *T) Fatal(args ...any) { t.failed = true }

type InternalTest struct {
	Name string
	F    func(*T)
}

type InternalBenchmark struct {
	Name string
	F    func(*B)
}

type B struct{ N int }

type InternalFuzzTarget struct {
	Name string
	Fn   func(*F)
}

type F struct{}

type InternalExample struct {
	Name      string
	F         func()
	Output    string
	Unordered bool
}

type M struct{ exitCode int }

func MainStart(deps any, tests []InternalTest, benchmarks []InternalBenchmark, fuzzTargets []InternalFuzzTarget, examples []InternalExample) *M {
	return &M{}
}

func (m *M) Run() int { return m.exitCode }
