# Synthetic agreements for the checker benchmark (bench/checker.sh):
#   awk -v n=RULES -v seed=S [-v variant=1] -f bench/synth_rules.awk > FILE.accord
# n rules over five questions; each condition is a box over the residence,
# the role, statelessness and the date (and the branch argument), so the
# agreement is in the box fragment of SPEC §13.3; about one rule in six
# overlaps another with a different answer (planted conflicts).  variant=1
# changes about a tenth of the rules (dates and answers): the other version
# for `accord diff`.
BEGIN {
    srand(seed + 0)
    split("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK NO IS LI CH GB", P, " ")
    np = 32
    split("insured_person family_member survivor", R, " ")
    split("old_age invalidity survivors sickness maternity employment_injury", B, " ")
    printf "agreement synth_%d {\n  title \"Synthetic agreement, %d rules\";\n  parties", n, n
    for (i = 1; i <= np; i++) printf "%s %s", (i > 1 ? "," : ""), P[i]
    printf ";\n  signed 2000-01-01;\n  in force 2001-01-01;\n}\n"
    printf "article 1 \"Rules\" {\n"
    for (k = 0; k < n; k++) {
        q = k % 5
        c = P[int(k / 5) % np + 1]
        r = R[int(k / (5 * np)) % 3 + 1]
        y = 2001 + int(rand() * 20)
        change = variant && rand() < 0.1
        if (change) y = y + 1
        v = (rand() < 0.5)
        if (change) v = !v
        overlap = rand() < 0.17
        cond = sprintf("person.residence == %s and person.role == %s and date >= %d-01-01", c, r, y)
        if (overlap) cond = sprintf("person.residence == %s and person.stateless", c)
        if (q == 0) printf "  rule r%d: exportable(b) = %s when b == %s and %s;\n", k, (v ? "true" : "false"), B[k % 6 + 1], cond
        else if (q == 1) printf "  rule r%d: refund(s) = %s when s == %s and %s;\n", k, (v ? "true" : "false"), c, cond
        else if (q == 2) printf "  rule r%d: covered(b) = %s when b == %s and %s;\n", k, (v ? "true" : "false"), B[k % 6 + 1], cond
        else if (q == 3) printf "  rule r%d: equal_treatment = %s when %s;\n", k, (v ? "true" : "false"), cond
        else printf "  rule r%d: applicable_legislation = %s when %s;\n", k, c, cond
    }
    printf "}\n"
}
