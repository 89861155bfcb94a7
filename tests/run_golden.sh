#!/bin/sh
# run_golden.sh ACCORD_BINARY - run the golden tests in tests/golden/<feature>/.
#
# For every tests/golden/*/*.accord (except *.protocol.accord):
#   - files: NAME.accord, plus NAME.protocol.accord when it exists (a stand-alone
#     protocol is always given together with its agreement, never alone);
#   - `accord test FILES`: if NAME.out exists, stdout must equal it exactly and the
#     exit status must be 1 (examples designed to fail); otherwise the exit status
#     must be 0 and the last line must be "N passed, 0 failed" where N is the
#     number of `example "..."` blocks in FILES;
#   - NAME.ir / NAME.ast / NAME.tokens, when present: stdout of `accord check
#     --dump-ir|--dump-ast|--dump-tokens FILES` must equal them exactly (diff -u),
#     exit status 0.
# One check = one test.  Each failure prints one line "FAIL <file>: <reason>" on
# stdout (details, such as diffs and diagnostics, go to stderr); the last line is
# "N passed, N failed".  Exit status 1 if anything failed, 2 on bad usage.
# POSIX sh (dash).  To regenerate a golden after a deliberate format change:
#   build/accord check --dump-ir tests/golden/F/N.accord > tests/golden/F/N.ir
set -u

if [ $# -ne 1 ]; then
    echo "usage: sh tests/run_golden.sh ACCORD_BINARY" >&2
    exit 2
fi
accord=$1
case $accord in
    /*) ;;
    */*) accord=$(pwd)/$accord ;;
    *) accord=$(command -v "$accord" || echo "$accord") ;;
esac
if [ ! -x "$accord" ]; then
    echo "run_golden.sh: '$1' is not an executable" >&2
    exit 2
fi

# Work from the repository root so that paths in reports are tests/golden/...
root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$root" || exit 2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

# A hung binary must not hang the suite.
if command -v timeout >/dev/null 2>&1; then
    accord_run() { timeout 30 "$accord" "$@"; }
else
    accord_run() { "$accord" "$@"; }
fi

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL $1: $2"
}
# details of a failure, indented, on stderr
details() { sed 's/^/    /' "$@" | head -n 60 >&2; }

# number of examples declared in the given files
count_examples() {
    n=0
    for f in "$@"; do
        k=$(grep -c '^[[:space:]]*example[[:space:]][[:space:]]*"' "$f")
        n=$((n + k))
    done
    echo "$n"
}

found=0
for src in tests/golden/*/*.accord; do
    [ -f "$src" ] || continue
    case $src in
        *.protocol.accord)
            agreement=${src%.protocol.accord}.accord
            if [ ! -f "$agreement" ]; then
                fail "$src" "stand-alone protocol without its agreement $agreement"
            fi
            continue
            ;;
    esac
    found=1
    base=${src%.accord}
    set -- "$src"
    [ -f "$base.protocol.accord" ] && set -- "$src" "$base.protocol.accord"

    # 1. the examples
    accord_run test "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ -f "$base.out" ]; then
        if ! diff -u "$base.out" "$tmp/out" >"$tmp/diff" 2>&1; then
            fail "$src" "output of 'accord test' differs from $base.out"
            details "$tmp/diff" "$tmp/err"
        elif [ "$rc" -ne 1 ]; then
            fail "$src" "'accord test' exited $rc, expected 1 (examples designed to fail)"
            details "$tmp/err"
        else
            pass
        fi
    else
        want=$(count_examples "$@")
        last=$(tail -n 1 "$tmp/out")
        if [ "$rc" -ne 0 ]; then
            fail "$src" "'accord test' exited $rc, last line: $last"
            details "$tmp/out" "$tmp/err"
        elif [ "$last" != "$want passed, 0 failed" ]; then
            fail "$src" "expected '$want passed, 0 failed', got '$last'"
            details "$tmp/out" "$tmp/err"
        else
            pass
        fi
    fi

    # 2. the dumps
    for kind in ir ast tokens; do
        [ -f "$base.$kind" ] || continue
        accord_run check "--dump-$kind" "$@" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if [ "$rc" -ne 0 ]; then
            fail "$base.$kind" "'accord check --dump-$kind' exited $rc"
            details "$tmp/err"
        elif ! diff -u "$base.$kind" "$tmp/out" >"$tmp/diff" 2>&1; then
            fail "$base.$kind" "output of 'accord check --dump-$kind' differs"
            details "$tmp/diff"
        else
            pass
        fi
    done
done

# goldens whose .accord is missing would silently never run
for g in tests/golden/*/*.out tests/golden/*/*.ir tests/golden/*/*.ast tests/golden/*/*.tokens; do
    [ -f "$g" ] || continue
    [ -f "${g%.*}.accord" ] || fail "$g" "golden without ${g%.*}.accord"
done

[ "$found" -eq 1 ] || fail "tests/golden" "no golden tests found"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || exit 1
exit 0
