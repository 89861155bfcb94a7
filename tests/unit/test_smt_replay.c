/* The Z3 encoder's reach into what made models fail to replay (smt.h, SPEC
 * §13.3), from the repository root: the calendar functions (period_months,
 * months_between, years_between, days_between, and the prelude's
 * posting_months built on them) are encoded exactly when asked for
 * (smt_calendar), so that Z3's answer on two fixed dates is the runtime's,
 * both ways: the atom with the runtime's truth is satisfiable, the other
 * proved empty. */
#include "accord_rt.h"
#include "interp.h"
#include "smt.h"
#include "smt_fixture.h"
#include <stdlib.h>

static void setup(void) { load("tests/smt/calendar.accord"); }
TestSuite(smt_calendar, .init = setup, .fini = teardown);

static int field(const IrRecord *r, const char *name) {
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name)) return i;
    cr_assert_fail("no field %s", name);
    return -1;
}

/* the determination date and the birth date, each one value */
static int paths[3];
static void dates(SmtFact *f, acc_date birth, acc_date on) {
    const IrRecord *cr = lib.voc->case_rec;
    paths[0] = field(cr, "date");
    paths[1] = field(cr, "person");
    paths[2] = field(cr->fields[paths[1]].type->rec, "birth_date");
    memset(f, 0, 2 * sizeof *f);
    f[0] = (SmtFact){.kind = SMT_FIELD, .type = cr->fields[paths[0]].type, .path = paths, .npath = 1, .lo = on, .hi = on};
    f[1] = (SmtFact){.kind = SMT_FIELD,
                     .type = cr->fields[paths[1]].type->rec->fields[paths[2]].type,
                     .path = paths + 1,
                     .npath = 2,
                     .lo = birth,
                     .hi = birth};
}

static SmtFact atom(const char *label, bool truth) {
    return (SmtFact){.kind = SMT_ATOM, .expr = rule(label)->cond, .ag = ag, .q = q, .truth = truth};
}

/* Z3 on the atom, both ways, against the runtime's truth: inside the
 * encoding's window (smt.c civil_of) exact; outside it never a wrong proof */
static bool in_window(acc_date d) { return d >= acc_date_from_ymd(1900, 3, 1) && d <= acc_date_from_ymd(2100, 2, 28); }
static void both_ways(Smt *s, const char *label, acc_date birth, acc_date on, bool truth) {
    SmtFact f[3];
    dates(f, birth, on);
    f[2] = atom(label, truth);
    if (!in_window(birth) || !in_window(on)) {
        cr_expect_neq(smt_solve(s, f, 3, q), SMT_EMPTY, "%s %d..%d is %d", label, birth, on, truth);
        return;
    }
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_SAT, "%s %d..%d is %d: %s", label, birth, on, truth, smt_why(s));
    f[2] = atom(label, !truth);
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_EMPTY, "%s %d..%d is not %d: %s", label, birth, on, !truth, smt_why(s));
}

Test(smt_calendar, the_calendar_functions_are_exact) {
    /* month ends, leap days, century years, the window's ends, one date outside */
    static const int ymd[][3] = {{2020, 1, 31}, {2020, 2, 29}, {2021, 2, 28}, {2019, 12, 31}, {1900, 3, 1},
                                 {2000, 2, 29}, {2024, 8, 31}, {2097, 12, 31}};
    /* each function at the months where its answer turns */
    static const struct {
        const char *rule;
        int months;
    } at[] = {{"period_1", 0}, {"days_30", 1}, {"between_12", 12}, {"period_24", 23}, {"period_24", 24}, {"years_65", 780}};
    Smt *s = smt_new(lib.voc, 2000000, 100000);
    /* off, they are left out: never a proof either way */
    SmtFact g[3];
    dates(g, acc_date_from_ymd(2020, 1, 1), acc_date_from_ymd(2020, 6, 1));
    g[2] = atom("period_24", false);
    cr_expect_eq(smt_solve(s, g, 3, q), SMT_SAT);
    cr_expect(smt_calendared(s));
    smt_calendar(s, true);
    int asked = 0;
    for (size_t i = 0; i < sizeof ymd / sizeof *ymd; i++) {
        acc_date x = acc_date_from_ymd(ymd[i][0], ymd[i][1], ymd[i][2]);
        for (size_t j = 0; j < sizeof at / sizeof *at; j++)
            for (int delta = -1; delta <= 0; delta++) { /* the day before the answer turns, and that day */
                acc_date y;
                if (!acc_date_add_months(x, at[j].months, &y)) continue;
                y += delta;
                if (y > acc_date_max() || y < acc_date_min()) continue;
                int64_t pm = acc_period_months(x, y), mb = acc_months_between(x, y);
                const char *r = at[j].rule;
                bool truth = !strcmp(r, "period_1")     ? pm >= 1
                             : !strcmp(r, "days_30")    ? (int64_t)y - x < 30
                             : !strcmp(r, "between_12") ? mb >= 12
                             : !strcmp(r, "period_24")  ? pm <= 24
                                                        : mb / 12 >= 65;
                both_ways(s, r, x, y, truth);
                asked++;
            }
    }
    cr_expect_gt(asked, 80);
    /* outside the window: weaker, never a wrong proof (either way) */
    both_ways(s, "period_24", acc_date_from_ymd(1, 1, 1), acc_date_from_ymd(2, 1, 1), true);
    both_ways(s, "period_24", acc_date_from_ymd(2099, 1, 1), acc_date_from_ymd(2103, 1, 1), false);
    /* one value, where the four-year cycle's figures past 2100-02-28 are not
       the calendar's (8 months; the cycle gave 7 or 50: a wrong proof) */
    both_ways(s, "period_8", acc_date_from_ymd(2100, 1, 17), acc_date_from_ymd(2100, 8, 17), true);
    both_ways(s, "period_8", acc_date_from_ymd(1899, 1, 17), acc_date_from_ymd(1899, 9, 17), false);
    smt_free(s);
}

/* An unsatisfiable query outside the fragment where the bound is a proof:
 * its conjuncts inside the fragment are asked alone (smt.c solve_inside),
 * and refute it when they are empty; never when the contradiction needs
 * the conjunct outside. */
Test(smt_calendar, the_conjuncts_inside_the_fragment_refute_the_query) {
    Smt *s = smt_new(lib.voc, 2000000, 100);
    SmtFact f[4];
    dates(f, acc_date_from_ymd(1980, 1, 1), acc_date_from_ymd(2022, 1, 1));
    f[1] = atom("two_around", true);
    f[2] = atom("at_sea", true);
    f[3] = atom("never_sea", true);
    cr_expect_eq(smt_solve(s, f, 4, q), SMT_EMPTY, "%s", smt_why(s));
    /* without the parts asked alone (the checker's default, no --thorough): no proof */
    smt_thorough(s, false);
    cr_expect_eq(smt_solve(s, f, 4, q), SMT_UNKNOWN, "%s", smt_why(s));
    smt_thorough(s, true);
    /* the atom outside alone: unsatisfiable, and no proof */
    f[2] = atom("two_around", false);
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_UNKNOWN);
    cr_expect(strstr(smt_why(s), "outside the fragment where that bound is a proof"), "%s", smt_why(s));
    /* satisfiable stays satisfiable */
    f[2] = atom("at_sea", true);
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_SAT, "%s", smt_why(s));
    smt_free(s);
}

/* SMT_ALONE (a refinement) states that each sibling's subtree answers
 * nothing or the rule's value: an exception of the sibling answering
 * another value where the sibling's own condition is false is excluded too
 * (the EU's exceptions to Art. 11(3)(a) gave models that did not replay
 * round after round). */
Test(smt_alone, an_exception_of_a_sibling_answering_another_value) {
    const char *path = "tests/smt/alone.accord";
    Compilation c;
    Loaded l;
    cx_init(&c);
    DriverOptions opt = {0};
    cr_assert(drv_load(&c, &path, 1, &opt, &l) && diag_error_count(&c) == 0, "%s loads", path);
    const IrAgreement *a = l.agreements.items[0];
    const IrQuestion *al = ir_question(a, "applicable_legislation");
    const IrRule *fr = rule_of(al, "lex_fr"), *posted = rule_of(al, "posted_sn");
    Smt *s = smt_new(l.voc, 2000000, 100);
    SmtFact f[2] = {{.kind = SMT_DECIDES, .rule = fr, .ag = a}, {.kind = SMT_ATOM, .expr = posted->cond, .ag = a, .q = al, .truth = true}};
    cr_assert_eq(smt_solve(s, f, 2, al), SMT_SAT, "%s", smt_why(s));
    SmtFact g = {.kind = SMT_ALONE, .rule = fr, .ag = a};
    cr_expect_neq(smt_refine(s, &g, 1), SMT_SAT, "posted_sn answers SN for lex_sn: lex_fr does not decide alone");
    smt_free(s);
    cx_free(&c);
}

/* The query budget is per unit of work (smt_fresh begins one): a unit's
 * answers do not depend on how many queries the units before it asked in
 * the same worker (SPEC §13.3, "Two workers": which worker takes a unit
 * follows timing).  Fails when the budget counts the run's queries. */
Test(smt_calendar, the_query_budget_is_per_unit) {
    SmtFact f[3];
    dates(f, acc_date_from_ymd(2020, 1, 1), acc_date_from_ymd(2020, 6, 1));
    f[2] = atom("period_24", false);
    Smt *s = smt_new(lib.voc, 2000000, 2);
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_SAT);
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_SAT);
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_UNKNOWN);
    cr_expect(strstr(smt_why(s), "budget"), "%s", smt_why(s));
    smt_fresh(s);
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_SAT, "%s", smt_why(s));
    cr_expect_eq(smt_stats(s).queries, 3);
    smt_free(s);
}
