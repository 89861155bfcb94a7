# tests/lib.sh - the prologue shared by the shell test runners (sourced).
# setup_runner NAME "$@": checks the one argument, the accord binary, and sets
#   A    its absolute path,   HERE  the tests/ directory,
#   TMP  a scratch directory removed on exit;
# and makes sanitizer builds report everything on stderr, never hang in a
# symbolizer.  POSIX sh (dash).
setup_runner() {
    name=$1
    shift
    if [ $# -ne 1 ]; then
        echo "usage: sh tests/$name ACCORD_BINARY" >&2
        exit 2
    fi
    A=$1
    case $A in /*) ;; *) A=$(pwd)/$A ;; esac
    if [ ! -x "$A" ]; then
        echo "$name: '$1' is not an executable" >&2
        exit 2
    fi
    HERE=$(cd "$(dirname "$0")" && pwd)
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/accord-${name%.sh}.XXXXXX") || exit 2
    trap 'rm -rf "$TMP"' EXIT
    trap 'exit 2' INT TERM HUP
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
    export ASAN_OPTIONS UBSAN_OPTIONS
}
