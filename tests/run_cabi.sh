#!/bin/sh
# run_cabi.sh BUILD_DIR - the C ABI seen from a host program (runtime/accord.h):
#   1. `accord header` output equals the goldens in tests/cabi/ (the vocabulary
#      header and an agreement's header);
#   2. the generated headers compile as C11 (with -Werror) and as C++, and a
#      header whose layout numbers disagree with the structs does not compile
#      (the static assertions work);
#   3. acc_load loads a shared library exporting accord_module, and refuses one
#      built for another ABI version, another vocabulary, or exporting nothing,
#      with a message naming the file and both versions/hashes;
#   4. examples/integration (the institution's host program) builds with
#      `accord build` and prints the decision; a compiled agreement is refused
#      for another vocabulary; a traced call into an evaluator built with
#      --no-trace is an error outcome;
#   5. `make install PREFIX=tmp` installs a tree from which a host builds with
#      `pkg-config --cflags --libs accord` and runs; libaccord.so.1 has its SONAME.
# Hosts are compiled with $ACCORD_TEST_CFLAGS (the sanitizer flags of the
# build directory).  Prints one line per failure and "N passed, N failed" last.
# To regenerate the goldens after a deliberate change:
#   build/accord header > tests/cabi/accord_vocab.h.expected
#   build/accord header examples/teaching_posting.accord > tests/cabi/teaching_posting.h.expected
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh tests/run_cabi.sh BUILD_DIR" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$root" || exit 2
B=$(cd "$1" && pwd) || exit 2
A=$B/accord
CC=${CC:-cc}
CFLAGS_T="-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -g ${ACCORD_TEST_CFLAGS:-}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-cabi.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
ok() { pass=$((pass + 1)); }
ko() {
    fail=$((fail + 1))
    echo "FAIL $1"
    [ $# -gt 1 ] && [ -f "$2" ] && head -20 "$2" | sed 's/^/    /'
    return 0
}
# expect FILE TEXT: FILE has a line equal to TEXT
expect() { grep -qxF "$2" "$1"; }

# ---- 1. goldens ----------------------------------------------------------------
"$A" header > "$tmp/accord_vocab.h" 2> "$tmp/err" && cmp -s tests/cabi/accord_vocab.h.expected "$tmp/accord_vocab.h" \
    && ok || { diff tests/cabi/accord_vocab.h.expected "$tmp/accord_vocab.h" > "$tmp/diff" 2>&1; ko "accord header: differs from tests/cabi/accord_vocab.h.expected" "$tmp/diff"; }
"$A" header examples/teaching_posting.accord -o "$tmp/teaching_posting.h" 2> "$tmp/err" \
    && cmp -s tests/cabi/teaching_posting.h.expected "$tmp/teaching_posting.h" \
    && ok || { diff tests/cabi/teaching_posting.h.expected "$tmp/teaching_posting.h" > "$tmp/diff" 2>&1; ko "accord header AGREEMENT: differs from tests/cabi/teaching_posting.h.expected" "$tmp/diff"; }
# the build's copy is the same header
cmp -s "$B/include/accord_vocab.h" "$tmp/accord_vocab.h" && ok || ko "$B/include/accord_vocab.h is not the output of accord header"
# bad usage and bad input are refused with a message
"$A" header agreements > "$tmp/out" 2> "$tmp/err"
[ $? -eq 2 ] && grep -q "give one agreement" "$tmp/err" && ok || ko "accord header with several agreements" "$tmp/err"
printf 'agreement broken {\n' > "$tmp/broken.accord"
"$A" header "$tmp/broken.accord" > "$tmp/out" 2> "$tmp/err"
[ $? -eq 1 ] && grep -q "no header is written" "$tmp/err" && [ ! -s "$tmp/out" ] && ok || ko "accord header of a broken agreement" "$tmp/err"

# ---- 2. the headers compile; a wrong layout does not -------------------------------
cat > "$tmp/use.c" <<'EOF'
#include "teaching_posting.h"
int use(void);
int use(void) {
    accv_activity a[1];
    accv_case c;
    memset(&c, 0, sizeof c);
    memset(a, 0, sizeof a);
    a[0].state = (accv_country)acc_country_lookup("DE", 2);
    a[0].kind = ACCV_ACTIVITY_KIND_EMPLOYED;
    c.activities.items = a;
    c.activities.n = 1;
    c.date = acc_cdate_from(acc_date_from_ymd(2024, 3, 1));
    acc_list l;
    memcpy(&l, &c.activities, sizeof l);
    return (int)l.n + (int)sizeof(accv_case) + ACCV_BRANCH_OLD_AGE;
}
EOF
$CC $CFLAGS_T -pedantic -Iruntime -I"$tmp" -c -o "$tmp/use.o" "$tmp/use.c" 2> "$tmp/err" && ok || ko "the generated headers do not compile as C11" "$tmp/err"
if command -v c++ > /dev/null 2>&1; then
    cp "$tmp/use.c" "$tmp/use.cc"
    c++ -std=c++11 -Wall -Werror -Iruntime -I"$tmp" -c -o "$tmp/usexx.o" "$tmp/use.cc" 2> "$tmp/err" && ok || ko "the generated headers do not compile as C++" "$tmp/err"
fi
mkdir -p "$tmp/wrong"
cp "$tmp/teaching_posting.h" "$tmp/use.c" "$tmp/wrong/"
sed 's/offsetof(accv_activity, share) == 8,/offsetof(accv_activity, share) == 16,/' "$tmp/accord_vocab.h" > "$tmp/wrong/accord_vocab.h"
if cmp -s "$tmp/accord_vocab.h" "$tmp/wrong/accord_vocab.h"; then
    ko "could not alter a layout assertion (has the vocabulary changed?)"
elif $CC $CFLAGS_T -Iruntime -I"$tmp/wrong" -c -o "$tmp/wrong.o" "$tmp/wrong/use.c" > "$tmp/err" 2>&1; then
    ko "a header with a wrong offset compiled"
else
    grep -q "offset of accv_activity.share" "$tmp/err" && ok || ko "a wrong offset is refused without the assertion's message" "$tmp/err"
fi
sed 's/#define ACCV_VOCAB_IS_/#define ACCV_VOCAB_WAS_/' "$tmp/accord_vocab.h" > "$tmp/wrong/accord_vocab.h"
$CC $CFLAGS_T -Iruntime -I"$tmp/wrong" -c -o "$tmp/wrong.o" "$tmp/wrong/use.c" > "$tmp/err" 2>&1
[ $? -ne 0 ] && grep -q "generated for the vocabulary" "$tmp/err" && ok || ko "an agreement header accepted another vocabulary's header" "$tmp/err"

# ---- the man page names every command and option of `accord --help` -------------------
missing=""
for w in $("$A" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p'); do
    grep -qx "\.B $w" doc/accord.1 || missing="$missing $w"
done
for o in $("$A" --help | grep -oE -- '(^| )--?[a-z][a-z-]*' | sort -u); do
    grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" doc/accord.1 || missing="$missing $o"
done
[ -z "$missing" ] && ok || ko "doc/accord.1 does not document:$missing"

# ---- 3. loading evaluators ---------------------------------------------------------
lib="-L$B -laccord"
export LD_LIBRARY_PATH="$B${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
$CC $CFLAGS_T -Iruntime -o "$tmp/load" tests/cabi/load.c $lib 2> "$tmp/err" || ko "the loader driver does not build" "$tmp/err"
mod() { # NAME EXTRA_FLAGS...: build tests/cabi/mini_module.c as $tmp/NAME.so
    n=$1
    shift
    $CC $CFLAGS_T -fPIC -shared -DMINI_SHARED "$@" -Iruntime -o "$tmp/$n.so" tests/cabi/mini_module.c $lib 2> "$tmp/err" \
        || ko "building $n.so" "$tmp/err"
}
mod good
mod wrong_abi -DMINI_ABI=7
mod wrong_vocab '-DMINI_VOCAB_HASH="ffffffffffffffff"'
$CC $CFLAGS_T -fPIC -shared -o "$tmp/none.so" -x c - <<'EOF' 2> "$tmp/err" || ko "building none.so" "$tmp/err"
int not_an_evaluator(void);
int not_an_evaluator(void) { return 0; }
EOF
cat > "$tmp/case.json" <<'EOF'
{"id": "w1", "date": "2024-03-01", "activities": [{"state": "DE", "posted": true, "posting": {"sending_state": "PH"}}]}
EOF
printf '{"id": "w2", "date": "2024-03-01", "activities": [{"state": "XX"}]}' > "$tmp/bad.json"
(cd "$tmp" && ./load good.so mini-vocab-1 case.json applicable_legislation) > "$tmp/out" 2>&1
[ $? -eq 0 ] && expect "$tmp/out" "loaded mini (vocabulary mini-vocab-1, ABI 4)" &&
    expect "$tmp/out" "applicable_legislation: decided: PH [Art. 12(1)]" && ok || ko "loading good.so and deciding a JSON case" "$tmp/out"
"$tmp/load" "$tmp/good.so" - "$tmp/bad.json" applicable_legislation > "$tmp/out" 2>&1
[ $? -eq 1 ] && expect "$tmp/out" "bad case: activities[0].state: unknown country code 'XX' (ISO 3166-1 alpha-2 expected)" \
    && ok || ko "a bad JSON case through acc_case_from_json" "$tmp/out"
"$tmp/load" "$tmp/wrong_abi.so" mini-vocab-1 > "$tmp/out" 2>&1
[ $? -eq 1 ] && expect "$tmp/out" "refused: $tmp/wrong_abi.so: compiled for ABI version 7, but this libaccord implements ABI version 4; rebuild it with \`accord build\` of this release" \
    && ok || ko "a module of another ABI version is refused" "$tmp/out"
vh=$(sed -n 's/^#define ACCV_VOCAB_HASH "\(.*\)"$/\1/p' "$B/include/accord_vocab.h")
"$tmp/load" "$tmp/wrong_vocab.so" "$vh" > "$tmp/out" 2>&1
[ $? -eq 1 ] && expect "$tmp/out" "refused: $tmp/wrong_vocab.so: agreement mini was compiled against the vocabulary ffffffffffffffff, but this program expects the vocabulary $vh; build the evaluator and the program's headers (\`accord build\`, \`accord header\`) from the same vocabulary" \
    && ok || ko "a module of another vocabulary is refused" "$tmp/out"
"$tmp/load" "$tmp/none.so" > "$tmp/out" 2>&1
[ $? -eq 1 ] && expect "$tmp/out" "refused: $tmp/none.so: not a compiled Accord evaluator (it exports no symbol accord_module)" \
    && ok || ko "a library without accord_module is refused" "$tmp/out"
"$tmp/load" "$tmp/missing.so" > "$tmp/out" 2>&1
[ $? -eq 1 ] && expect "$tmp/out" "refused: $tmp/missing.so: no such file" && ok || ko "a missing file" "$tmp/out"
printf 'not an ELF file' > "$tmp/text.so"
"$tmp/load" "$tmp/text.so" > "$tmp/out" 2>&1
[ $? -eq 1 ] && grep -q "^refused: $tmp/text.so: cannot load: " "$tmp/out" && ok || ko "a file that is not a library" "$tmp/out"

# ---- 4. the integration example ---------------------------------------------------------
if sh examples/integration/run.sh "$B" "$tmp/integration" > "$tmp/out" 2>&1 && cmp -s examples/integration/expected.txt "$tmp/out"; then
    ok
else
    diff examples/integration/expected.txt "$tmp/out" > "$tmp/diff" 2>&1
    ko "examples/integration: output differs from examples/integration/expected.txt" "$tmp/diff"
fi
# a compiled agreement loaded by path through acc_load, refused for another vocabulary
"$tmp/load" "$tmp/integration/ph_de.so" ffffffffffffffff > "$tmp/out" 2>&1
[ $? -eq 1 ] && expect "$tmp/out" "refused: $tmp/integration/ph_de.so: agreement ph_de was compiled against the vocabulary $vh, but this program expects the vocabulary ffffffffffffffff; build the evaluator and the program's headers (\`accord build\`, \`accord header\`) from the same vocabulary" \
    && ok || ko "accord build's ph_de.so with another vocabulary's hash" "$tmp/out"
# built without traced entry points: the traced wrapper gives an error outcome, not a crash
"$A" build agreements/ph_de.accord --no-trace -c -o "$tmp/notrace.o" 2> "$tmp/err" || ko "accord build --no-trace" "$tmp/err"
cat > "$tmp/notrace.c" <<'EOF'
#include "ph_de.h"
int main(void) {
    accv_case c;
    acc_result r;
    acc_trace t;
    memset(&c, 0, sizeof c);
    memset(&t, 0, sizeof t);
    ph_de_applicable_legislation_traced(&c, &r, &t);
    char why[ACC_REASON_MAX];
    printf("%s: %s\n", acc_outcome_name(r.kind), acc_result_reason(&r, why, sizeof why));
    return 0;
}
EOF
if $CC $CFLAGS_T -Iruntime -I"$tmp/integration" -o "$tmp/notrace" "$tmp/notrace.c" "$tmp/notrace.o" $lib 2> "$tmp/err"; then
    "$tmp/notrace" > "$tmp/out" 2>&1
    expect "$tmp/out" "error: the evaluator has no traced entry point for applicable_legislation" && ok || ko "a traced call without traced entry points" "$tmp/out"
else
    ko "building a host against accord build --no-trace -c" "$tmp/err"
fi

# the columnar descriptor: declared weak by the header, present only with --columnar
cat > "$tmp/col.c" <<'EOF'
#include "ph_de.h"
int main(void) {
    const acc_columnar *cz = ph_de_columnar();
    printf("columnar: %s\n", cz ? "yes" : "no");
    return 0;
}
EOF
for mode in plain columnar; do
    flag=
    want=no
    if [ $mode = columnar ]; then flag=--columnar; want=yes; fi
    if "$A" build agreements/ph_de.accord $flag -c -o "$tmp/col_$mode.o" 2> "$tmp/err" &&
        $CC $CFLAGS_T -Iruntime -I"$tmp/integration" -o "$tmp/col_$mode" "$tmp/col.c" "$tmp/col_$mode.o" $lib 2> "$tmp/err"; then
        "$tmp/col_$mode" > "$tmp/out" 2>&1
        expect "$tmp/out" "columnar: $want" && ok || ko "ph_de_columnar() of an object built $mode" "$tmp/out"
    else
        ko "building a host against accord build $flag -c (columnar descriptor)" "$tmp/err"
    fi
done

# ---- 5. make install into a temporary prefix ------------------------------------------
prefix=$tmp/prefix
if make --no-print-directory -s install B="$B" PREFIX="$prefix" > "$tmp/err" 2>&1; then
    ok
    for f in bin/accord lib/libaccord.so.1 lib/libaccord.so lib/libaccord.a include/accord/accord.h include/accord/accord_rt.h \
        include/accord/iso.h include/accord/accord_vocab.h lib/pkgconfig/accord.pc share/man/man1/accord.1; do
        [ -e "$prefix/$f" ] || ko "make install: $f is missing"
    done
    readelf -d "$prefix/lib/libaccord.so.1" | grep -q 'SONAME.*\[libaccord.so.1\]' && ok || ko "libaccord.so.1 has no SONAME libaccord.so.1"
    flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs accord 2> "$tmp/err") || ko "pkg-config accord" "$tmp/err"
    # shellcheck disable=SC2086
    if $CC $CFLAGS_T -o "$tmp/load_installed" tests/cabi/load.c $flags 2> "$tmp/err"; then
        LD_LIBRARY_PATH="$prefix/lib" "$tmp/load_installed" "$tmp/good.so" mini-vocab-1 "$tmp/case.json" applicable_legislation > "$tmp/out" 2>&1
        expect "$tmp/out" "applicable_legislation: decided: PH [Art. 12(1)]" && ok || ko "a host built against the installed tree" "$tmp/out"
    else
        ko "a host does not build with pkg-config --cflags --libs accord" "$tmp/err"
    fi
    ACCORD_PREFIX=$prefix sh examples/integration/run.sh "$B" "$tmp/installed" > "$tmp/out" 2>&1 &&
        cmp -s examples/integration/expected.txt "$tmp/out" && ok || ko "examples/integration against the installed tree" "$tmp/out"
    man -l "$prefix/share/man/man1/accord.1" > /dev/null 2>&1 || [ ! -x "$(command -v man)" ] && ok || ko "the man page does not format"
else
    ko "make install PREFIX=$prefix" "$tmp/err"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
