#!/bin/sh
# Cheap consistency checks (style G7, G13): the keyword list and the grammar
# agree, and no generated file is tracked.
set -eu
status=0
kw_tokens=$(sed -n 's/^KW("\([a-z_]*\)", \([A-Z_]*\))$/\2 \1/p' grammar/keywords.h)
echo "$kw_tokens" | while read -r tok word; do
    if ! grep -q "%token.* $tok \"$word\"\|%token $tok \"$word\"" grammar/parser.y; then
        # plural/singular spellings share one token (day/days)
        grep -q "[ ]$tok \"" grammar/parser.y || { echo "lint: keyword token $tok ('$word') is not declared in parser.y"; exit 1; }
    fi
done || status=1
# every lower-case aliased token in parser.y must be a keyword
for tok in $(grep '^%token' grammar/parser.y | grep -o '[A-Z_]* "[a-z][a-z ]*"' | grep -v '"not in"' | grep -v '_LIT \|^IDENT ' | cut -d' ' -f1); do
    grep -q ", $tok)$" grammar/keywords.h || { echo "lint: token $tok has a word alias but is not in keywords.h"; status=1; }
done
# keywords.h must stay sorted (the lexer binary-searches it)
sed -n 's/^KW("\([a-z_]*\)".*/\1/p' grammar/keywords.h > /tmp/accord-kw.$$
LC_ALL=C sort -c /tmp/accord-kw.$$ 2>/dev/null || { echo "lint: grammar/keywords.h is not sorted"; status=1; }
rm -f /tmp/accord-kw.$$
if git ls-files | grep -E '(\.tab\.[ch]|lex\.yy\.c|grammar/parser\.[ch]|grammar/lexer\.c)$'; then
    echo "lint: generated parser files are tracked"; status=1
fi
[ $status = 0 ] && echo "lint: ok"
exit $status
