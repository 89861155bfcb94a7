#!/bin/sh
# The opt-in perf naming of JIT code (compiler/jit_perf.h): with
# ACCORD_PERF_JIT=1 the JIT writes a jitdump file naming the columnar entry
# points (what `perf inject --jit` reads); without it, none.
# usage: tests/columnar/perf_jit.sh BUILD_DIR
set -u
B=$1
pass=0
fail=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
check() { # name, condition result
    if [ "$2" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi
}
mkdir -p "$tmp/on" "$tmp/off"
ACCORD_PERF_JIT=1 JITDUMPDIR="$tmp/on" "$B/peer_bench" 200 --check > "$tmp/on.log" 2>&1
check "peer_bench with ACCORD_PERF_JIT=1 runs" $?
dump=$(find "$tmp/on" -name 'jit-*.dump' | head -1)
[ -n "$dump" ] && grep -q 'accord_peer_rules__applicable_legislation__columns_compact' "$dump"
check "the jitdump names the compact columnar entry point" $?
ACCORD_PERF_JIT=0 JITDUMPDIR="$tmp/off" "$B/peer_bench" 200 --check > "$tmp/off.log" 2>&1
check "peer_bench with ACCORD_PERF_JIT=0 runs" $?
[ -z "$(find "$tmp/off" -name 'jit-*.dump')" ]
check "no jitdump without ACCORD_PERF_JIT" $?
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
