#!/bin/sh
# run.sh BUILD_DIR WORK_DIR - build and run the institution's host program
# (host.c) the way an institution would, and print what it prints.
#   1. accord build: the Philippines-Germany agreement as an object file
#      (linked into the host) and as a shared library (loaded at run time);
#   2. accord header: the vocabulary header and the agreement's header;
#   3. cc: host.c + ph_de.o against libaccord: from BUILD_DIR, or from an
#      installed tree with pkg-config when ACCORD_PREFIX is set;
#   4. run: the built-in posted worker (a C struct), then posted.json through
#      the shared library.
# tests/run_cabi.sh compares the output with expected.txt.
set -eu
B=$(cd "$1" && pwd)
W=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mkdir -p "$W"
if [ -n "${ACCORD_PREFIX:-}" ]; then
    A=$ACCORD_PREFIX/bin/accord
    flags=$(PKG_CONFIG_PATH="$ACCORD_PREFIX/lib/pkgconfig" pkg-config --cflags --libs accord)
    libdir=$ACCORD_PREFIX/lib
else
    A=$B/accord
    flags="-I$root/runtime -I$B/include -L$B -laccord"
    libdir=$B
fi
agreement=$root/agreements/ph_de.accord
"$A" build "$agreement" -c -o "$W/ph_de.o"
"$A" build "$agreement" -o "$W/ph_de.so"
"$A" header -o "$W/accord_vocab.h"
"$A" header "$agreement" -o "$W/ph_de.h"
# shellcheck disable=SC2086
${CC:-cc} -std=c11 -Wall -Wextra -Werror ${ACCORD_TEST_CFLAGS:-} -I"$W" -o "$W/host" "$here/host.c" "$W/ph_de.o" $flags
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cd "$W"
./host
./host --load ./ph_de.so "$here/posted.json"
