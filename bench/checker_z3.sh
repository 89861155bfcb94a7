#!/bin/sh
# The shipped library checked with Z3 (issue 5's target: under 2 seconds):
# `accord conflicts agreements` RUNS times (default 3) with Z3, the default
# (two workers), then RUNS times with --one-worker, then twice with --no-z3
# for reference; per run the CPU (both workers) and wall seconds and the peak
# memory (GNU time), the summary of the JSON output, and with one worker Z3's
# own profile (SMT_PROFILE=1: queries, seconds encoding and solving; the
# second worker prints no total), and the CPU seconds of the units each of the
# two workers would do (CHECKER_PROFILE=1: their balance bounds the wall time
# with two workers).  The text outputs of the Z3 runs, with two
# workers and one, must be byte-identical (the checker is deterministic):
# the script says so, or exits 1.  Figures go to
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
    $T -f "%U user %S sys %e wall %M KB" -o "$tmp/time" "$A" conflicts agreements > "$tmp/out$i.txt" 2> /dev/null
    "$A" conflicts agreements --format json > "$tmp/out.json" 2> /dev/null
    echo "z3 run $i: $(cat "$tmp/time"); $(summary "$tmp/out.json")"
    i=$((i + 1))
done
i=1
while [ "$i" -le "$runs" ]; do
    SMT_PROFILE=1 CHECKER_PROFILE=1 $T -f "%U user %S sys %e wall %M KB" -o "$tmp/time" "$A" conflicts agreements --one-worker > "$tmp/one$i.txt" 2> "$tmp/err$i"
    split=$(grep '^unit ' "$tmp/err$i" | sed 's/.*(worker \([01]\), cost [0-9]*): \([0-9.]*\) s.*/\1 \2/' |
        awk '{t[$1] += $2} END {printf "units of worker 0 %.2f s, of worker 1 %.2f s", t[0], t[1]}')
    echo "z3 --one-worker run $i: $(cat "$tmp/time"); $(grep '^smt:' "$tmp/err$i"); $split"
    i=$((i + 1))
done
for i in 1 2; do
    $T -f "%U user %S sys %e wall %M KB" -o "$tmp/time" "$A" conflicts --no-z3 agreements --format json > "$tmp/out.json" 2> /dev/null
    echo "--no-z3 run $i: $(cat "$tmp/time"); $(summary "$tmp/out.json")"
done
i=1
while [ "$i" -le "$runs" ]; do
    for f in "out$i" "one$i"; do
        if ! cmp -s "$tmp/out1.txt" "$tmp/$f.txt"; then
            echo "checker_z3.sh: $f's output differs from run 1's"
            exit 1
        fi
    done
    i=$((i + 1))
done
echo "the $((2 * runs)) outputs with Z3 (two workers, one) are byte-identical"
