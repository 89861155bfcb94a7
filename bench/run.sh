#!/bin/sh
# End-to-end throughput of `accord eval` (JSON Lines in, JSON Lines out) on
# generated cases, 1 and 2 threads; figures go to bench/README.md by hand,
# with the machine.  usage: sh bench/run.sh [N]   (default 1,000,000 cases)
set -eu
cd "$(dirname "$0")/.."
N=${1:-1000000}
A=build/accord
tmp=${TMPDIR:-/tmp}/accord-bench
mkdir -p "$tmp"
cases=$tmp/cases-$N.jsonl
[ -s "$cases" ] || awk -v n="$N" -f bench/gen_cases.awk > "$cases"
bytes=$(wc -c < "$cases")
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(gcc --version | head -1)"
echo "input: $N cases, $bytes bytes"
now() { date +%s.%N; }
run() {
    label=$1; shift
    t0=$(now)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "%M" -o "$tmp/rss" "$A" eval agreements --cases "$cases" -o /dev/null --no-progress "$@" 2>/dev/null || true
        rss="$(cat "$tmp/rss") KiB max RSS"
    else
        "$A" eval agreements --cases "$cases" -o /dev/null --no-progress "$@" 2>/dev/null || true
        rss="(no /usr/bin/time)"
    fi
    t1=$(now)
    awk -v l="$label" -v t0="$t0" -v t1="$t1" -v n="$N" -v b="$bytes" -v r="$rss" \
        'BEGIN { s = t1 - t0; printf "%-48s %8.2f s %10.0f cases/s %7.1f MB/s  %s\n", l, s, n / s, b / s / 1e6, r }'
}
run "applicable_legislation, -j 1, interpreter" -j 1 --question applicable_legislation --interp
run "applicable_legislation, -j 1" -j 1 --question applicable_legislation
run "applicable_legislation, -j 2" -j 2 --question applicable_legislation
run "legislation + benefit(DE,old_age), -j 1" -j 1 --question applicable_legislation --question 'benefit(DE,old_age)'
run "legislation + benefit(DE,old_age), -j 2" -j 2 --question applicable_legislation --question 'benefit(DE,old_age)'
run "every question, every argument, -j 2" -j 2
