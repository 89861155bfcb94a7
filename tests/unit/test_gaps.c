/* `accord gaps` (gaps.h) on the shipped library, loaded from agreements/
 * (the tests run from the repository root):
 *   (a) corridors: the coverage API and the JSON agree; DE-PH by ph_de with the
 *       pension branches only, DE-FR by the EU Regulation, BE-PH by nothing;
 *       the ASEAN model's phased branches carry their dates; the ILO floors
 *       (a `standard;`) coordinate nothing; every witness was confirmed;
 *   (b) careers: the PH-DE-EU and IN-BE-EU careers are found, and each
 *       witness, replayed here through the reference interpreter, gives the
 *       answers the finding states; removing the periods of the state said to
 *       be "not counted" changes nothing, removing a counted one does;
 *   (c) personal scope: the EU Regulation leaves out third-state nationals,
 *       the GCC law a person without a current activity; each witness
 *       replayed is outside interp_in_personal_scope; ph_de leaves no one out;
 *   (d) --states restricts the states; the output is deterministic. */
#include "caseio.h"
#include "diag.h"
#include "driver.h"
#include "gaps.h"
#include "interp.h"
#include "iso.h"
#include <criterion/criterion.h>
#include <string.h>

static Compilation cx;
static Loaded lib;

static void setup(void) {
    cx_init(&cx);
    const char *paths[] = {"agreements"};
    DriverOptions opt = {0};
    cr_assert(drv_load(&cx, paths, 1, &opt, &lib), "agreements/ loads (run from the repository root)");
    cr_assert_eq(diag_error_count(&cx), 0);
}
static void teardown(void) { cx_free(&cx); }

TestSuite(gaps, .init = setup, .fini = teardown);

static const IrAgreement *agreement(const char *id) {
    for (size_t i = 0; i < lib.agreements.len; i++)
        if (!strcmp(((IrAgreement *)lib.agreements.items[i])->id, id)) return lib.agreements.items[i];
    cr_assert_fail("no agreement %s", id);
    return NULL;
}

static int pos(const Coverage *cov, const char *code) {
    int c = acc_country_lookup(code, 2);
    for (int i = 0; i < cov->nstates; i++)
        if (cov->states[i] == c) return i;
    return -1;
}

static json_t *corridor(json_t *g, const char *a, const char *b) {
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(g, "corridors"), i, c) {
        json_t *s = json_object_get(c, "states");
        if (!strcmp(json_string_value(json_array_get(s, 0)), a) && !strcmp(json_string_value(json_array_get(s, 1)), b))
            return c;
    }
    return NULL;
}

Test(gaps, corridors) {
    Coverage *cov = coverage_build(&lib, NULL);
    int de = pos(cov, "DE"), ph = pos(cov, "PH"), fr = pos(cov, "FR"), be = pos(cov, "BE");
    cr_assert(de >= 0 && ph >= 0 && fr >= 0 && be >= 0);
    const Corridor *c = coverage_corridor(cov, de, ph);
    cr_assert_eq(c->nlinks, 1);
    cr_assert_str_eq(c->links[0].ag->id, "ph_de");
    char buf[256];
    coverage_branches_text(cov, &c->links[0], buf, sizeof buf);
    cr_assert_str_eq(buf, "old_age, invalidity, survivors");
    cr_assert_eq(coverage_corridor(cov, ph, de), c, "the corridor is the same both ways");
    cr_assert_eq(coverage_corridor(cov, de, fr)->nlinks, 1);
    cr_assert_str_eq(coverage_corridor(cov, de, fr)->links[0].ag->id, "eu_883_2004");
    cr_assert_eq(coverage_corridor(cov, be, ph)->nlinks, 0);
    cr_assert_null(coverage_corridor(cov, de, de));
    /* no corridor is coordinated by a standard */
    for (int i = 0; i < cov->nstates; i++)
        for (int j = i + 1; j < cov->nstates; j++) {
            const Corridor *k = coverage_corridor(cov, i, j);
            for (int l = 0; l < k->nlinks; l++) cr_assert(!k->links[l].ag->is_standard);
        }
    /* the region groups: EU first (the largest), each state once */
    cr_assert_str_eq(cov->group_name[0], "eu_883_2004");
    cr_assert_eq(cov->group_of[de], 0);
    coverage_free(cov);

    json_t *g = gaps_json(&lib, NULL);
    json_t *dp = corridor(g, "DE", "PH"), *bp = corridor(g, "BE", "PH"), *ps = corridor(g, "PH", "SG");
    cr_assert(json_is_true(json_object_get(dp, "covered")));
    cr_assert(json_is_false(json_object_get(bp, "covered")));
    cr_assert(json_is_true(json_object_get(bp, "confirmed")), "eval says 'no agreement' for the BE-PH witness");
    json_t *link = json_array_get(json_object_get(ps, "agreements"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(link, "agreement")), "asean_model");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(link, "branches_from"), "sickness")), "2029-01-01");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(link, "branches_from"), "unemployment")), "2031-01-01");
    /* a corridor that ended: GB left the EU Regulation's parties on 2021-01-01 */
    json_t *dg = corridor(g, "DE", "GB");
    cr_assert(json_is_true(json_object_get(dg, "covered")));
    cr_assert_str_eq(json_string_value(json_object_get(dg, "ended")), "2021-01-01");
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(dg, "agreements"), 0), "until")), "2021-01-01");
    cr_assert_null(json_object_get(dp, "ended"), "DE-PH is coordinated without an end");
    json_t *sum = json_object_get(g, "summary");
    cr_assert_eq(json_integer_value(json_object_get(sum, "corridors_ended")), 31, "GB with each of the 31 other parties");
    cr_assert_eq(json_integer_value(json_object_get(sum, "unconfirmed")), 0, "every witness replays as claimed");
    long n = json_integer_value(json_object_get(sum, "states"));
    cr_assert_eq(json_integer_value(json_object_get(sum, "corridors_covered")) +
                     json_integer_value(json_object_get(sum, "corridors_uncovered")),
                 n * (n - 1) / 2);
    json_decref(g);
}

/* Ask aggregated_periods(args) of `id` on the witness, optionally without
 * the periods of state `drop`. */
static Outcome replay(json_t *witness, const char *id, json_t *args, const char *drop) {
    json_t *w = json_deep_copy(witness);
    json_t *ps = json_object_get(w, "periods");
    for (size_t i = json_array_size(ps); drop && i-- > 0;)
        if (!strcmp(json_string_value(json_object_get(json_array_get(ps, i), "state")), drop)) json_array_remove(ps, i);
    Arena A = {0};
    Value k;
    const char *cid;
    CaseError err;
    cr_assert(case_from_json(lib.voc, &A, w, &k, &cid, &err), "witness reads: %s %s", err.path, err.message);
    const IrAgreement *ag = agreement(id);
    const IrQuestion *q = ir_question(ag, "aggregated_periods");
    Value a[2];
    memset(a, 0, sizeof a);
    a[0].kind = TY_COUNTRY;
    a[0].i = acc_country_lookup(json_string_value(json_array_get(args, 0)), 2);
    a[1].kind = TY_ENUM;
    for (int b = 0; b < lib.voc->branch->n; b++)
        if (!strcmp(lib.voc->branch->consts[b], json_string_value(json_array_get(args, 1)))) a[1].i = b + 1;
    Interp *in = interp_new(ag);
    Outcome o = interp_ask(in, &k, q, a);
    interp_free(in);
    arena_free_all(&A);
    json_decref(w);
    return o;
}

static json_t *find(json_t *g, const char *kind, const char *ag, const char *other) {
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(g, "findings"), i, f) {
        if (strcmp(json_string_value(json_object_get(f, "kind")), kind)) continue;
        if (strcmp(json_string_value(json_object_get(f, "agreement")), ag)) continue;
        if (other && strcmp(json_string_value(json_object_get(f, "other")), other)) continue;
        return f;
    }
    return NULL;
}

static void check_career(json_t *g, const char *x, const char *y) {
    json_t *f = find(g, "not_aggregated", x, y);
    cr_assert_not_null(f, "a career finding for %s + %s", x, y);
    cr_assert(json_is_true(json_object_get(f, "confirmed")));
    json_t *w = json_object_get(f, "witness"), *args = json_object_get(f, "args");
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(f, "answers"), i, a) {
        const char *id = json_string_value(json_object_get(a, "agreement"));
        Outcome o = replay(w, id, args, NULL);
        cr_assert_eq(o.kind, OUT_DECIDED, "%s decides on the witness", id);
        cr_assert_eq(o.value.i, json_integer_value(json_object_get(a, "value")), "%s: the stated value", id);
        cr_assert_eq(json_array_size(json_object_get(a, "not_counted")), 1, "%s leaves one state out", id);
        size_t j;
        json_t *s;
        json_array_foreach(json_object_get(a, "not_counted"), j, s) {
            Outcome o2 = replay(w, id, args, json_string_value(s));
            cr_assert_eq(o2.value.i, o.value.i, "%s: the periods of %s do not count", id, json_string_value(s));
        }
        json_array_foreach(json_object_get(a, "counted"), j, s) {
            Outcome o2 = replay(w, id, args, json_string_value(s));
            cr_assert_neq(o2.value.i, o.value.i, "%s: the periods of %s count", id, json_string_value(s));
        }
    }
}

Test(gaps, careers) {
    json_t *g = gaps_json(&lib, NULL);
    check_career(g, "eu_883_2004", "ph_de");
    check_career(g, "eu_883_2004", "in_be");
    check_career(g, "asean_model", "ph_de");
    /* the PH-DE-(EU) career: ph_de does not count the EU state, the EU not PH */
    json_t *f = find(g, "not_aggregated", "eu_883_2004", "ph_de");
    json_t *eu = json_array_get(json_object_get(f, "answers"), 0), *pd = json_array_get(json_object_get(f, "answers"), 1);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(eu, "not_counted"), 0)), "PH");
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(pd, "not_counted"), 0)),
                     json_string_value(json_array_get(json_object_get(f, "first_states"), 0)));
    /* MERCOSUR's parties are all Ibero-American: no career between the two */
    cr_assert_null(find(g, "not_aggregated", "ibero_american", "mercosur"));
    json_decref(g);
}

static void check_excluded(json_t *g, const char *ag, const char *category_prefix) {
    size_t i;
    json_t *f;
    bool seen = false;
    json_array_foreach(json_object_get(g, "findings"), i, f) {
        if (strcmp(json_string_value(json_object_get(f, "kind")), "excluded_persons") ||
            strcmp(json_string_value(json_object_get(f, "agreement")), ag))
            continue;
        const char *cat = json_string_value(json_object_get(f, "category"));
        if (strncmp(cat, category_prefix, strlen(category_prefix))) continue;
        seen = true;
        Arena A = {0};
        Value k;
        const char *cid;
        CaseError err;
        cr_assert(case_from_json(lib.voc, &A, json_object_get(f, "witness"), &k, &cid, &err));
        Interp *in = interp_new(agreement(ag));
        cr_assert(!interp_in_personal_scope(in, &k), "%s: the witness for '%s' is outside the personal scope", ag, cat);
        interp_free(in);
        arena_free_all(&A);
        cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(f, "answers"), 0), "outcome")),
                         "not covered");
    }
    cr_assert(seen, "%s leaves out '%s...'", ag, category_prefix);
}

Test(gaps, personal_scope) {
    json_t *g = gaps_json(&lib, NULL);
    check_excluded(g, "eu_883_2004", "a national of");
    check_excluded(g, "gcc", "no current activity");
    check_excluded(g, "gcc", "person.stateless");
    cr_assert_null(find(g, "excluded_persons", "ph_de", NULL), "ph_de takes in every category tried");
    /* the baselines are in scope for every treaty */
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(g, "personal_scope"), i, s)
        cr_assert(json_is_true(json_object_get(s, "baseline_in_scope")), "%s",
                  json_string_value(json_object_get(s, "agreement")));
    json_decref(g);
}

Test(gaps, states_and_determinism) {
    Value st;
    memset(&st, 0, sizeof st);
    st.kind = TY_SET;
    const char *codes[] = {"PH", "DE", "BE", "IN"};
    for (int i = 0; i < 4; i++) set_add(&st, acc_country_lookup(codes[i], 2));
    json_t *g = gaps_json(&lib, &st), *g2 = gaps_json(&lib, &st);
    cr_assert_eq(json_array_size(json_object_get(g, "corridors")), 6);
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(g, "summary"), "corridors_covered")), 3);
    char *a = json_dumps(g, JSON_COMPACT), *b = json_dumps(g2, JSON_COMPACT);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    json_decref(g);
    json_decref(g2);
}

/* The text lists the corridors no agreement coordinates one line per state:
 * each pair once, under whichever state the listing names first (AG-AT under
 * AT, the EU's states coming first), so no state heads two lines. */
Test(gaps, uncovered_corridors_one_line_per_state) {
    json_t *g = gaps_json(&lib, NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    gaps_print(g, f);
    fclose(f);
    const char *sec = strstr(text, "Corridors no agreement coordinates (");
    cr_assert_not_null(sec, "%s", text);
    sec = strchr(sec, '\n') + 1;
    const char *end = strstr(sec, "\n\n");
    cr_assert_not_null(end);
    char heads[300][3];
    int nheads = 0;
    long pairs = 0;
    bool at_has_ag = false;
    for (const char *l = sec; l < end;) {
        const char *nl = strchr(l, '\n');
        if (!nl || nl > end) nl = end;
        cr_assert(l[0] == ' ' && l[1] == ' ' && l[4] == ':', "%.*s", (int)(nl - l), l);
        for (int h = 0; h < nheads; h++) cr_assert(strncmp(heads[h], l + 2, 2), "%.2s heads two lines", l + 2);
        cr_assert_lt(nheads, 300);
        memcpy(heads[nheads], l + 2, 2);
        heads[nheads++][2] = 0;
        for (const char *p = l + 5; p < nl; p += 3) {
            cr_assert(p[0] == ' ', "%.*s", (int)(nl - l), l);
            pairs++;
            if (!strncmp(l + 2, "AT", 2) && !strncmp(p + 1, "AG", 2)) at_has_ag = true;
        }
        l = nl + 1;
    }
    cr_assert_eq(pairs, json_integer_value(json_object_get(json_object_get(g, "summary"), "corridors_uncovered")));
    cr_assert(at_has_ag, "AG-AT is listed under AT");
    free(text);
    json_decref(g);
}
