#!/bin/sh
# run_eval.sh ACCORD_BINARY - `accord eval` and `accord explain` (SPEC §12).
#
# The agreements are the small test agreements in tests/eval/lib, not the
# shipped ones, so that every expected answer can be worked out by hand:
#   alpha   DE, FR, PL from 2012-01-01, GB until 2021-01-01; in force
#           2010-01-01 until 2030-01-01; supersedes old_ag
#   old_ag  DE, FR; in force 2000-01-01 until 2012-01-01
#   beta    DE, FR, US; from 2015-01-01; yields to alpha unless more favourable
#   gamma   FR, US; from 2015-01-01; no precedence with anyone
# Checked: agreement selection by date and parties, precedence (supersedes,
# yields both ways, agreement-level conflicts), every class of bad input
# (one error record per bad line, at its line, processing going on, exit 1),
# -j 2 output byte-identical to -j 1, CSV output and input (with periods),
# --question, `accord explain` (text and JSON), constant memory.
# Whole outputs are compared with tests/eval/*.expected, each checked by hand.
# Ends with the line "N passed, N failed"; exit status 1 if anything failed.
# POSIX sh (dash).
set -u

. "$(dirname "$0")/lib.sh"
setup_runner run_eval.sh "$@"
D=$HERE/eval
LIB=$D/lib
# A sanitizer build is several times slower and its memory use says nothing
# about the program's: the large-file checks are scaled down there.
SANITIZED=0
if grep -q -a -e __asan_init -e __ubsan_handle "$A" 2>/dev/null; then SANITIZED=1; fi

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { # LABEL REASON [DETAILS-FILE]
    failed=$((failed + 1))
    printf 'FAIL %s: %s\n' "$1" "$2"
    if [ $# -ge 3 ] && [ -s "$3" ]; then sed -n '1,30s/^/    /p' "$3" | cut -c1-300; fi
}

# run LABEL CMD... : stdout to $TMP/out, stderr to $TMP/err, status in $rc.
# A sanitizer report or an internal error is a failure of its own.
run() {
    label=$1
    shift
    "$@" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    if grep -q -e 'Sanitizer' -e 'runtime error:' -e 'internal error' "$TMP/err"; then
        fail "$label" "sanitizer report or internal error" "$TMP/err"
    fi
}
ev() { "$A" eval "$LIB" -j 1 --no-progress "$@"; }

# expect_rc LABEL WANT
expect_rc() {
    if [ "$rc" -eq "$2" ]; then pass; else fail "$1" "exit status $rc, expected $2" "$TMP/err"; fi
}
# same LABEL EXPECTED-FILE ACTUAL-FILE
same() {
    if cmp -s "$2" "$3"; then
        pass
    else
        diff "$2" "$3" > "$TMP/diff" 2>&1
        fail "$1" "output differs from $(basename "$2") (< expected, > actual)" "$TMP/diff"
    fi
}
# has LABEL FILE FIXED-STRING... : every string occurs in FILE
has() {
    l=$1
    f=$2
    shift 2
    for s in "$@"; do
        if ! grep -q -F -e "$s" "$f"; then
            fail "$l" "missing: $s" "$f"
            return
        fi
    done
    pass
}
# hasnt LABEL FILE FIXED-STRING
hasnt() {
    if grep -q -F -e "$3" "$2"; then fail "$1" "should not contain: $3" "$2"; else pass; fi
}
# lines LABEL FILE N : FILE has exactly N lines
lines() {
    n=$(wc -l < "$2" | tr -d ' ')
    if [ "$n" -eq "$3" ]; then pass; else fail "$1" "$n output lines, expected $3"; fi
}
# line_has LABEL FILE N FIXED-STRING... : line N of FILE has every string
line_has() {
    l=$1
    f=$2
    n=$3
    shift 3
    sed -n "${n}p" "$f" > "$TMP/line"
    has "$l" "$TMP/line" "$@"
}

# ---- the test agreements are clean --------------------------------------------------
run lib "$A" check "$LIB"
expect_rc "check tests/eval/lib" 0

# ---- generated cases (SPEC §12.8): deterministic, valid, same answers on 1 and 2 threads --
"$A" gen agreements -n 2000 --seed 11 > "$TMP/gen1.jsonl" 2> "$TMP/err"; rc=$?
expect_rc "gen: exit status" 0
"$A" gen agreements -n 2000 --seed 11 > "$TMP/gen2.jsonl" 2>/dev/null
same "gen: the same seed gives the same cases" "$TMP/gen1.jsonl" "$TMP/gen2.jsonl"
run gen-j1 "$A" eval agreements --cases "$TMP/gen1.jsonl" -j 1 --no-progress -o "$TMP/gj1.out"
expect_rc "gen: every generated case is valid input" 0
run gen-j2 "$A" eval agreements --cases "$TMP/gen1.jsonl" -j 2 --no-progress -o "$TMP/gj2.out"
same "gen: -j 2 decides generated cases as -j 1 does" "$TMP/gj1.out" "$TMP/gj2.out"

# ---- a standard is never applied to a case (SPEC §3.2, §12.2) -------------------------
printf '{"id":"s","date":"2020-06-01","person":{"residence":"DE"},"activities":[{"state":"PH"}]}\n' > "$TMP/std.jsonl"
run standard "$A" eval tests/golden/header/standard.accord --cases "$TMP/std.jsonl" -j 1 --no-progress --question covered
expect_rc "standard: exit status" 0
has "standard: no agreement applies" "$TMP/out" '"agreements":[]' '"no agreement"'

# ---- selection by date and parties ----------------------------------------------------
# domestic cases, one party only, before/after entry into force and termination,
# accession and withdrawal days, states involved through every kind of fact
run select ev --cases "$D/select.jsonl" --question applicable_legislation --question 'benefit(DE,old_age)'
expect_rc "select: exit status" 0
same "select" "$D/select.expected" "$TMP/out"

# ---- precedence -----------------------------------------------------------------------
# less favourable yields, more favourable wins, a yielding agreement decides when
# its target does not, supersedes, agreement-level conflicts naming both agreements
run precedence ev --cases "$D/precedence.jsonl" --question applicable_legislation --question equal_treatment --question 'benefit(FR,old_age)'
expect_rc "precedence: exit status" 0
same "precedence" "$D/precedence.expected" "$TMP/out"
cp "$TMP/out" "$TMP/precedence.out"

# ---- bad input: one error record per bad line, at its line, processing goes on --------
run bad ev --cases "$D/bad.jsonl" --question applicable_legislation
expect_rc "bad: exit status" 1
same "bad" "$D/bad.expected" "$TMP/out"
lines "bad: one output line per input line" "$TMP/out" "$(wc -l < "$D/bad.jsonl")"

# generated: lines of about 1 MB, invalid UTF-8, CRLF, no final newline
line_of() { # BYTES ID : a valid case of exactly BYTES bytes (padded with blanks), then a newline
    awk -v n="$1" -v id="$2" 'BEGIN {
        s = "{\"id\":\"" id "\",\"date\":\"2020-06-01\",\"person\":{\"residence\":\"FR\"},\"activities\":[{\"state\":\"DE\"}]"
        need = n - length(s) - 1
        blanks = " "; while (length(blanks) < need) blanks = blanks blanks
        printf "%s%s}\n", s, substr(blanks, 1, need) }'
}
OKCASE='{"id":"ID","date":"2020-06-01","person":{"residence":"FR"},"activities":[{"state":"DE"}]}'
{
    echo "$OKCASE" | sed 's/ID/before/'
    line_of 1000000 one-mb
    line_of 1048576 at-limit
    line_of 1048577 over-limit
    line_of 3000000 way-over
    printf '{"id":"u1\377","date":"2020-06-01"}\n'
    printf '{"id":"u2","date":"2020-06-01","person":{"residence":"D\303"}}\n'
    echo "$OKCASE" | sed 's/ID/crlf/' | tr '\n' '\r'
    echo
    echo "$OKCASE" | sed 's/ID/no-final-newline/' | tr -d '\n'
} > "$TMP/gen.jsonl"
run generated ev --cases "$TMP/gen.jsonl" --question applicable_legislation
expect_rc "generated bad lines: exit status" 1
lines "generated bad lines: one output line per input line (the last has no newline)" "$TMP/out" 9
cp "$TMP/out" "$TMP/gen.out"
line_has "a valid line of 1,000,000 bytes is decided" "$TMP/gen.out" 2 '"id":"one-mb","line":2,' '"outcome":"decided"'
line_has "a line of exactly 1 MiB is decided" "$TMP/gen.out" 3 '"id":"at-limit","line":3,' '"outcome":"decided"'
line_has "a line over 1 MiB is an error" "$TMP/gen.out" 4 '{"line":4,"error":{' '1 MiB'
line_has "a 3 MB line is an error" "$TMP/gen.out" 5 '{"line":5,"error":{' '1 MiB'
line_has "invalid UTF-8 (0xff) is an error" "$TMP/gen.out" 6 '"line":6,"error":{' 'invalid JSON'
line_has "invalid UTF-8 is called so" "$TMP/gen.out" 7 '"line":7,"error":{' 'UTF-8'
line_has "a CRLF line is decided" "$TMP/gen.out" 8 '"id":"crlf","line":8,' '"outcome":"decided"'
line_has "a last line without newline is decided" "$TMP/gen.out" 9 '"id":"no-final-newline","line":9,' '"outcome":"decided"'

# the whole-line errors of bad.jsonl, one by one, each alone in a file
for c in "malformed:2" "empty:12" "duplicate:14" "array:15"; do
    n=${c#*:}
    sed -n "${n}p" "$D/bad.jsonl" > "$TMP/one.jsonl"
    run "alone ${c%:*}" ev --cases "$TMP/one.jsonl" --question applicable_legislation
    expect_rc "a file with one ${c%:*} line: exit status" 1
    line_has "a file with one ${c%:*} line: an error record at line 1" "$TMP/out" 1 '{"line":1,"error":{"message":"'
done

# an empty file: no case, no output, success
: > "$TMP/empty.jsonl"
run empty ev --cases "$TMP/empty.jsonl" --question applicable_legislation
expect_rc "empty file: exit status" 0
lines "empty file: no output" "$TMP/out" 0
# empty lines only
printf '\n\n\n' > "$TMP/blank.jsonl"
run blank ev --cases "$TMP/blank.jsonl" --question applicable_legislation
expect_rc "blank lines: exit status" 1
lines "blank lines: one error each" "$TMP/out" 3
line_has "blank lines: the third" "$TMP/out" 3 '{"line":3,"error":{"message":"empty line'
# a scalar is valid JSON but not a case
printf '42\n' > "$TMP/scalar.jsonl"
run scalar ev --cases "$TMP/scalar.jsonl" --question applicable_legislation
expect_rc "a JSON scalar line: exit status" 1
line_has "a JSON scalar is not called invalid JSON" "$TMP/out" 1 '"line":1,' 'a case is a JSON object, not an integer'
# stdin and -o
# shellcheck disable=SC2016 # expanded by the inner sh
run stdin sh -c '"$1" eval "$2" -j 1 --no-progress --question applicable_legislation --cases - < "$3"' sh "$A" "$LIB" "$D/bad.jsonl"
expect_rc "stdin: exit status" 1
same "cases from stdin" "$D/bad.expected" "$TMP/out"
run dash-o ev --cases "$D/bad.jsonl" --question applicable_legislation -o "$TMP/o.jsonl"
expect_rc "-o: exit status" 1
lines "-o: nothing on stdout" "$TMP/out" 0
same "-o FILE" "$D/bad.expected" "$TMP/o.jsonl"

# ---- -j 2 is byte-identical to -j 1 --------------------------------------------------------
many_cases() { # N : N generated cases, some of them bad
    awk -v n="$1" 'BEGIN {
        split("DE FR US PL GB JP", st, " ")
        for (i = 1; i <= n; i++) {
            if (i % 997 == 0) { printf "{\"id\":\"g%d\",\"date\":\"2020-02-30\"}\n", i; continue }
            if (i % 1009 == 0) { print "{not json"; continue }
            a = st[i % 6 + 1]; r = st[int(i / 6) % 6 + 1]; p = st[int(i / 36) % 6 + 1]
            y = 1998 + i % 35; m = 1 + i % 12; d = 1 + i % 28
            printf "{\"id\":\"g%d\",\"date\":\"%04d-%02d-%02d\",\"person\":{\"residence\":\"%s\",\"refugee\":%s},", i, y, m, d, r, (i % 3 == 0) ? "true" : "false"
            printf "\"activities\":[{\"state\":\"%s\"}],\"periods\":[{\"state\":\"%s\",\"branch\":\"old_age\",\"from\":\"1990-01-01\",\"to\":\"1995-12-31\"}]}\n", a, p
        }
    }'
}
many_cases 5000 > "$TMP/many.jsonl"
# every question in the sanitized build too, but fewer branches there to stay fast
if [ $SANITIZED -eq 1 ]; then QS="--branch old_age --branch invalidity"; else QS=""; fi
# shellcheck disable=SC2086 # QS is a list of options
run j1 "$A" eval "$LIB" --no-progress -j 1 $QS --cases "$TMP/many.jsonl" -o "$TMP/j1.out"
expect_rc "5000 cases -j 1: exit status" 1
# shellcheck disable=SC2086
run j2 "$A" eval "$LIB" --no-progress -j 2 $QS --cases "$TMP/many.jsonl" -o "$TMP/j2.out"
expect_rc "5000 cases -j 2: exit status" 1
lines "5000 cases: 5000 output lines" "$TMP/j1.out" 5000
same "-j 2 output is byte-identical to -j 1" "$TMP/j1.out" "$TMP/j2.out"
line_has "5000 cases: error at line 997" "$TMP/j2.out" 997 '{"id":"g997","line":997,"error":{"path":"date"'
line_has "5000 cases: error at line 4036" "$TMP/j2.out" 4036 '{"line":4036,"error":{"message":"invalid JSON'
line_has "5000 cases: line 4999 in place" "$TMP/j2.out" 4999 '{"id":"g4999","line":4999,'
run j3 "$A" eval "$LIB" --no-progress -j 3 --question applicable_legislation --cases "$TMP/many.jsonl" -o "$TMP/j3.out"
run j1q "$A" eval "$LIB" --no-progress -j 1 --question applicable_legislation --cases "$TMP/many.jsonl" -o "$TMP/j1q.out"
same "-j 3 (more threads than cores) is byte-identical to -j 1" "$TMP/j1q.out" "$TMP/j3.out"

# ---- --format csv -------------------------------------------------------------------------
run csv-out ev --cases "$D/precedence.jsonl" --format csv --question applicable_legislation --question equal_treatment --question 'benefit(FR,old_age)'
expect_rc "csv output: exit status" 0
same "csv output" "$D/csv_out.expected" "$TMP/out"
# every row, error rows included, has as many fields as the header
csv_fields() {
    awk '{ n = 1; q = 0
           for (i = 1; i <= length($0); i++) { c = substr($0, i, 1); if (c == "\"") q = !q; else if (c == "," && !q) n++ }
           print n }' "$1" | sort -u
}
run csv-out-bad ev --cases "$D/bad.jsonl" --format csv --question applicable_legislation --question 'benefit(FR,old_age)'
expect_rc "csv output with bad lines: exit status" 1
lines "csv output with bad lines: header + one row per input line" "$TMP/out" $(($(wc -l < "$D/bad.jsonl") + 1))
widths=$(csv_fields "$TMP/out" | tr '\n' ' ')
if [ "$widths" = "12 " ]; then pass; else fail "csv output: every row as wide as the header (12 fields)" "field counts seen: $widths" "$TMP/out"; fi
line_has "csv output: error row with its path" "$TMP/out" 8 'period-backwards' ',7,' 'periods[0].to: the period ends'
# a parameterised question in CSV needs its arguments
run csv-out-args ev --cases "$D/precedence.jsonl" --format csv --question benefit
expect_rc "csv output of a question without its arguments: usage error" 2
lines "csv output usage error: nothing on stdout" "$TMP/out" 0
has "csv output usage error: says how" "$TMP/err" "--question 'benefit(DE,old_age)'"

# ---- --question -------------------------------------------------------------------------
head -n 1 "$D/precedence.jsonl" > "$TMP/one.jsonl"
run q-explicit ev --cases "$TMP/one.jsonl" --question 'benefit(DE, old_age)' --question 'refund(FR)'
expect_rc "--question with arguments: exit status" 0
has "--question 'benefit(DE, old_age)'" "$TMP/out" '"answers":{"benefit(DE,old_age)":{"outcome":"decided","agreement":"alpha","value":"100.00 EUR"' '"refund(FR)":{"outcome":"decided","agreement":"alpha","value":true'
run q-all-args ev --cases "$TMP/one.jsonl" --question benefit --branch old_age --branch sickness
expect_rc "--question without arguments: exit status" 0
has "--question benefit --branch: one answer per relevant argument" "$TMP/out" '"benefit":{"DE":{"old_age":{' '"sickness":{' '"FR":{"old_age":{'
hasnt "--branch limits the branches" "$TMP/out" '"invalidity"'
for q in "nonsense:unknown question 'nonsense'" "benefit(DE):takes 2 arguments" \
         "applicable_legislation(DE):takes 0 arguments" "benefit(XX,old_age):'XX' is not a country" \
         "benefit(DE,pension):'pension' is not a branch" "benefit(DE,old_age:cannot read the question 'benefit(DE,old_age'" \
         "benefit():cannot read the question 'benefit()'"; do
    run "bad question" ev --cases "$TMP/one.jsonl" --question "${q%%:*}"
    expect_rc "bad question ${q%%:*}: exit status" 2
    has "bad question ${q%%:*}: message" "$TMP/err" "${q#*:}"
    lines "bad question ${q%%:*}: nothing on stdout" "$TMP/out" 0
done
run bad-branch ev --cases "$TMP/one.jsonl" --branch pension
expect_rc "--branch pension: exit status" 2
has "--branch pension: message" "$TMP/err" "unknown branch 'pension'"

# ---- CSV input --------------------------------------------------------------------------------
run csv-in ev --cases-csv "$D/cases.csv" --periods-csv "$D/periods.csv" --question applicable_legislation --question 'benefit(FR,old_age)'
expect_rc "csv input with periods: exit status" 0
same "csv input with periods" "$D/csv_in.expected" "$TMP/out"
run csv-in-bad ev --cases-csv "$D/cases_bad.csv" --periods-csv "$D/periods_bad.csv" --question applicable_legislation
expect_rc "csv input with bad rows: exit status" 1
same "csv input with bad rows" "$D/csv_bad.expected" "$TMP/out"
run csv-unknown-period ev --cases-csv "$D/cases.csv" --periods-csv "$D/periods_unknown.csv" --question applicable_legislation
expect_rc "a periods row for an unknown id: exit status" 1
has "a periods row for an unknown id: named" "$TMP/err" "'ghost'" "2 periods"
lines "a periods row for an unknown id: every case still decided" "$TMP/out" 5
printf 'id,date,colour\nx,2020-06-01,red\n' > "$TMP/badhdr.csv"
run csv-bad-header ev --cases-csv "$TMP/badhdr.csv" --question applicable_legislation
expect_rc "csv input with an unknown column: usage error" 2
has "csv input with an unknown column: named" "$TMP/err" "unknown column 'colour'"

# ---- explain ------------------------------------------------------------------------------------
run explain "$A" explain "$LIB" --cases "$D/select.jsonl" --id de-pl-accession-day --question applicable_legislation --question 'benefit(DE,old_age)' --question 'refund(PL)'
expect_rc "explain: exit status" 0
same "explain text" "$D/explain.expected" "$TMP/out"
run explain-json "$A" explain "$LIB" --cases "$D/precedence.jsonl" --id conflict-benefit --question 'benefit(FR,old_age)' --format json
expect_rc "explain --format json: exit status" 0
cp "$TMP/out" "$TMP/explain.json"
has "explain json: required keys" "$TMP/explain.json" '"schema": "accord-explain/1"' '"id": "conflict-benefit"' \
    '"date": "2020-06-01"' '"agreements": [' '"involved_states": [' '"facts_used": {' '"questions": [' \
    '"question": "benefit"' '"args": [' '"by_agreement": [' '"steps": [' '"deciding_articles": [' '"answer": {'
has "explain json: the steps of both agreements" "$TMP/explain.json" '"rule": "high"' '"result": "decided"' \
    '"result": "condition false"' '"failed": "not person.refugee"' '"agreement": "gamma"'
has "explain json: the conflict between agreements" "$TMP/explain.json" '"outcome": "conflict"' '"between": ['
if command -v jq > /dev/null 2>&1; then
    if jq -e '.schema == "accord-explain/1" and (.questions[0].answer.between | map(.agreement) == ["beta", "gamma"])' \
        "$TMP/explain.json" > /dev/null 2>&1; then pass; else fail "explain json: valid JSON (jq)" "jq rejects it" "$TMP/explain.json"; fi
fi
# a case file of its own: the refugee of line 2, resident in DE so that only
# alpha and beta are connected (gamma's parties are FR and US, SPEC §12.2)
sed -n 2p "$D/precedence.jsonl" | sed 's/"residence":"FR"/"residence":"DE"/' > "$TMP/case.json"
run explain-file "$A" explain "$LIB" "$TMP/case.json" --question 'benefit(FR,old_age)'
expect_rc "explain CASE.json: exit status" 0
has "explain CASE.json: the decision" "$TMP/out" "Case yield-unless-more-favourable, determination date 2020-06-01" \
    "Decision: decided, 150.00 EUR by Art. 2 of beta"
# why an agreement's answer was set aside: precedence must be part of the account
has "explain says that alpha gives way to the more favourable beta" "$TMP/out" "more favourable"
run explain-yield "$A" explain "$LIB" --cases "$D/precedence.jsonl" --id yield-less-favourable --question applicable_legislation
has "explain says that beta yields to alpha" "$TMP/out" "Decision: decided, DE by Art. 1 of alpha" "yields to alpha"
hasnt "explain lists only the prevailing agreement's articles under the decision" "$TMP/out" '"State of residence"'
run explain-supersedes "$A" explain "$LIB" --cases "$D/precedence.jsonl" --id supersedes --question applicable_legislation
has "explain says that alpha supersedes old_ag" "$TMP/out" "Decision: decided, DE by Art. 1 of alpha" "supersedes old_ag"
run explain-conflict "$A" explain "$LIB" --cases "$D/precedence.jsonl" --id conflict-benefit --question 'benefit(FR,old_age)'
sed -n '/Decision:/p' "$TMP/out" > "$TMP/decision"
has "explain: an agreement-level conflict names both agreements in the decision" "$TMP/decision" "conflict" "beta" "gamma"
run explain-none "$A" explain "$LIB" --cases "$D/select.jsonl" --id domestic-non-party
expect_rc "explain a case no agreement covers: exit status" 0
has "explain a case no agreement covers" "$TMP/out" "States involved: {JP}" "No agreement applies"
run explain-missing "$A" explain "$LIB" --cases "$D/select.jsonl" --id no-such-case
expect_rc "explain a missing id: exit status" 1
has "explain a missing id: message" "$TMP/err" "no case with id 'no-such-case'"
lines "explain a missing id: nothing on stdout" "$TMP/out" 0
run explain-invalid "$A" explain "$LIB" --cases "$D/bad.jsonl" --id bad-day
expect_rc "explain an invalid case: exit status" 1
has "explain an invalid case: path and message" "$TMP/err" 'date: invalid date "2025-02-30"'

# ---- agreements with errors decide nothing ---------------------------------------------------
mkdir "$TMP/broken"
cp "$LIB/alpha.accord" "$TMP/broken/"
printf 'agreement broken { title "B"; parties DE, FR; signed 2020-01-01; in force 2020-01-01; }\narticle 1 { rule equal_treatment = 3; }\n' > "$TMP/broken/broken.accord"
run broken "$A" eval "$TMP/broken" -j 1 --no-progress --cases "$D/select.jsonl" --question applicable_legislation
expect_rc "agreements with errors: exit status" 1
lines "agreements with errors: no case decided" "$TMP/out" 0
has "agreements with errors: said" "$TMP/err" "no case is decided"

# ---- constant memory ---------------------------------------------------------------------------
if [ $SANITIZED -eq 1 ]; then
    # no RSS bound under a sanitizer (shadow memory, quarantine); still stream a larger file
    many_cases 20000 > "$TMP/big.jsonl"
    run big "$A" eval "$LIB" --no-progress -j 2 --question applicable_legislation --cases "$TMP/big.jsonl" -o "$TMP/big.out"
    expect_rc "20,000 cases (sanitized build): exit status" 1
    lines "20,000 cases: 20,000 output lines" "$TMP/big.out" 20000
    echo "note: max RSS check skipped (sanitizer build)"
elif [ -x /usr/bin/time ] && /usr/bin/time -v true > /dev/null 2>&1; then
    many_cases 200000 > "$TMP/big.jsonl"
    run big /usr/bin/time -v "$A" eval "$LIB" --no-progress -j 2 --question applicable_legislation --question 'benefit(FR,old_age)' --cases "$TMP/big.jsonl" -o "$TMP/big.out"
    expect_rc "200,000 cases: exit status" 1
    lines "200,000 cases: 200,000 output lines" "$TMP/big.out" 200000
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$TMP/err")
    if [ -n "$kb" ] && [ "$kb" -lt 102400 ]; then
        pass
    else
        fail "200,000 cases in constant memory" "max RSS ${kb:-unknown} kB, expected under 100 MB" "$TMP/err"
    fi
else
    echo "note: max RSS check skipped (no /usr/bin/time -v)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
