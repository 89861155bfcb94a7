#!/bin/sh
# run_invalid.sh ACCORD_BINARY - the corpus of broken inputs (tests/invalid).
#
# 1. Every tests/invalid/*.accord starts with one or more lines
#        // expect: SEVERITY|LINE|COL|MESSAGE-SUBSTRING
#    that must match, in order and one for one, the lines printed by
#        accord check --diag-format=test FILE        (SEVERITY|FILE|LINE|COL|MESSAGE)
#    severity, line and column exactly, the message by substring; FILE must be
#    the file checked (a diagnostic placed in another file is a wrong location),
#    except for diagnostics without a location (line 0).
# 2. A sibling NAME.diag holds the full human output of `accord check NAME.accord 2>&1`
#    (run from tests/invalid, so paths are bare file names; stderr is not a tty here,
#    so there is no colour); it must match byte for byte.
# 3. Generated cases (binary bytes, huge or deeply nested inputs, several files,
#    driver errors) are written to a temporary directory and checked here.
#
# Every run must: exit with the expected status (1 for errors in the input, never 2,
# never a signal), finish within 10 s, and print nothing but diagnostics (no
# "internal error", no sanitizer report).  One FAIL line per failed case, with
# indented details ("- expected, missing" / "+ printed, not expected"), then the
# summary line "N passed, N failed"; the exit status is 1 if anything failed.
# POSIX sh (dash).
set -u

. "$(dirname "$0")/lib.sh"
setup_runner run_invalid.sh "$@"
DIR=$HERE/invalid

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { # LABEL REASON [DETAILS-FILE]
    failed=$((failed + 1))
    printf 'FAIL %s: %s\n' "$1" "$2"
    if [ $# -ge 3 ] && [ -s "$3" ]; then sed -n '1,40s/^/    /p' "$3"; fi
}

# The comparison, in awk: expected lines (file 1) against what accord printed on
# stderr (file 2).  MODE is
#   exact    every expectation matched in order, nothing else printed;
#   located  at least one error in FILE with line >= 1;
#   any      at least one error, anywhere (diagnostics without a location and
#            diagnostics in other files, e.g. the prelude, allowed).
# NEED, if not empty, must occur in some message.  Prints the explanation; exit 1
# on a mismatch.
compare() { # MODE NAME EXPECTED-FILE STDERR-FILE NEED
    awk -v mode="$1" -v name="$2" -v need="$5" '
    function field(s, k,   i, p) {      # k-th |-separated field; the last one takes the rest
        for (i = 1; i < k; i++) { p = index(s, "|"); if (!p) return ""; s = substr(s, p + 1) }
        if (k < last) { p = index(s, "|"); if (p) s = substr(s, 1, p - 1) }
        return s
    }
    function ok(e, g) {
        last = 4
        es = field(e, 1); el = field(e, 2); ec = field(e, 3); em = field(e, 4)
        last = 5
        gs = field(g, 1); gf = field(g, 2); gl = field(g, 3); gc = field(g, 4); gm = field(g, 5)
        return es == gs && el == gl && ec == gc && index(gm, em) > 0 && (gl == 0 || gf == name)
    }
    FILENAME == ARGV[1] { ne++; e[ne] = $0; next }
    /^(error|warning|note)\|/ { ng++; g[ng] = $0; next }
    { nj++; if (nj <= 5) junk[nj] = $0 }
    END {
        bad = 0
        for (i = 1; i <= nj && i <= 5; i++) { print "! not a diagnostic: " substr(junk[i], 1, 200); bad = 1 }
        if (nj > 5) print "! ... " (nj - 5) " more lines that are not diagnostics"
        if (mode == "exact") {
            if (ne == 0) { print "! the file has no // expect: lines"; exit 1 }
            j = 1
            for (i = 1; i <= ne; i++) {
                for (k = j; k <= ng && !ok(e[i], g[k]); k++) ;
                if (k > ng) { print "- " e[i]; bad = 1; continue }
                for (; j < k; j++) { print "+ " substr(g[j], 1, 300); bad = 1 }
                j = k + 1
            }
            for (; j <= ng; j++) { print "+ " substr(g[j], 1, 300); bad = 1 }
        } else {
            found = 0; seen = 0
            last = 5
            for (k = 1; k <= ng; k++) {
                gs = field(g[k], 1); gf = field(g[k], 2); gl = field(g[k], 3); gm = field(g[k], 5)
                if (gs != "error") continue
                if (mode == "any" || (gl >= 1 && gf == name)) found = 1
                if (need != "" && index(gm, need) > 0) seen = 1
                if (mode == "located" && gl > 0 && gf != name) { print "+ " substr(g[k], 1, 300) "   (in another file)"; bad = 1 }
            }
            if (!found) {
                print (mode == "located" ? "- an error located in " name " (line >= 1)" : "- at least one error")
                bad = 1
            }
            if (need != "" && !seen) { print "- a message containing: " need; bad = 1 }
            if (bad) for (k = 1; k <= ng && k <= 5; k++) print "  got: " substr(g[k], 1, 300)
        }
        exit bad
    }' "$3" "$4"
}

# run_case LABEL WORKDIR FILE WANT-STATUS MODE [NEED]
# Runs `accord check [$ARGS] --diag-format=test FILE` in WORKDIR.
ARGS=
run_case() {
    label=$1 wd=$2 file=$3 want=$4 mode=$5 need=${6-}
    # (a subshell that waits, so that a shell's "Segmentation fault" notice lands in err, not on the terminal)
    # shellcheck disable=SC2086
    (cd "$wd" || exit 2
     timeout 10 "$A" check $ARGS --diag-format=test "$file" >"$TMP/out" 2>"$TMP/err"
     exit $?) 2>/dev/null
    rc=$?
    why=
    if [ $rc -eq 124 ]; then why="no answer within 10 s (hang or far too slow)"
    elif [ $rc -gt 128 ]; then why="killed by signal $((rc - 128)) (crash)"
    elif [ $rc -ne "$want" ]; then
        case $rc in
        0) why="exit status 0, expected $want: the error was not detected" ;;
        2) why="exit status 2 (usage error), expected $want" ;;
        *) why="exit status $rc, expected $want" ;;
        esac
    fi
    if grep -q 'internal error' "$TMP/err"; then why="${why:+$why; }internal compiler error"; fi
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$TMP/err"; then why="${why:+$why; }sanitizer report"; fi
    if [ -s "$TMP/out" ]; then
        why="${why:+$why; }unexpected output on stdout"
        sed -n '1,3s/^/! stdout: /p' "$TMP/out" >"$TMP/stdout.txt"
    else
        : >"$TMP/stdout.txt"
    fi
    if [ "$mode" = exact ]; then
        awk '/^\/\/ expect: / { sub(/^\/\/ expect: /, ""); sub(/\r$/, ""); print; next } { exit }' "$wd/$file" >"$TMP/exp"
    else
        : >"$TMP/exp"
    fi
    compare "$mode" "$file" "$TMP/exp" "$TMP/err" "$need" >"$TMP/why" 2>&1
    crc=$?
    cat "$TMP/stdout.txt" >>"$TMP/why"
    if [ $crc -ne 0 ] && [ -z "$why" ]; then why="diagnostics differ"; fi
    if [ -n "$why" ]; then
        if [ $crc -eq 0 ] && [ -s "$TMP/err" ]; then sed -n '1,5s/^/  got: /p' "$TMP/err" >>"$TMP/why"; fi
        fail "$label" "$why" "$TMP/why"
    else
        pass
    fi
}

# ---- 1 and 2: the corpus ------------------------------------------------------
n=0
for f in "$DIR"/*.accord; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    base=${f##*/}
    run_case "invalid/$base" "$DIR" "$base" 1 exact
    d=${f%.accord}.diag
    if [ -e "$d" ]; then
        (cd "$DIR" || exit 2
         timeout 10 "$A" check "$base" >"$TMP/human" 2>&1
         exit $?) 2>/dev/null
        if cmp -s "$d" "$TMP/human"; then
            pass
        else
            diff "$d" "$TMP/human" | sed -n '1,30p' >"$TMP/why"
            fail "invalid/${d##*/}" "human rendering differs (< expected, > printed)" "$TMP/why"
        fi
    fi
done
if [ $n -eq 0 ]; then fail "invalid/" "no *.accord files in $DIR"; fi

# ---- 3: generated cases --------------------------------------------------------
G=$TMP/gen
mkdir -p "$G"
header() {
    printf 'agreement ph_de {\n  title "Test";\n  parties PH, DE;\n  signed 2014-09-19;\n  in force 2018-06-01;\n}\n'
}
article_open() { printf 'article 1 "General rule" {\n'; }
valid() { header; article_open; printf '  rule applicable_legislation = DE;\n}\n'; }
repeat() { # N TEXT: TEXT N times, no newline
    awk -v n="$1" -v t="$2" 'BEGIN { s = t; r = ""; while (n > 0) { if (n % 2) r = r s; s = s s; n = int(n / 2) } printf "%s", r }'
}

# empty file: an error located in the file itself (SPEC 2.1)
: >"$G/empty.accord"
run_case "generated/empty-file" "$G" empty.accord 1 located "empty file: expected 'agreement', 'vocabulary' or 'protocol'"

# a NUL byte and a control byte between tokens
{ printf '// expect: error|8|1|unexpected byte 0x00\n'; header; printf '\000'; article_open
  printf '  rule applicable_legislation = DE;\n}\n'; } >"$G/nul.accord"
run_case "generated/nul-byte" "$G" nul.accord 1 exact
{ printf '// expect: error|9|35|unexpected byte 0x01\n'; header; article_open
  printf '  rule applicable_legislation = DE\001;\n}\n'; } >"$G/ctrl.accord"
run_case "generated/control-byte" "$G" ctrl.accord 1 exact

# a NUL byte inside a string must not be accepted (it would cut the string short)
{ printf 'agreement ph_de {\n  title "Te\000st";\n  parties PH, DE;\n  signed 2014-09-19;\n  in force 2018-06-01;\n}\n'
  article_open; printf '  rule applicable_legislation = DE;\n}\n'; } >"$G/nulstr.accord"
run_case "generated/nul-in-string" "$G" nulstr.accord 1 located

# binary junk: an ELF-like header and every byte value, a few times over
{ printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000'
  awk 'BEGIN { for (r = 0; r < 8; r++) for (i = 1; i < 256; i++) printf "%c", (i * 37 + r * 11) % 256 }'
  printf '\000\000\377\376agreement {'; } >"$G/junk.accord"
run_case "generated/binary-junk" "$G" junk.accord 1 located

# 10,000 nested parentheses and braces (SPEC 2.6)
{ header; article_open; printf '  rule covered(old_age) = '; repeat 10000 '('; printf 'true'; repeat 10000 ')'
  printf ';\n}\n'; } >"$G/parens.accord"
run_case "generated/parens-10000" "$G" parens.accord 1 located "nesting deeper than"
{ header; article_open; printf '  rule covered(old_age) = DE in '; repeat 10000 '{'; printf 'DE'; repeat 10000 '}'
  printf ';\n}\n'; } >"$G/braces.accord"
run_case "generated/braces-10000" "$G" braces.accord 1 located "nesting deeper than"

# 1+1+...+1 with 200,000 terms: a located diagnostic, not a crash
{ header; article_open; printf '  parameter n = 1'; repeat 199999 '+1'
  printf ';\n  rule applicable_legislation = DE;\n}\n'; } >"$G/chain.accord"
run_case "generated/plus-chain-200000" "$G" chain.accord 1 located "expression nested deeper than 400 levels"

# not not not ... / - - - ...: past the expression depth limit, or (100,000 prefix
# operators) past the parser's stack, a located message about nesting (SPEC 2.6)
{ header; article_open; printf '  rule covered(old_age) = '; repeat 1000 'not '; printf 'true;\n}\n'; } >"$G/not1k.accord"
run_case "generated/not-chain-1000" "$G" not1k.accord 1 located "expression nested deeper than 400 levels"
{ header; article_open; printf '  rule covered(old_age) = '; repeat 100000 'not '; printf 'true;\n}\n'; } >"$G/not100k.accord"
run_case "generated/not-chain-100000" "$G" not100k.accord 1 located "expression nested"
{ header; article_open; printf '  parameter n = '; repeat 100000 '- '; printf '1;\n  rule applicable_legislation = DE;\n}\n'; } >"$G/neg100k.accord"
run_case "generated/minus-chain-100000" "$G" neg100k.accord 1 located "expression nested"

# an identifier of 100,000 characters
{ header; article_open; printf '  parameter '; repeat 100000 'x'; printf ' = 12 months;\n  rule applicable_legislation = DE;\n}\n'; } >"$G/longid.accord"
run_case "generated/identifier-100000" "$G" longid.accord 1 located "identifier is longer than 128 characters"

# CRLF line ends: columns do not count the CR
{ printf '// expect: error|9|8|unknown question '"'"'applicable_law'"'"'\r\n'
  valid | sed 's/$/\r/; s/rule applicable_legislation/rule applicable_law/'; } >"$G/crlf.accord"
run_case "generated/crlf" "$G" crlf.accord 1 exact

# more errors than the cap: 50 are shown, then one "too many errors" line
{ header; article_open; i=1; while [ $i -le 60 ]; do printf '  rule q%d = DE;\n' $i; i=$((i + 1)); done; printf '}\n'; } >"$G/many.accord"
{ i=1; while [ $i -le 50 ]; do printf "error|%d|8|unknown question 'q%d'\n" $((i + 7)) $i; i=$((i + 1)); done
  printf 'error|0|0|too many errors (50); stopping here\n'; } >"$G/many.exp"
(cd "$G" || exit 2
 timeout 10 "$A" check --diag-format=test many.accord >/dev/null 2>"$TMP/err"
 exit $?) 2>/dev/null
if compare exact many.accord "$G/many.exp" "$TMP/err" "" >"$TMP/why" 2>&1; then pass
else fail "generated/too-many-errors" "diagnostics differ" "$TMP/why"; fi

# 50,000 articles with one mistake at the end: no quadratic blow-up
{ header; awk 'BEGIN { for (i = 1; i <= 50000; i++) printf "article %d { rule r%d: covered(old_age) = true; }\n", i, i }'
  printf 'article 50001 { rule applicable_law = DE; }\n'; } >"$G/manyart.accord"
run_case "generated/many-articles" "$G" manyart.accord 1 located "unknown question 'applicable_law'"

# a 70 MB file is refused with a clear message (SPEC 2.1): a valid agreement and 70 MB of blanks
{ valid; dd if=/dev/zero bs=1048576 count=70 2>/dev/null | tr '\000' ' '; } >"$G/big.accord"
run_case "generated/file-70mb" "$G" big.accord 1 any "is larger than"
rm -f "$G/big.accord"

# the same agreement in two files
mkdir -p "$G/dup"
valid >"$G/dup/a.accord"
valid >"$G/dup/b.accord"
run_case "generated/agreement-twice" "$G" dup 1 any "agreement 'ph_de' is also defined in dup/a.accord"
if grep -q '^error|dup/b.accord|1|11|agreement' "$TMP/err"; then pass
else sed 's/^/got: /' "$TMP/err" >"$TMP/why"; fail "generated/agreement-twice-location" "expected the error at dup/b.accord:1:11" "$TMP/why"; fi

# a file that cannot be read (Linux: /proc/self/mem fails on read)
if [ -r /proc/self/mem ]; then
    run_case "generated/unreadable-file" "$G" /proc/self/mem 1 any "cannot read '/proc/self/mem'"
fi

# files and directories that cannot be read (only when permissions apply, i.e. not as root)
printf 'x' >"$G/noperm.accord"
mkdir -p "$G/nopermdir"
valid >"$G/nopermdir/a.accord"
chmod 000 "$G/noperm.accord" "$G/nopermdir"
if [ ! -r "$G/noperm.accord" ]; then
    run_case "generated/file-without-permission" "$G" noperm.accord 1 any "cannot open 'noperm.accord'"
fi
if [ ! -r "$G/nopermdir" ]; then
    run_case "generated/directory-without-permission" "$G" nopermdir 2 any "cannot read directory 'nopermdir'"
fi
chmod 755 "$G/nopermdir"

# a broken --prelude is an error in the input: status 1 (SPEC 10.3)
printf 'vocabulary v;\nenum branch { old_age }\n' >"$G/prelude-nocase.accord"
valid >"$G/ok.accord"
ARGS="--prelude prelude-nocase.accord"
run_case "generated/prelude-errors" "$G" ok.accord 1 any "the prelude has errors"
cp "$G/ok.accord" "$G/prelude-agreement.accord"
ARGS="--prelude prelude-agreement.accord"
run_case "generated/prelude-not-vocabulary" "$G" ok.accord 1 any "the prelude must be a vocabulary"
ARGS=

# usage errors keep status 2: a path that does not exist, a directory without .accord files
run_case "generated/missing-file" "$G" no-such-file.accord 2 any "cannot open 'no-such-file.accord'"
mkdir -p "$G/nothing"
run_case "generated/empty-directory" "$G" nothing 2 any "no .accord files found"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
