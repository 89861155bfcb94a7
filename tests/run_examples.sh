#!/bin/sh
# The shipped case files give the outputs recorded beside them (examples/):
# the caseload in JSON Lines and in CSV, and the ASEAN analyst scenario.
# A change of an agreement that changes an answer shows up here, and the
# expected file is then regenerated deliberately (see examples/README.md).
# usage: tests/run_examples.sh ACCORD_BINARY
set -u
A=$1
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
check() { # LABEL EXPECTED ACTUAL
    if cmp -s "$2" "$3"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL $1: output differs from $2"
        diff "$2" "$3" | cut -c1-300 | head -20 | sed 's/^/    /'
    fi
}
"$A" eval agreements --cases examples/cases.jsonl -j 2 --no-progress > "$tmp/cases.out" 2>/dev/null
check "examples/cases.jsonl" examples/cases.expected.jsonl "$tmp/cases.out"
"$A" eval agreements --cases-csv examples/cases.csv --periods-csv examples/periods.csv --format csv \
    --question applicable_legislation --question equal_treatment -j 1 --no-progress > "$tmp/csv.out" 2>/dev/null
check "examples/cases.csv" examples/cases.csv.expected "$tmp/csv.out"
sh examples/asean_scenario/run.sh "$A" > "$tmp/asean.out" 2>/dev/null
check "examples/asean_scenario" examples/asean_scenario/expected.txt "$tmp/asean.out"
# every case of the caseload can be explained, as text and as JSON
for id in $(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' examples/cases.jsonl); do
    if "$A" explain agreements --cases examples/cases.jsonl --id "$id" > "$tmp/explain.txt" 2>&1 &&
       "$A" explain agreements --cases examples/cases.jsonl --id "$id" --format json > "$tmp/explain.json" 2>&1 &&
       grep -q '"schema": "accord-explain/1"' "$tmp/explain.json"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL explain $id (exit status or output)"
        tail -3 "$tmp/explain.txt" | sed 's/^/    /'
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
