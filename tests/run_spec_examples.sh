#!/bin/sh
# Every ```accord block of SPEC.md must check, and those with examples must
# pass `accord test`, so the reference never shows code the compiler rejects.
# A block that is not a whole file is wrapped in the Demo header below; a
# stand-alone protocol block is checked with the agreement block before it;
# a vocabulary block is used as --prelude for a trivial agreement.
# usage: tests/run_spec_examples.sh ACCORD_BINARY
set -u
ACCORD=$1
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
awk -v dir="$tmp" '
    /^```accord[ \t]*$/ { inblock = 1; f = sprintf("%s/b%03d.txt", dir, n); start[n] = NR; n++; next }
    /^```/ && inblock   { inblock = 0; close(f); next }
    inblock             { print > f }
    END { for (i = 0; i < n; i++) printf "%d\n", start[i] > (dir "/lines") }
' SPEC.md
HDR='agreement Demo { title "Demo"; parties DE, PH; signed 2019-01-01; in force 2020-01-01; }'
printf 'agreement D { title "d"; parties DE, PH; signed 2000-01-01; in force 2000-01-01; }\n' > "$tmp/dummy.accord"
pass=0 fail=0 i=0 last=""
for b in "$tmp"/b*.txt; do
    [ -e "$b" ] || break
    i=$((i + 1))
    line=$(sed -n "${i}p" "$tmp/lines")
    first=$(awk 'NF { print $1; exit }' "$b")
    x="$tmp/x$i.accord"
    case "$first" in
    agreement) cp "$b" "$x"; last=$x; files=$x ;;
    vocabulary) cp "$b" "$x"; files="" ;;
    protocol)
        if grep -q '^[[:space:]]*protocol[[:space:]][[:alnum:]_]*[[:space:]]amends' "$b"; then
            cp "$b" "$x"; files="$last $x"
        else
            { echo "$HDR"; cat "$b"; } > "$x"; files=$x
        fi ;;
    *) { echo "$HDR"; cat "$b"; } > "$x"; files=$x ;;
    esac
    if [ "$first" = vocabulary ]; then
        out=$("$ACCORD" check --prelude "$x" "$tmp/dummy.accord" 2>&1); st=$?
    else
        # shellcheck disable=SC2086
        out=$("$ACCORD" check --diag-format=test $files 2>&1); st=$?
        if [ $st -eq 0 ] && grep -q 'example "' "$b"; then
            # shellcheck disable=SC2086
            out=$("$ACCORD" test $files 2>&1); st=$?
        fi
    fi
    if [ $st -eq 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL SPEC.md:$line: block $i"
        echo "$out" | sed 's/^/    /'
    fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
