#!/bin/sh
# The conflict and gap checker's speed (SPEC §13): `accord conflicts` on each
# shipped agreement and on the whole library, `accord diff` for each pair of
# shipped agreements that share a party, and synthetic agreements of 100,
# 1,000 and 5,000 rules (bench/synth_rules.awk: conflicts on one version,
# diff against a version with a tenth of the rules changed).  Figures go to
# bench/README.md by hand, with the machine.  usage: sh bench/checker.sh
set -u
cd "$(dirname "$0")/.."
A=build/accord
tmp=${TMPDIR:-/tmp}/accord-bench-checker
mkdir -p "$tmp"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), $(gcc --version | head -1)"
now() { date +%s.%N; }
run() { # run LABEL COMMAND...: wall time, and the summary line of the JSON output
    label=$1
    shift
    t0=$(now)
    "$@" --format json > "$tmp/out.json" 2> /dev/null
    t1=$(now)
    summary=$(tr -d ' \n' < "$tmp/out.json" | sed 's/.*"summary"://; s/}}$/}/')
    awk -v l="$label" -v t0="$t0" -v t1="$t1" -v s="$summary" 'BEGIN { printf "%-44s %7.2f s  %s\n", l, t1 - t0, s }'
}
for f in agreements/*.accord; do
    run "conflicts $(basename "$f" .accord)" "$A" conflicts "$f"
done
run "conflicts agreements/ (whole library)" "$A" conflicts agreements
for p in "eu_883_2004 ph_de" "eu_883_2004 in_be" "eu_883_2004 ibero_american" "asean_model ph_de" \
         "ibero_american mercosur" "ilo_floors ph_de"; do
    set -- $p
    run "diff $1 $2" "$A" diff "agreements/$1.accord" "agreements/$2.accord"
done
for n in 100 1000 5000; do
    awk -v n="$n" -v seed=1 -f bench/synth_rules.awk > "$tmp/s$n.accord"
    awk -v n="$n" -v seed=1 -v variant=1 -f bench/synth_rules.awk > "$tmp/s${n}v.accord"
    run "conflicts synthetic $n rules" "$A" conflicts "$tmp/s$n.accord"
    run "diff synthetic $n rules (10% changed)" "$A" diff "$tmp/s$n.accord" "$tmp/s${n}v.accord"
done
