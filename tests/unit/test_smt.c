/* The Z3 encoder of the checker (smt.h, SPEC §13.3), from the repository root:
 * the conditions of tests/smt/atoms.accord asked together as the checker
 * asks a candidate region's atoms: a satisfiable combination gives a model
 * that, decoded as a case, makes the interpreter agree on every atom; an
 * unsatisfiable one inside the fragment is proved empty; a condition outside
 * the fragment (amounts of money) is left out, so that its region is never
 * called empty on its account. */
#include "interp.h"
#include "smt.h"
#include "smt_fixture.h"
#include <stdlib.h>

static void setup(void) { load("tests/smt/atoms.accord"); }

static SmtFact atom(const char *label, bool truth) {
    SmtFact f;
    memset(&f, 0, sizeof f);
    f.kind = SMT_ATOM;
    f.expr = rule(label)->cond;
    f.ag = ag;
    f.q = q;
    f.truth = truth;
    return f;
}

/* the case decoded from the model: every atom evaluates as required */
static void replay(Smt *s, const SmtFact *f, int n) {
    Arena A = {0};
    Value k, args[8];
    memset(args, 0, sizeof args);
    cr_assert(smt_case(s, NULL, &A, &k, args));
    Interp *in = interp_new(ag);
    for (int i = 0; i < n; i++) {
        /* the rule answers iff its condition (the atom) holds on the case's date */
        const IrRule *r = NULL;
        for (size_t j = 0; j < q->rules.len; j++)
            if (((const IrRule *)q->rules.items[j])->cond == f[i].expr) r = q->rules.items[j];
        cr_assert(r);
        Trace t = {0};
        interp_set_trace(in, &t);
        interp_ask(in, &k, q, args);
        interp_set_trace(in, NULL);
        bool decided = false;
        for (size_t e = 0; e < t.n; e++)
            if (t.ev[e].rule == r && t.ev[e].kind == TR_DECIDED) decided = true;
        trace_free(&t);
        cr_expect_eq(decided, f[i].truth, "rule %s: its condition is %s on the model's case", r->label,
                     f[i].truth ? "true" : "false");
    }
    interp_free(in);
    arena_free_all(&A);
}

/* a date in force, so that the interpreter evaluates the rules */
static SmtFact in_force(void) {
    SmtFact f;
    memset(&f, 0, sizeof f);
    f.kind = SMT_FIELD;
    static const int path[1] = {0};
    f.path = path;
    f.npath = 1;
    f.type = lib.voc->case_rec->fields[0].type;
    f.lo = ag->in_force;
    f.hi = ag->in_force + 3650;
    return f;
}

TestSuite(smt, .init = setup, .fini = teardown);

Test(smt, satisfiable_atoms_give_a_case_that_replays) {
    cr_assert_str_eq(lib.voc->case_rec->fields[0].name, "date");
    SmtFact f[4] = {in_force(), atom("at_sea", true), atom("in_air", true), atom("national", true)};
    Smt *s = smt_new(lib.voc, 50000000, 100);
    cr_assert_eq(smt_solve(s, f, 4, q), SMT_SAT, "%s", smt_why(s));
    replay(s, f + 1, 3);
    SmtFact g[3] = {in_force(), atom("two_states", true), atom("never_sea", false)};
    cr_assert_eq(smt_solve(s, g, 3, q), SMT_SAT, "%s", smt_why(s));
    replay(s, g + 1, 2);
    smt_free(s);
}

Test(smt, contradictory_atoms_are_proved_empty) {
    /* exists a sea activity in a party, yet no activity at sea */
    SmtFact f[3] = {in_force(), atom("at_sea", true), atom("never_sea", true)};
    Smt *s = smt_new(lib.voc, 50000000, 100);
    cr_assert_eq(smt_solve(s, f, 3, q), SMT_EMPTY, "%s", smt_why(s));
    /* a national of a party with no nationality of a party: the set quantifier is exact */
    SmtFact g[3] = {in_force(), atom("national", true), atom("national", false)};
    cr_assert_eq(smt_solve(s, g, 3, q), SMT_EMPTY, "%s", smt_why(s));
    SmtStats st = smt_stats(s);
    cr_expect_eq(st.empty, 2);
    smt_free(s);
}

Test(smt, outside_the_fragment_is_never_empty) {
    /* amounts of money are outside: with the contradiction only there, no proof */
    SmtFact f[3] = {in_force(), atom("high_amount", true), atom("high_amount", false)};
    Smt *s = smt_new(lib.voc, 50000000, 100);
    cr_expect_neq(smt_solve(s, f, 3, q), SMT_EMPTY);
    /* a size at least 9 keeps 9 elements, more than the bound is claimed
       for (8): unsatisfiable yet not a proof */
    SmtFact g[3] = {in_force(), atom("nine_states", true), atom("nine_states", false)};
    cr_expect_eq(smt_solve(s, g, 3, q), SMT_UNKNOWN);
    smt_free(s);
}

Test(smt, budget_spent_gives_unknown) {
    SmtFact f[2] = {in_force(), atom("at_sea", true)};
    Smt *s = smt_new(lib.voc, 50000000, 0);
    cr_assert_eq(smt_solve(s, f, 2, q), SMT_UNKNOWN);
    cr_expect(strstr(smt_why(s), "budget"));
    smt_free(s);
}

Test(smt, the_resource_limit_is_deterministic) {
    /* Z3's rlimit counts work, not time: a limit too small to finish gives
       UNKNOWN on every run, whatever the load of the machine */
    SmtFact f[4] = {in_force(), atom("at_sea", true), atom("in_air", true), atom("national", true)};
    for (int run = 0; run < 3; run++) {
        Smt *s = smt_new(lib.voc, 1, 100);
        cr_expect_eq(smt_solve(s, f, 4, q), SMT_UNKNOWN);
        cr_expect(strstr(smt_why(s), "resource limit"), "%s", smt_why(s));
        smt_free(s);
    }
}

Test(smt, counts_compared_with_a_constant_keep_the_proof) {
    /* size(set(...)) >= 2 and count(...) == 1 need k + 1 elements (SPEC §13.3) */
    Smt *s = smt_new(lib.voc, 50000000, 100);
    SmtFact f[3] = {in_force(), atom("two_states", true), atom("two_states", false)};
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_EMPTY, "%s", smt_why(s));
    /* exactly one sea activity, yet none: empty; exactly one and at least one: a case */
    SmtFact g[3] = {in_force(), atom("one_sea", true), atom("never_sea", true)};
    cr_expect_eq(smt_solve(s, g, 3, q), SMT_EMPTY, "%s", smt_why(s));
    SmtFact h[4] = {in_force(), atom("one_sea", true), atom("at_sea", true), atom("two_states", true)};
    cr_assert_eq(smt_solve(s, h, 4, q), SMT_SAT, "%s", smt_why(s));
    replay(s, h + 1, 3);
    /* two states, a sea activity in a party, and not exactly one sea activity:
       needs 2 + 1 + 2 slots; it exists (two sea activities) */
    SmtFact k[4] = {in_force(), atom("two_states", true), atom("at_sea", true), atom("one_sea", false)};
    cr_assert_eq(smt_solve(s, k, 4, q), SMT_SAT, "%s", smt_why(s));
    replay(s, k + 1, 3);
    smt_free(s);
}

Test(smt, a_repeated_occurrence_counts_once) {
    /* the same exists asked seven times needs one element, not seven (more
       than the bound is claimed for): the contradiction is still a proof */
    SmtFact f[9] = {in_force()};
    for (int i = 1; i < 8; i++) f[i] = atom("at_sea", true);
    f[8] = atom("never_sea", true);
    Smt *s = smt_new(lib.voc, 50000000, 100);
    cr_expect_eq(smt_solve(s, f, 9, q), SMT_EMPTY, "%s", smt_why(s));
    smt_free(s);
}

static SmtFact outcome(SmtFactKind kind, const char *a, const char *b) {
    SmtFact f;
    memset(&f, 0, sizeof f);
    f.kind = kind;
    f.ag = f.ag2 = ag;
    f.rule = a ? rule(a) : NULL;
    f.rule2 = b ? rule(b) : NULL;
    f.truth = true;
    return f;
}

Test(smt, the_outcome_of_a_candidate) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    /* two rules that both answer true never give different values */
    SmtFact f[5] = {in_force(), outcome(SMT_DECIDES, "at_sea", NULL), outcome(SMT_DECIDES, "in_air", NULL),
                    outcome(SMT_DIFFER, "at_sea", "in_air"), outcome(SMT_SCOPE, NULL, NULL)};
    cr_expect_eq(smt_solve(s, f, 5, q), SMT_EMPTY, "%s", smt_why(s));
    /* without the values: both rules decide on one case, which replays */
    cr_assert_eq(smt_solve(s, f, 3, q), SMT_SAT, "%s", smt_why(s));
    SmtFact g[2] = {atom("at_sea", true), atom("in_air", true)};
    replay(s, g, 2);
    /* a rule applies and does not: empty */
    SmtFact h[3] = {in_force(), outcome(SMT_RULE, "at_sea", NULL), outcome(SMT_RULE, "at_sea", NULL)};
    h[2].truth = false;
    cr_expect_eq(smt_solve(s, h, 3, q), SMT_EMPTY, "%s", smt_why(s));
    smt_free(s);
}

/* the decoded case's nationalities: every member one the query reads (a
 * party, or the state of an activity), never the model's arbitrary rest */
static Value nationalities(Smt *s, Arena *A) {
    Value k, args[8];
    memset(args, 0, sizeof args);
    cr_assert(smt_case(s, NULL, A, &k, args));
    const IrRecord *cr = lib.voc->case_rec;
    for (int i = 0; i < cr->nfields; i++)
        if (!strcmp(cr->fields[i].name, "person")) {
            const Value *p = &k.agg.items[i];
            const IrRecord *pr = cr->fields[i].type->rec;
            for (int j = 0; j < pr->nfields; j++)
                if (!strcmp(pr->fields[j].name, "nationalities")) return p->agg.items[j];
        }
    cr_assert_fail("no person.nationalities");
    return k;
}

Test(smt, a_set_of_the_case_decodes_to_the_members_read) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    Arena A = {0};
    SmtFact f[2] = {in_force(), atom("national", true)};
    cr_assert_eq(smt_solve(s, f, 2, q), SMT_SAT, "%s", smt_why(s));
    replay(s, f + 1, 1);
    Value n = nationalities(s, &A);
    int members = 0;
    for (int o = 1; o < 256; o++)
        if (set_has(&n, o)) {
            members++;
            cr_expect(set_has(&ag->parties, o), "nationality %d is not a party: the query reads no other", o);
        }
    cr_expect(members >= 1 && members <= 2);
    /* a member compared with a state of the case (one term, not one per country) */
    SmtFact g[3] = {in_force(), atom("works_where_national", true), atom("national", false)};
    cr_assert_eq(smt_solve(s, g, 3, q), SMT_SAT, "%s", smt_why(s));
    replay(s, g + 1, 2);
    n = nationalities(s, &A);
    members = 0;
    for (int o = 1; o < 256; o++) members += set_has(&n, o);
    /* read: the states of the activities (2 slots) and the two parties */
    cr_expect(members >= 1 && members <= 4, "%d nationalities: the query reads at most 4", members);
    /* and none: empty, a proof */
    SmtFact h[3] = {in_force(), atom("works_where_national", true), atom("works_where_national", false)};
    cr_expect_eq(smt_solve(s, h, 3, q), SMT_EMPTY, "%s", smt_why(s));
    arena_free_all(&A);
    smt_free(s);
}

/* the interpreter's outcome on the model's case (its kind, and a boolean value) */
static Outcome model_outcome(Smt *s) {
    Arena A = {0};
    Value k, args[8];
    memset(args, 0, sizeof args);
    cr_assert(smt_case(s, NULL, &A, &k, args));
    Interp *in = interp_new(ag);
    Outcome o = interp_ask(in, &k, q, args);
    Outcome r = {.kind = o.kind};
    if (o.kind == OUT_DECIDED && o.value.kind == TY_BOOL) r.value = o.value;
    interp_free(in);
    arena_free_all(&A);
    return r;
}

Test(smt, a_model_is_refined_with_more_facts) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    /* at_sea decides; with resident_sn applying too the answer is a conflict */
    SmtFact f[3] = {in_force(), outcome(SMT_DECIDES, "at_sea", NULL), atom("resident_sn", true)};
    cr_assert_eq(smt_solve(s, f, 3, q), SMT_SAT, "%s", smt_why(s));
    SmtFact alone = outcome(SMT_ALONE, "at_sea", NULL);
    cr_expect_eq(smt_refine(s, &alone, 1), SMT_UNKNOWN, "a sibling of the same priority answers false: never alone");
    /* without it: the refined model's case is decided by at_sea, not a conflict */
    cr_assert_eq(smt_solve(s, f, 2, q), SMT_SAT, "%s", smt_why(s));
    cr_assert_eq(smt_refine(s, &alone, 1), SMT_SAT, "%s", smt_why(s));
    Outcome o = model_outcome(s);
    cr_expect_eq(o.kind, OUT_DECIDED);
    cr_expect(o.kind == OUT_DECIDED && o.value.b);
    /* a refinement is never a proof, and is counted */
    SmtStats st = smt_stats(s);
    cr_expect_eq(st.refined, 2);
    cr_expect_eq(st.empty, 0);
    smt_free(s);
}

/* a refinement that reads a set of the case the query did not: the refined
 * model's case has the members it observes (the walk for them goes on from
 * where the first model's stopped), and again after a second refinement */
Test(smt, a_refined_model_decodes_the_sets_the_refinement_reads) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    SmtFact f[2] = {in_force(), atom("at_sea", true)};
    cr_assert_eq(smt_solve(s, f, 2, q), SMT_SAT, "%s", smt_why(s));
    SmtFact g[2] = {atom("at_sea", true), atom("works_where_national", true)};
    cr_assert_eq(smt_refine(s, g + 1, 1), SMT_SAT, "%s", smt_why(s));
    replay(s, g, 2);
    SmtFact h[3] = {atom("at_sea", true), atom("works_where_national", true), atom("national", true)};
    cr_assert_eq(smt_refine(s, h + 2, 1), SMT_SAT, "%s", smt_why(s));
    replay(s, h, 3);
    smt_free(s);
}

/* ---- the bound beyond exists and forall (tests/smt/bound.accord, SPEC §13.3) ----------- */

static void setup_bound(void) { load("tests/smt/bound.accord"); }
TestSuite(smt_bound, .init = setup_bound, .fini = teardown);

/* two atoms that hold together only on a case of three activities: the
 * bound must count three occurrences (with two slots Z3 would answer
 * "empty", a wrong proof); the model replays */
static void three_needed(const char *a, const char *b) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    SmtFact f[3] = {in_force(), atom(a, true), atom(b, true)};
    cr_assert_eq(smt_solve(s, f, 3, q), SMT_SAT, "%s and %s: %s", a, b, smt_why(s));
    replay(s, f + 1, 2);
    smt_free(s);
}

Test(smt_bound, a_closed_comprehension_inside_another_is_an_occurrence) { three_needed("nested", "civil"); }
Test(smt_bound, first_keeps_its_element) { three_needed("first_fr", "two_kinds"); }
Test(smt_bound, a_membership_of_a_set_made_from_a_list_is_an_exists) { three_needed("works_in_fr", "two_kinds"); }

Test(smt_bound, the_size_of_a_union_of_sets_made_from_lists) {
    /* three distinct states of old-age periods, no employed activity: three
       periods, more than the two slots the bound would give it uncounted */
    three_needed("three_places", "no_employed");
}

Test(smt_bound, a_comprehension_reading_the_element_around_it_is_no_proof) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    SmtFact f[3] = {in_force(), atom("open", true), atom("open", false)};
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_UNKNOWN, "%s", smt_why(s));
    smt_free(s);
}

Test(smt_bound, a_set_named_again_inside_another_part_is_not_the_consumers) {
    /* two slots hold no case (three activities needed): unsatisfiable, but
       not a proof -- the set compared inside the second part's condition is
       not the membership's occurrence (it was counted as one: "empty") */
    Smt *s = smt_new(lib.voc, 50000000, 100);
    SmtFact f[3] = {in_force(), atom("mixed", true), atom("no_employed_de", true)};
    cr_expect_neq(smt_solve(s, f, 3, q), SMT_EMPTY, "%s", smt_why(s));
    /* a count of that set compared with 1 keeps two elements: the set
       compared in its condition is not the counted occurrence */
    SmtFact g[2] = {in_force(), atom("count_mixed", true)};
    cr_expect_neq(smt_solve(s, g, 2, q), SMT_EMPTY, "%s", smt_why(s));
    smt_free(s);
}

Test(smt_bound, a_sum_is_a_proof_only_where_a_sub_list_keeps_it) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    /* employed shares summing below 25 %, one of them 30 %: empty, a proof */
    SmtFact f[3] = {in_force(), atom("small_share", true), atom("big_employed", true)};
    cr_expect_eq(smt_solve(s, f, 3, q), SMT_EMPTY, "%s", smt_why(s));
    /* at least 150 % takes two employed activities, with a self-employed and
       a civil servant four: never "empty" with fewer slots */
    SmtFact g[3] = {in_force(), atom("over_full", true), atom("two_kinds", true)};
    cr_expect_neq(smt_solve(s, g, 3, q), SMT_EMPTY, "%s", smt_why(s));
    smt_free(s);
}

Test(smt_bound, an_exception_that_does_not_apply_keeps_its_witness) {
    /* sea and air decide (the forall exception does not apply: an activity
       neither at sea nor in the air) and differ: three activities */
    Smt *s = smt_new(lib.voc, 50000000, 100);
    SmtFact f[5] = {in_force(), outcome(SMT_DECIDES, "sea", NULL), outcome(SMT_DECIDES, "air", NULL),
                    outcome(SMT_DIFFER, "sea", "air"), outcome(SMT_SCOPE, NULL, NULL)};
    cr_assert_eq(smt_solve(s, f, 5, q), SMT_SAT, "%s", smt_why(s));
    cr_expect_eq(model_outcome(s).kind, OUT_CONFLICT, "the model's case is the conflict of sea and air");
    smt_free(s);
}

Test(smt_bound, boxes_asked_as_one_disjunction) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    SmtFact box = {.kind = SMT_BOX};
    /* an empty box and one with a case: a case, from the second */
    SmtFact f[6] = {in_force(), box, atom("small_share", true), atom("big_employed", true), box, atom("civil", true)};
    cr_assert_eq(smt_solve(s, f, 6, q), SMT_SAT, "%s", smt_why(s));
    replay(s, f + 5, 1);
    /* both empty: a proof */
    SmtFact g[7] = {in_force(), box, atom("small_share", true), atom("big_employed", true), box, atom("civil", true), atom("civil", false)};
    cr_expect_eq(smt_solve(s, g, 7, q), SMT_EMPTY, "%s", smt_why(s));
    smt_free(s);
}

/* ---- a free sum, counts by direction, open comprehensions (SPEC §13.3, 2026-11-23) ------ */

/* the atoms with the truth given (and a date in force), asked of s into f */
static SmtAnswer ask(Smt *s, SmtFact *f, const char *const *labels, const bool *truth, int n) {
    f[0] = in_force();
    for (int i = 0; i < n; i++) f[i + 1] = atom(labels[i], truth[i]);
    return smt_solve(s, f, n + 1, q);
}
static SmtAnswer answer(const char *const *labels, const bool *truth, int n) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    SmtFact f[8];
    SmtAnswer r = ask(s, f, labels, truth, n);
    smt_free(s);
    return r;
}
/* they hold together on a case (SAT) that replays: the case needs as many
 * list elements as the bound counts, so that a bound one slot short
 * answers "empty", a wrong proof */
static void holds_on(const char *const *labels, const bool *truth, int n) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    SmtFact f[8];
    cr_assert_eq(ask(s, f, labels, truth, n), SMT_SAT, "%s ...: %s", labels[0], smt_why(s));
    replay(s, f + 1, n);
    smt_free(s);
}

Test(smt_bound, a_sum_at_least_a_constant_is_a_free_quantity) {
    /* at least 25 % of employed shares and no employed activity: empty, a proof
       (the quantity is positive only with an employed activity) */
    cr_expect_eq(answer((const char *[]){"substantial", "no_employed"}, (bool[]){true, true}, 2), SMT_EMPTY);
    /* that employed activity is a witness: with a self-employed and a civil
       servant, three activities (uncounted, two slots: "empty") */
    holds_on((const char *[]){"substantial", "two_kinds"}, (bool[]){true, true}, 2);
    /* 250 % takes three employed activities, more than the bound keeps: the
       quantity is free above the kept elements' sum, never "empty" */
    cr_expect_neq(answer((const char *[]){"over_two_and_half"}, (bool[]){true}, 1), SMT_EMPTY);
}

Test(smt_bound, a_count_keeps_the_elements_of_its_direction) {
    /* count >= 2 true: two employed, with two_kinds four activities */
    holds_on((const char *[]){"two_employed", "two_kinds"}, (bool[]){true, true}, 2);
    /* count <= 1 false: two employed too */
    holds_on((const char *[]){"one_employed_at_most", "two_kinds"}, (bool[]){false, true}, 2);
}

Test(smt_bound, an_open_comprehension_keeps_a_witness_per_element_around_it) {
    /* two old-age periods in two states, each with an employed activity in
       its state, and a self-employed and a civil servant: four activities */
    holds_on((const char *[]){"worked_where_insured", "two_insured_states", "two_kinds"}, (bool[]){true, true, true}, 3);
}

Test(smt_bound, an_open_comprehension_over_the_same_list_with_its_witnesses_apart) {
    /* two employed states, each a civil-service state (civil servants are
       never employed: apart), and a self-employed: five activities */
    holds_on((const char *[]){"employed_outside_service", "two_employed_states", "two_kinds"}, (bool[]){false, true, true}, 3);
    /* no civil servant: no employed activity, a proof */
    cr_expect_eq(answer((const char *[]){"employed_outside_service", "no_civil_servant", "two_employed"}, (bool[]){false, true, true}, 3),
                 SMT_EMPTY);
    /* witnesses (sea activities) that may be employed activities read around
       them, which need witnesses of their own: never "empty" */
    cr_expect_neq(answer((const char *[]){"employed_off_sea", "no_sea", "two_employed"}, (bool[]){false, true, true}, 3), SMT_EMPTY);
}

Test(smt_bound, an_open_membership_in_a_free_set_keeps_no_witness) {
    /* every employed state a civil-service state, four employed, a
       self-employed and a civil servant: six activities (two slots: none; a
       witness per employed activity: more than 8 slots; the free set's
       bound: 6, which holds the case, so never "empty": with 5 it would be) */
    cr_expect_neq(answer((const char *[]){"employed_outside_service", "four_employed", "two_kinds"}, (bool[]){false, true, true}, 3),
                  SMT_EMPTY);
    /* five employed and at most one: empty, a proof with the free set's 5
       slots (10 with a witness per employed activity) */
    cr_expect_eq(answer((const char *[]){"employed_outside_service", "five_employed", "one_employed_at_most"}, (bool[]){false, true, true}, 3),
                 SMT_EMPTY);
}

Test(smt_bound, a_conjunction_that_does_not_hold_keeps_its_costliest_conjuncts_witnesses) {
    /* not (no sea and at most one employed), no sea, a self-employed and a
       civil servant: two employed activities, four in all (the bound: 2 for
       the choice, its costlier conjunct, 2 for two_kinds; 3 slots would
       answer "empty") */
    holds_on((const char *[]){"neither_sea_nor_two_employed", "no_sea", "two_kinds"}, (bool[]){false, true, true}, 3);
}

Test(smt_bound, counts_of_one_set_with_different_conditions_are_different_occurrences) {
    /* employed in FR, DE and SN: three activities (one occurrence for the
       three counts, 1 element: two slots, "empty") */
    holds_on((const char *[]){"employed_in_fr", "employed_in_de", "employed_in_sn"}, (bool[]){true, true, true}, 3);
}

Test(smt_bound, occurrences_of_one_condition_share_their_witnesses) {
    /* at least two employed, the first in FR, two employed states, and a
       self-employed and a civil servant: four activities (the employed ones
       shared: 2, not 2 + 1 + 2; one short, 3 slots, would answer "empty") */
    holds_on((const char *[]){"two_employed", "first_fr", "two_employed_states", "two_kinds"}, (bool[]){true, true, true, true}, 4);
}

Test(smt_bound, a_closed_comprehension_met_again_counts_what_each_meeting_needs) {
    /* encoded once a query (SPEC §13.3): the exists met first at negative
       polarity (no witness) and then at positive (one), a self-employed, two
       employed and a civil servant: four activities (the first meeting's
       count given again: three slots, "empty") */
    holds_on((const char *[]){"maybe_self_employed", "self_employed_too", "civil"}, (bool[]){true, true, true}, 3);
    /* the count compared with 1 and then with 2: two employed, with
       two_kinds four activities (the first's one element: "empty") */
    holds_on((const char *[]){"one_employed", "two_employed_again", "two_kinds"}, (bool[]){true, true, true}, 3);
    /* inside a comprehension over periods and alone (depths 1 and 0): a case
       that replays, and the contradiction a proof.  The case (a period, a
       self-employed, a civil servant) fits the two slots the bound gives
       anyway, and the exists reads nothing around it, so its encoding is
       the same at either depth: this block checks the answers, not the
       depth in the memo's key (the_memo_key_keeps_the_level does) */
    holds_on((const char *[]){"period_with_self_employed", "self_employed_too", "civil"}, (bool[]){true, true, true}, 3);
    cr_expect_eq(answer((const char *[]){"period_with_self_employed", "self_employed_too"}, (bool[]){true, false}, 2), SMT_EMPTY);
}

/* ---- the memo's key (smt.c aggregate): each field a test fails without -------------- */

/* the answer with solve_inside off (smt_thorough false, the checker's
 * default), and its reason in why */
static SmtAnswer answer_plain(const char *const *labels, const bool *truth, int n, char *why, size_t nwhy) {
    Smt *s = smt_new(lib.voc, 50000000, 100);
    smt_thorough(s, false);
    SmtFact f[8];
    SmtAnswer r = ask(s, f, labels, truth, n);
    snprintf(why, nwhy, "%s", smt_why(s));
    smt_free(s);
    return r;
}

Test(smt_bound, the_memo_key_keeps_the_level) {
    /* emp_flag's inner exists reads the element around it; its witnesses
       (civil servants) are apart from that element (an employed activity).
       Met alone, at depth 0, it is an open occurrence, a proof: with no civil
       servant, "empty" */
    char why[256];
    SmtAnswer r = answer_plain((const char *[]){"emp_flag_alone", "no_civil_servant"}, (bool[]){true, true}, 2, why, sizeof why);
    cr_expect_eq(r, SMT_EMPTY, "%d: %s", (int)r, why);
    /* met alone and then inside the exists over periods (depth 1: the inner
       exists reads an element that is not the outermost's): encoded anew
       the second meeting is no proof, and so is the query.  A memo keyed
       without the depth gives the second meeting the first's open
       occurrence: "empty".  (That replay is the bound of the same closed
       expression at depth 0, which we believe sound here: what the test
       pins is that a meeting counts what encoding it anew does, SPEC §13.3,
       not a wrong proof.) */
    r = answer_plain((const char *[]){"emp_flag_alone", "period_emp_flag", "no_civil_servant"}, (bool[]){true, true, true}, 3, why,
                     sizeof why);
    cr_expect_eq(r, SMT_UNKNOWN, "%d: %s", (int)r, why);
    cr_expect(strstr(why, "two lists around it"), "%s", why);
}

Test(smt_bound, the_memo_key_keeps_the_sum_mark) {
    /* employed_share met first at most 300 % (a sub-list keeps that: no
       element kept, the slots' sum), then at least 250 % (a free quantity,
       one element kept): a case has three employed activities at 100 %.
       Encoded anew, the second meeting's quantity is free above the slots'
       sum: never "empty" (the model need not replay: the quantity may exceed
       the slots' sum, as over_two_and_half's).  Given the first meeting's
       encoding it reads the slots' sum, at most 200 % on the two slots the
       bound then counts: "empty", a wrong proof */
    char why[256];
    SmtAnswer r = answer_plain((const char *[]){"share_at_most_three", "share_over_two_and_half"}, (bool[]){true, true}, 2, why,
                               sizeof why);
    cr_expect_neq(r, SMT_EMPTY, "%s", why);
}

Test(smt_bound, the_memo_key_keeps_the_sets_use) {
    /* employed_states read first by a membership (its consumer counts the
       occurrence), then compared whole with three states (no consumer: no
       proof).  A case takes three employed activities (in FR, PL and SN);
       given the first meeting's encoding the comparison counts no
       occurrence and claims a proof: "empty" on two slots, a wrong proof */
    char why[256];
    SmtAnswer r = answer_plain((const char *[]){"employed_in_fr_again", "employed_in_three"}, (bool[]){true, true}, 2, why, sizeof why);
    cr_expect_neq(r, SMT_EMPTY, "%s", why);
}
