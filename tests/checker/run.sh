#!/bin/sh
# tests/checker/run.sh ACCORD_BINARY - the checker commands end to end (SPEC §13):
# exit statuses, text and JSON output, and the shipped library checked clean
# (every finding acknowledged: an unacknowledged finding fails here).  The
# findings themselves (planted ones found, nothing else, witnesses replayed,
# diff exact on a grid) are tested in tests/unit/test_checker.c.
# Prints "N passed, N failed" last; exit 1 if anything failed.
set -u
accord=$1
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
cd "$root" || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-checker.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL $*"; }
# expect STATUS DESCRIPTION COMMAND...: run, compare the exit status
expect() {
    want=$1
    what=$2
    shift 2
    "$@" > "$tmp/out" 2> "$tmp/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else ko "$what: exit $got, expected $want"; sed 's/^/    /' "$tmp/err" | head -5; fi
}
has() { # has DESCRIPTION PATTERN: the last output contains PATTERN
    if grep -q -- "$2" "$tmp/out"; then ok; else ko "$1: no '$2' in the output"; fi
}

# the whole shipped library (slow under the sanitizers: the plain build checks it)
if [ -z "${ACCORD_QUICK:-}" ]; then
expect 0 "the shipped library: every finding acknowledged" "$accord" conflicts agreements
has "summary line" "unacknowledged"
has "the known EU/ph_de conflict is reported" "between_agreements (acknowledged): aggregated_periods\[\"DE\",\"old_age\"\] in eu_883_2004 and ph_de"
# each shipped agreement checked alone is clean too (another witness pool and
# Z3 context may confirm a candidate the library run leaves unconfirmed)
for f in agreements/*.accord; do
    expect 0 "checked alone: $f" "$accord" conflicts "$f"
done
# two workers (the default) and one give the same report, byte for byte,
# and the same report on a second run (SPEC §13.3, "Two workers")
expect 0 "the shipped library, JSON" "$accord" conflicts --format json agreements
cp "$tmp/out" "$tmp/two"
expect 0 "the shipped library, JSON, one worker" "$accord" conflicts --format json --one-worker agreements
if cmp -s "$tmp/out" "$tmp/two"; then ok; else ko "two workers and one give different reports"; fi
expect 0 "the shipped library, JSON, again" "$accord" conflicts --format json agreements
if cmp -s "$tmp/out" "$tmp/two"; then ok; else ko "two runs with two workers give different reports"; fi
# --thorough (SPEC §13.3): more refuted and confirmed, every finding still
# acknowledged, the same report with one worker and two
expect 0 "the shipped library, --thorough" "$accord" conflicts --format json --thorough agreements
cp "$tmp/out" "$tmp/two"
expect 0 "the shipped library, --thorough, one worker" "$accord" conflicts --format json --thorough --one-worker agreements
if cmp -s "$tmp/out" "$tmp/two"; then ok; else ko "--thorough: two workers and one give different reports"; fi
fi
# several agreements, a few units each: the same with one worker and two
expect 1 "agreements with equal treatment, two workers" "$accord" conflicts --format json tests/checker/eq_late_unequal.accord agreements/in_be.accord agreements/ph_de.accord
cp "$tmp/out" "$tmp/two"
expect 1 "the same, one worker" "$accord" conflicts --format json --one-worker tests/checker/eq_late_unequal.accord agreements/in_be.accord agreements/ph_de.accord
if cmp -s "$tmp/out" "$tmp/two"; then ok; else ko "two workers and one give different reports (three agreements)"; fi
# the second worker failing (made to exit at once): the first does its units, the same report
ACCORD_CHECKER_CHILD_FAIL=1 "$accord" conflicts --format json tests/checker/eq_late_unequal.accord agreements/in_be.accord agreements/ph_de.accord > "$tmp/out" 2> "$tmp/err"
if [ $? -eq 1 ] && cmp -s "$tmp/out" "$tmp/two"; then ok; else ko "a failed second worker: its units not done by the first"; fi
# the second worker failing after it took the largest unit (SPEC §13.3: the
# workers take units as they are free): the first does that unit too
ACCORD_CHECKER_CHILD_FAIL=2 "$accord" conflicts --format json tests/checker/eq_late_unequal.accord agreements/in_be.accord agreements/ph_de.accord > "$tmp/out" 2> "$tmp/err"
if [ $? -eq 1 ] && cmp -s "$tmp/out" "$tmp/two"; then ok; else ko "a second worker failing after it took a unit: that unit not done"; fi
# the summary's dimensions: the largest unit's box space, not the last unit's
# (a question of the agreement alone has a space; the whole run's is at least each one's)
dims() { tr -d ' \n' < "$tmp/out" | sed -n 's/.*"dimensions":\([0-9]*\).*/\1/p'; }
expect 0 "ph_de, JSON" "$accord" conflicts --format json agreements/ph_de.accord
all=$(dims)
for q in applicable_legislation benefit refund; do
    expect 0 "ph_de, JSON, $q only" "$accord" conflicts --format json --question "$q" agreements/ph_de.accord
    d=$(dims)
    if [ -n "$d" ] && [ "$d" -gt 0 ] && [ "$all" -ge "$d" ]; then ok; else ko "dimensions: $d for $q alone, $all for the whole run"; fi
done
expect 0 "one shipped agreement alone is clean" "$accord" conflicts agreements/ph_de.accord
expect 1 "a planted conflict fails" "$accord" conflicts tests/checker/conflict.accord
has "text output names the rule and the line" "tests/checker/conflict.accord:8: conflict: exportable"
has "text output gives a witness" "witness: {"
expect 0 "a clean agreement passes" "$accord" conflicts tests/checker/clean.accord
expect 1 "json output" "$accord" conflicts --format json tests/checker/legislation.accord
has "json findings" '"findings"'
has "json kind" '"kind": "two_legislations"'
has "json witness" '"witness"'
has "json summary" '"summary"'
expect 1 "diff of two versions with one id" "$accord" diff tests/checker/diff_v1.accord tests/checker/diff_v2.accord --question applicable_legislation
has "diff names both answers" 'diff_demo says decided "FR" by Art. 2'
expect 0 "diff of a file with itself" "$accord" diff tests/checker/diff_v1.accord tests/checker/diff_v1.accord
expect 1 "diff of two versions that change a parameter read in an atom" "$accord" diff tests/checker/diff_param_v1.accord tests/checker/diff_param_v2.accord --no-z3
has "the changed atom is found" 'param_demo says undetermined'
has "a count compared with each version's parameter is an interval of one term" 'the number of activities is 2$'
has "an atom of two versions says whose it is" 'max_activities (in tests/checker/diff_param_v2.accord)'
expect 0 "diff of an agreement with an atom with itself" "$accord" diff tests/checker/diff_param_v1.accord tests/checker/diff_param_v1.accord --no-z3
expect 1 "gaps --against a standard" "$accord" gaps --against tests/checker/floor.accord tests/checker/gap.accord
has "below standard" "below_standard: refund"
expect 1 "gaps --against judges its acknowledgements (one covers, one is stale)" "$accord" gaps --against tests/checker/floor.accord tests/checker/gap_ack.accord
has "gaps --against: an acknowledged shortfall" "below_standard (acknowledged): refund"
has "gaps --against: a stale acknowledgement names its line" "tests/checker/gap_ack.accord:11: stale_acknowledgement: refund"
expect 0 "gaps --against another question leaves the acknowledgements unjudged" "$accord" gaps --against tests/checker/floor.accord tests/checker/gap_ack.accord --question covered
expect 1 "region words (golden)" "$accord" conflicts --no-z3 tests/checker/words.accord
grep "  region:" "$tmp/out" > "$tmp/words"
if cmp -s "$tmp/words" tests/checker/words.expected; then ok; else ko "region words differ from tests/checker/words.expected"; diff tests/checker/words.expected "$tmp/words" | head -10; fi
expect 1 "atoms in boxes are named by id, their text once in atoms" "$accord" conflicts --no-z3 --format json tests/checker/words.accord
has "an atom's id in a box" '"atom:[0-9a-f]\{8\}": \['
has "the atom's text in atoms" '"text": "exists(a in activities where valid_posting(a) and not works_abroad(a))"'
expect 2 "diff needs two files" "$accord" diff tests/checker/diff_v1.accord
expect 2 "gaps --against needs agreements to compare" "$accord" gaps --against tests/checker/floor.accord
expect 2 "unknown format" "$accord" conflicts --format xml tests/checker/clean.accord
expect 0 "precise acknowledgements (by, where) cover their findings" "$accord" conflicts tests/checker/ack_precise.accord
expect 1 "a new gap on an acknowledged question, and stale acknowledgements" "$accord" conflicts tests/checker/ack_stale.accord
has "a stale acknowledgement names its line" "tests/checker/ack_stale.accord:8: stale_acknowledgement: covered"
has "the grown gap is not acknowledged" "ack_stale.accord:0: gap: refund"
expect 1 "unequal treatment in a box condition" "$accord" conflicts tests/checker/eq_box.accord
has "found by the proof on boxes" "equal treatment in eq_box: proved for 7 of 8 questions (0 on boxes, 7 not reading nationality); unequal: exportable"
expect 0 "symmetric reads of the nationality" "$accord" conflicts tests/checker/eq_sym.accord
has "proved on boxes" "equal treatment in eq_sym: proved for 8 of 8 questions (3 on boxes"
expect 0 "nationality outside the box fragment" "$accord" conflicts --format json tests/checker/eq_search.accord
has "searched, with its reason" '"status": "searched (not proved)"'
# only the personal scope reads the nationality: proved or found on the scope alone (SPEC §13.4)
expect 1 "a scope that forgets one party's nationals" "$accord" conflicts --format json tests/checker/eq_scope.accord
has "found by the scope method" '"method": "scope"'
has "with both answers" '"outcome": "not covered"'
expect 1 "text: the scope method counted" "$accord" conflicts tests/checker/eq_scope.accord
has "unequal on all eight questions" "equal treatment in eq_scope: proved for 0 of 8 questions (0 on boxes, 0 not reading nationality); unequal: applicable_legislation, covered, equal_treatment, aggregated_periods, entitled, benefit, exportable, refund"
# a migrant-worker scope: the host's nationals are outside it; a witness where both are covered comes first
expect 1 "a migrant-worker scope: the swap leaves the scope" "$accord" conflicts --no-z3 tests/checker/eq_migrant.accord
has "said in the region" 'region: a national of FR instead of DE (outside the personal scope for one of them)'
has "the other answer: not covered" 'eq_migrant for a national of DE says not covered'
expect 1 "a rule treating covered nationals differently is reported as such" "$accord" conflicts --no-z3 tests/checker/eq_migrant_rule.accord
has "both covered: no scope note" 'region: a national of PH instead of DE, within'
has "both answers decided" 'eq_migrant_rule for a national of PH says decided false by Art. 3'
has "a condition and its negation (in / not in) are one atom: no candidate where both hold" '8 findings, 8 unacknowledged, 0 unconfirmed regions'
expect 0 "asean_model: its migrant-worker scope acknowledged" "$accord" conflicts --no-z3 agreements/asean_model.accord
has "asean_model: found by the search" "unequal_treatment (acknowledged): covered"
expect 0 "EU 883/2004: every question proved, applicable_legislation by the scope" "$accord" conflicts --no-z3 agreements/eu_883_2004.accord
has "EU proved for 8 of 8" "equal treatment in eu_883_2004: proved for 8 of 8 questions (8 on boxes, 8 of them by the personal scope alone"
# nationals are compared only on dates where both States are parties (SPEC §13.4)
expect 0 "a party that joins later is not compared before it joins" "$accord" conflicts --format json tests/checker/eq_late_party.accord
has "searched, no finding" '"status": "searched (not proved)"'
expect 1 "its nationals treated differently after it joins: found" "$accord" conflicts --format json tests/checker/eq_late_unequal.accord
has "the witness is dated after the accession" '"date": "202[3-9]-'
expect 1 "the equal-treatment search keeps to dates where both are parties (the gap remains)" "$accord" conflicts --no-z3 tests/checker/eq_join.accord
has "a party that joins later: nothing unequal" "equal treatment in eq_join: proved for 7 of 8 questions (7 on boxes, 7 of them by the personal scope alone, 0 not reading nationality); searched (not proved): covered"
expect 0 "a shipped agreement proved on boxes" "$accord" conflicts agreements/in_be.accord
has "in_be proved" "equal treatment in in_be: proved for 8 of 8 questions (8 on boxes"
expect 1 "an agreement with errors is not checked" "$accord" conflicts tests/invalid/spec-13.5-acknowledge-unknown-kind.accord
# Z3 on regions the witness search cannot confirm (SPEC §13.3)
expect 1 "Z3 confirms a rare conflict" "$accord" conflicts --format json tests/checker/smt_confirmed.accord
has "Z3 confirms a rare conflict: the finding" '"kind": "conflict"'
has "Z3 confirms a rare conflict: found by Z3" '"sat": 1'
has "Z3 confirms a rare conflict: nothing refuted" '"refuted": 0'
expect 1 "--no-z3 leaves the rare conflict unconfirmed" "$accord" conflicts --no-z3 --format json tests/checker/smt_confirmed.accord
has "--no-z3: the region is unconfirmed, with the reason" '"z3": "Z3 not asked (--no-z3)"'
if grep -q '"sat":' "$tmp/out"; then ko "--no-z3 asked Z3"; else ok; fi
expect 1 "Z3 refutes an empty region (the gap remains)" "$accord" conflicts --format json tests/checker/smt_refuted.accord
has "Z3 refutes an empty region: counted" '"refuted": 1'
has "Z3 refutes an empty region: proved" '"empty": 1'
cp "$tmp/out" "$tmp/first"
expect 1 "Z3 refutes an empty region, again" "$accord" conflicts --format json tests/checker/smt_refuted.accord
if cmp -s "$tmp/out" "$tmp/first"; then ok; else ko "two runs give different JSON"; fi
expect 0 "outside Z3's fragment the region stays unconfirmed" "$accord" conflicts --format json tests/checker/smt_unconfirmed.accord
has "outside the fragment: unconfirmed" '"unconfirmed": 2'
has "outside the fragment: the Z3 reason" '"z3": "Z3 found a case in the region, but it does not reproduce'
has "outside the fragment: nothing refuted" '"refuted": 0'
# a count's marks survive a definition's argument that is itself a compared
# count (session 9 review: both gave a wrong `refuted` before)
for f in smt_count_arg_filtered smt_count_arg_need; do
    expect 1 "$f: the conflict found" "$accord" conflicts --format json tests/checker/$f.accord
    has "$f: the conflict confirmed by Z3" '"sat": 1'
    has "$f: nothing refuted" '"refuted": 0'
done
expect 1 "Z3 proves two computed values equal (the gap remains)" "$accord" conflicts --format json tests/checker/smt_values.accord
has "equal values: the conflict refuted" '"refuted": 1'
has "equal values: no conflict reported" '"findings": 1'
# a model without the calendar does not replay; asked again with it (smt.h smt_calendar), it does
expect 1 "without --thorough the calendar is not asked" "$accord" conflicts --format json tests/checker/smt_calendar.accord
has "no calendar: the conflict stays unconfirmed" '"unconfirmed": 1'
expect 1 "Z3 with the calendar confirms a conflict of calendar months" "$accord" conflicts --format json --thorough tests/checker/smt_calendar.accord
has "calendar months: the conflict confirmed" '"findings": 2'
has "calendar months: nothing left unconfirmed" '"unconfirmed": 0'
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
