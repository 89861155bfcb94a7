#!/bin/sh
# The shipped library checked with Z3 (issue 5's target: under 2 seconds):
# `accord conflicts agreements` RUNS times (default 3) with Z3, the default,
# then twice with --no-z3 for reference; per run the CPU and wall seconds and
# the peak memory (GNU time), the summary of the JSON output, and Z3's own
# profile (SMT_PROFILE=1: queries, seconds encoding and solving).  The text
# outputs of the Z3 runs must be byte-identical (the checker is
# deterministic): the script says so, or exits 1.  Figures go to
# bench/README.md by hand, with the machine and its load.
# usage: sh bench/checker_z3.sh [RUNS] [ACCORD]
set -u
cd "$(dirname "$0")/.."
runs=${1:-3}
A=${2:-build/accord}
tmp=${TMPDIR:-/tmp}/accord-bench-checker-z3
mkdir -p "$tmp"
T=/usr/bin/time
[ -x "$T" ] || { echo "checker_z3.sh: needs GNU time ($T)"; exit 2; }
echo "machine: $(nproc) cores, $(uname -m), load average $(cut -d' ' -f1-3 /proc/loadavg)"
summary() { tr -d ' \n' < "$1" | sed 's/.*"summary"://; s/}}$/}/'; }
i=1
while [ "$i" -le "$runs" ]; do
    SMT_PROFILE=1 $T -f "%U user %S sys %e wall %M KB" -o "$tmp/time" "$A" conflicts agreements > "$tmp/out$i.txt" 2> "$tmp/err$i"
    "$A" conflicts agreements --format json > "$tmp/out.json" 2> /dev/null
    echo "z3 run $i: $(cat "$tmp/time"); $(grep '^smt:' "$tmp/err$i"); $(summary "$tmp/out.json")"
    i=$((i + 1))
done
for i in 1 2; do
    $T -f "%U user %S sys %e wall %M KB" -o "$tmp/time" "$A" conflicts --no-z3 agreements --format json > "$tmp/out.json" 2> /dev/null
    echo "--no-z3 run $i: $(cat "$tmp/time"); $(summary "$tmp/out.json")"
done
i=2
while [ "$i" -le "$runs" ]; do
    if ! cmp -s "$tmp/out1.txt" "$tmp/out$i.txt"; then
        echo "checker_z3.sh: run $i's output differs from run 1's"
        exit 1
    fi
    i=$((i + 1))
done
echo "the $runs outputs with Z3 are byte-identical"
