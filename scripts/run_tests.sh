#!/bin/sh
# Run every test suite against one build directory and print, last, one line
# "N passed, N failed" that adds up all suites (Criterion unit tests, golden
# tests, invalid inputs, SPEC examples, shipped agreements' examples).
# usage: scripts/run_tests.sh BUILD_DIR UNIT_TEST_BINARY...
set -u
B=$1
shift
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT INT TERM
status=0
run() {
    echo "== $*"
    t0=$(date +%s)
    "$@" > "$log" 2>&1
    rc=$?
    cat "$log"
    echo "   ($(($(date +%s) - t0)) s)"
    # every runner ends with "N passed, N failed"; Criterion prints a synthesis
    last=$(grep -E '^[0-9]+ passed, [0-9]+ failed$|Synthesis: Tested' "$log" | tail -1)
    if [ -z "$last" ]; then
        echo "run_tests: no result line from: $*"
        status=1
    fi
    echo "$last" >> "$B/test-results"
    [ $rc -eq 0 ] || status=1
}
: > "$B/test-results"
# Under the sanitizers the heaviest whole-library runs are left to the plain
# build (the same code, checked there; here they would take minutes):
# ACCORD_QUICK tells the runners, and the checker's shipped-library test is
# filtered out.
quick=
case "$B" in *asan*) quick=1 ;; esac
export ACCORD_QUICK=$quick
for t in "$@"; do
    case "$quick:$t" in
    1:*test_checker) run "$t" --jobs 2 --filter 'checker/!(shipped_*)' ;;
    *) run "$t" --jobs 2 ;;
    esac
done
run sh tests/run_golden.sh "$B/accord"
run sh tests/run_invalid.sh "$B/accord"
run sh tests/run_spec_examples.sh "$B/accord"
run sh tests/run_eval.sh "$B/accord"
run sh tests/checker/run.sh "$B/accord"
run "$B/peer_bench" 50000 --check
run sh tests/columnar/perf_jit.sh "$B"
run "$B/eu_bench" 20000 --check
# the LLVM back end against the interpreter: 30,000 generated cases per
# agreement and every golden agreement in the plain build, 500 cases and the
# shipped agreements only under the sanitizers (the interpreter is slower
# there); `make crosscheck` runs a long round
case "$B" in *asan*) cross="500 shipped" ;; *) cross="30000 all" ;; esac
run sh tests/run_codegen.sh "$B/accord" $cross
run "$B/accord" test agreements examples
run sh tests/run_examples.sh "$B/accord"
run sh tests/run_cabi.sh "$B"
# the HTML reports in headless Chromium: the plain build only (the browser, not
# the compiler, is what runs long there; the asan build runs the same C in the unit tests)
case "$B" in *asan*) ;; *) run sh tests/report/run_report.sh "$B/accord" ;; esac
awk '
    /Synthesis/ { for (i = 1; i <= NF; i++) { if ($i == "Passing:") p += $(i + 1); if ($i == "Failing:" || $i == "Crashing:") f += $(i + 1) } next }
    { p += $1; f += $3 }
    END { printf "%s: %d passed, %d failed\n", "'"$B"'", p, f }
' "$B/test-results" | tee "$B/test-summary"
exit $status
