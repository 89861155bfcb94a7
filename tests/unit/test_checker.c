/* The conflict and gap checker (checker.h, SPEC §13), from the repository root:
 *   (a) planted findings in the tests/checker/ agreements are found, each with a
 *       witness, and nothing else is reported;
 *   (b) every finding on the shipped agreements (and the planted ones) is
 *       replayed here, independently of the checker: its witness case is read
 *       back from the JSON and decided by the reference interpreter, and must
 *       show the finding (a conflict is a conflict, a gap is undetermined, a
 *       dead rule does not decide, two agreements answer differently...);
 *   (c) exactness and completeness of `diff` by brute force: on a grid of
 *       cases over the vocabulary subset that diff_v1/diff_v2 use, a case is
 *       inside a reported region iff the two versions answer differently;
 *   (d) `gaps --against`: a planted standard is found violated where it is. */
#include "accord_rt.h"
#include "caseio.h"
#include "checker.h"
#include "diag.h"
#include "gencases.h"
#include "driver.h"
#include "interp.h"
#include "iso.h"
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

typedef struct Lib {
    Compilation cx;
    Loaded l;
} Lib;

static Lib *load(const char **paths, int n) {
    Lib *b = calloc(1, sizeof *b);
    cx_init(&b->cx);
    DriverOptions opt = {0};
    bool ok = drv_load(&b->cx, paths, n, &opt, &b->l);
    if (diag_error_count(&b->cx)) diag_render(&b->cx, stderr, DIAG_FMT_HUMAN, false);
    cr_assert(ok && diag_error_count(&b->cx) == 0, "%s loads (run the tests from the repository root)", paths[0]);
    return b;
}
static Lib *load1(const char *path) { return load(&path, 1); }
static void unload(Lib *b) {
    cx_free(&b->cx);
    free(b);
}

static const IrAgreement *by_id(const Loaded *l, const char *id) {
    for (size_t i = 0; i < l->agreements.len; i++)
        if (!strcmp(((IrAgreement *)l->agreements.items[i])->id, id)) return l->agreements.items[i];
    return NULL;
}

/* "kind question" of every finding, sorted, joined by ';' */
static char *kinds(json_t *r) {
    static char buf[4096];
    char items[64][96];
    int n = 0;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r, "findings"), i, f) {
        if (n == 64) break;
        snprintf(items[n++], sizeof items[0], "%s %s", json_string_value(json_object_get(f, "kind")),
                 json_string_value(json_object_get(f, "question")));
    }
    qsort(items, (size_t)n, sizeof items[0], (int (*)(const void *, const void *))strcmp);
    buf[0] = 0;
    for (int k = 0; k < n; k++) {
        strcat(buf, k ? ";" : "");
        strcat(buf, items[k]);
    }
    return buf;
}

/* An argument of a question from its JSON form (a country code or an enum constant). */
static Value arg_from_json(const Type *t, json_t *j) {
    Value v;
    memset(&v, 0, sizeof v);
    v.kind = t->kind;
    const char *s = json_string_value(j);
    cr_assert(s, "arguments are strings");
    if (t->kind == TY_COUNTRY) {
        v.i = acc_country_lookup(s, strlen(s));
    } else {
        for (int i = 0; i < t->en->n; i++)
            if (!strcmp(t->en->consts[i], s)) v.i = i + 1;
    }
    cr_assert(v.i > 0, "argument %s is known", s);
    return v;
}

/* Replay one finding with the interpreter; libs hold the agreements named in it. */
static void replay(json_t *f, Lib **libs, int nlibs) {
    const char *kind = json_string_value(json_object_get(f, "kind"));
    const char *agid = json_string_value(json_object_get(f, "agreement"));
    const char *other = json_string_value(json_object_get(f, "other"));
    const char *qname = json_string_value(json_object_get(f, "question"));
    json_t *w = json_object_get(f, "witness");
    if (!strcmp(kind, "stale_acknowledgement")) {
        cr_assert(json_is_null(w) && json_is_false(json_object_get(f, "acknowledged")), "a stale acknowledgement is a finding of its own");
        return;
    }
    if (!strcmp(kind, "dead_rule") && json_is_null(w)) {
        cr_assert_eq(json_array_size(json_object_get(f, "boxes")), 0, "an unsatisfiable rule has an empty region");
        return;
    }
    cr_assert(json_is_object(w), "%s %s in %s has a witness", kind, qname, agid);
    /* A is the agreement, B the other one; for a diff both can have one id: the first and second library */
    const IrAgreement *A = NULL, *B = NULL;
    for (int i = 0; i < nlibs && !A; i++) A = by_id(&libs[i]->l, agid);
    if (other)
        for (int i = nlibs - 1; i >= 0 && !B; i--) B = by_id(&libs[i]->l, other);
    cr_assert(A && (!other || B));
    Arena ar = {0};
    Value k;
    const char *id;
    CaseError err;
    cr_assert(case_from_json(A->vocab, &ar, w, &k, &id, &err), "the witness is a valid case: %s %s", err.path, err.message);
    const IrQuestion *qa = ir_question(A, qname), *qb = B ? ir_question(B, qname) : NULL;
    Value args[8];
    json_t *ja = json_object_get(f, "args");
    for (int i = 0; i < qa->nparams; i++) args[i] = arg_from_json(qa->ptypes[i], json_array_get(ja, (size_t)i));
    Interp *ia = interp_new(A), *ib = B ? interp_new(B) : NULL;
    Outcome oa = interp_ask(ia, &k, qa, args);
    if (!strcmp(kind, "conflict") || !strcmp(kind, "two_legislations")) {
        cr_assert_eq(oa.kind, OUT_CONFLICT, "%s: the witness gives a conflict in %s", qname, agid);
    } else if (!strcmp(kind, "gap")) {
        cr_assert_eq(oa.kind, OUT_UNDETERMINED, "%s: the witness is undetermined in %s", qname, agid);
    } else if (!strcmp(kind, "no_legislation")) {
        cr_assert(oa.kind == OUT_UNDETERMINED || (oa.kind == OUT_DECIDED && oa.value.i == 0), "no legislation in %s", agid);
    } else if (!strcmp(kind, "dead_rule")) {
        const char *label = json_string_value(json_object_get(json_array_get(json_object_get(f, "rules"), 0), "rule"));
        for (int i = 0; i < oa.nrules; i++)
            cr_assert(!oa.rules[i]->label || strcmp(oa.rules[i]->label, label), "the dead rule %s does not decide", label);
    } else if (!strcmp(kind, "between_agreements")) {
        Outcome ob = interp_ask(ib, &k, qb, args);
        cr_assert(oa.kind == OUT_DECIDED && ob.kind == OUT_DECIDED && !value_eq(&oa.value, &ob.value),
                  "%s: %s and %s decide differently", qname, agid, other);
    } else if (!strcmp(kind, "diff")) {
        Outcome ob = interp_ask(ib, &k, qb, args);
        cr_assert(oa.kind != ob.kind || (oa.kind == OUT_DECIDED && !value_eq(&oa.value, &ob.value)), "%s: the versions differ",
                  qname);
    } else if (!strcmp(kind, "below_standard")) {
        /* agreement = the agreement, other = the standard */
        Outcome os = interp_ask(ib, &k, qb, args);
        cr_assert(os.kind == OUT_DECIDED, "the standard decides");
        cr_assert(oa.kind != OUT_DECIDED || !value_eq(&oa.value, &os.value), "the agreement falls below");
    } else if (!strcmp(kind, "unequal_treatment")) {
        json_t *an = json_object_get(f, "answers");
        cr_assert_eq(json_array_size(an), 2);
        Value ks[2];
        Outcome o[2];
        for (int i = 0; i < 2; i++) {
            const char *nat = json_string_value(json_object_get(json_array_get(an, (size_t)i), "nationality"));
            json_t *w2 = json_deep_copy(w);
            json_t *p = json_object_get(w2, "person");
            if (!p) json_object_set_new(w2, "person", p = json_object());
            json_t *ns = json_array();
            json_array_append_new(ns, json_string(nat));
            json_object_set_new(p, "nationalities", ns);
            cr_assert(case_from_json(A->vocab, &ar, w2, &ks[i], &id, &err));
            json_decref(w2);
            o[i] = interp_ask(ia, &ks[i], qa, args);
        }
        cr_assert(o[0].kind != o[1].kind || (o[0].kind == OUT_DECIDED && !value_eq(&o[0].value, &o[1].value)),
                  "swapping the nationality changes the answer");
    } else {
        cr_assert_fail("unknown kind %s", kind);
    }
    interp_free(ia);
    if (ib) interp_free(ib);
    arena_free_all(&ar);
}

static void replay_all(json_t *r, Lib **libs, int n) {
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r, "findings"), i, f) replay(f, libs, n);
}

static json_t *conflicts(Lib *b) {
    CheckerOptions o = {0};
    return checker_conflicts_json(&b->l, &o);
}

/* ---- (a) planted findings ---------------------------------------------------------- */

static void planted(const char *path, const char *expect) {
    Lib *b = load1(path);
    json_t *r = conflicts(b);
    cr_expect_str_eq(kinds(r), expect, "%s", path);
    cr_expect_eq(json_array_size(json_object_get(r, "unconfirmed")), 0, "%s: no unconfirmed region", path);
    replay_all(r, &b, 1);
    json_decref(r);
    unload(b);
}

Test(checker, planted_conflict) { planted("tests/checker/conflict.accord", "conflict exportable"); }
Test(checker, planted_gap) { planted("tests/checker/gap.accord", "gap refund"); }
Test(checker, planted_dead_rules) { planted("tests/checker/dead.accord", "dead_rule covered;dead_rule covered"); }
Test(checker, planted_unequal_treatment) {
    planted("tests/checker/unequal.accord", "gap equal_treatment;unequal_treatment exportable");
}
Test(checker, planted_two_and_no_legislation) {
    planted("tests/checker/legislation.accord", "no_legislation applicable_legislation;two_legislations applicable_legislation");
}
Test(checker, clean_agreement_has_no_findings) { planted("tests/checker/clean.accord", ""); }

/* The second worker sends its part and exits; the first reaps it only once
 * the report is made (at the next run, or at exit), so that the kernel's
 * taking back its memory overlaps the merge and the printing: after two runs
 * exactly one worker is left to reap, and it exited with success (its part
 * written and closed); the first run's was reaped by the second. */
Test(checker, second_worker_is_reaped_after_the_report) {
    Lib *b = load1("tests/checker/conflict.accord");
    json_t *r1 = conflicts(b), *r2 = conflicts(b);
    cr_expect_str_eq(kinds(r1), "conflict exportable");
    cr_expect(json_equal(r1, r2), "the two runs report the same");
    int status = 0;
    pid_t w = waitpid(-1, &status, 0);
    cr_assert(w > 0, "the second run's worker is left to reap (waitpid: %s)", strerror(errno));
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the worker exited with success (status %d)", status);
    errno = 0;
    cr_expect(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD, "no other worker left: the first run's was reaped");
    json_decref(r1);
    json_decref(r2);
    unload(b);
}

/* A question whose regions as disjoint boxes outgrow the box budget (twelve
 * exceptions of rising priority over independent facts) is analysed
 * exactly (as cells, box.h): its planted gap and dead rule are found, with
 * exact regions, and nothing is left unanalysed. */
Test(checker, many_boxes_are_analysed_exactly) {
    planted("tests/checker/many.accord", "dead_rule applicable_legislation;no_legislation applicable_legislation");
    Lib *b = load1("tests/checker/many.accord");
    json_t *r = conflicts(b);
    cr_expect_eq(json_array_size(json_object_get(r, "unanalysed")), 0);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r, "findings"), i, f) {
        cr_expect(json_is_true(json_object_get(f, "exact")), "%s", json_string_value(json_object_get(f, "kind")));
        if (!strcmp(json_string_value(json_object_get(f, "kind")), "no_legislation"))
            cr_expect_str_eq(json_string_value(json_object_get(f, "region")), "determination date from 2021-01-01, residence is not a party");
    }
    json_decref(r);
    unload(b);
}

Test(checker, planted_conflict_between_agreements_is_acknowledged) {
    const char *paths[] = {"tests/checker/pair_a.accord", "tests/checker/pair_b.accord"};
    Lib *b = load(paths, 2);
    json_t *r = conflicts(b);
    cr_expect_str_eq(kinds(r), "between_agreements exportable;gap exportable;gap exportable");
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r, "findings"), i, f) {
        bool between = !strcmp(json_string_value(json_object_get(f, "kind")), "between_agreements");
        cr_expect_eq(json_is_true(json_object_get(f, "acknowledged")), between, "only the declared finding is acknowledged");
        if (between) cr_expect(json_is_true(json_object_get(f, "exact")));
    }
    replay_all(r, &b, 1);
    json_decref(r);
    unload(b);
}

/* SPEC §13.5: `by` and `where` acknowledge only the findings with those rules and inside that region */
static int unacknowledged(json_t *r) {
    int n = 0;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r, "findings"), i, f) n += !json_is_true(json_object_get(f, "acknowledged"));
    return n;
}

Test(checker, precise_acknowledgements_cover_their_findings) {
    Lib *b = load1("tests/checker/ack_precise.accord");
    json_t *r = conflicts(b);
    cr_expect_str_eq(kinds(r), "conflict exportable;gap refund");
    cr_expect_eq(unacknowledged(r), 0, "the conflict by its two rules, the gap inside its region");
    replay_all(r, &b, 1);
    json_decref(r);
    unload(b);
}

Test(checker, new_gap_on_an_acknowledged_question_and_stale_acknowledgements_are_reported) {
    Lib *b = load1("tests/checker/ack_stale.accord");
    json_t *r = conflicts(b);
    /* the gap grew past the `where` region; the conflict is between other rules than the `by` names;
       the three acknowledgements cover nothing */
    cr_expect_str_eq(kinds(r), "conflict exportable;gap refund;stale_acknowledgement covered;"
                               "stale_acknowledgement exportable;stale_acknowledgement refund");
    cr_expect_eq(unacknowledged(r), 5);
    size_t i;
    json_t *f;
    int lines = 0;
    json_array_foreach(json_object_get(r, "findings"), i, f)
        if (!strcmp(json_string_value(json_object_get(f, "kind")), "stale_acknowledgement"))
            lines += (int)json_integer_value(json_object_get(f, "line"));
    cr_expect_eq(lines, 6 + 7 + 8, "each stale acknowledgement names its line");
    replay_all(r, &b, 1);
    json_decref(r);
    /* one question asked: the acknowledgements of the others are not judged */
    CheckerOptions o = {.question = "refund"};
    r = checker_conflicts_json(&b->l, &o);
    cr_expect_str_eq(kinds(r), "gap refund;stale_acknowledgement refund");
    json_decref(r);
    unload(b);
}

Test(checker, planted_conflict_region_is_exact) {
    Lib *b = load1("tests/checker/conflict.accord");
    json_t *r = conflicts(b);
    json_t *f = json_array_get(json_object_get(r, "findings"), 0);
    cr_assert(f);
    cr_expect(json_is_true(json_object_get(f, "exact")));
    cr_expect_str_eq(json_string_value(json_object_get(f, "region")),
                     "determination date from 2021-01-01, residence is FR, stateless");
    json_decref(r);
    unload(b);
}

/* ---- (b) every finding on the shipped agreements replays ---------------------------------- */

Test(checker, shipped_findings_replay_and_are_acknowledged, .timeout = 600) {
    Lib *b = load1("agreements");
    json_t *r = conflicts(b);
    replay_all(r, &b, 1);
    size_t i;
    json_t *f;
    bool eu_ph = false;
    json_array_foreach(json_object_get(r, "findings"), i, f) {
        cr_expect(json_is_true(json_object_get(f, "acknowledged")), "unacknowledged: %s %s in %s",
                  json_string_value(json_object_get(f, "kind")), json_string_value(json_object_get(f, "question")),
                  json_string_value(json_object_get(f, "agreement")));
        const char *other = json_string_value(json_object_get(f, "other"));
        json_t *args = json_object_get(f, "args");
        if (!strcmp(json_string_value(json_object_get(f, "kind")), "between_agreements") && other &&
            !strcmp(other, "ph_de") && !strcmp(json_string_value(json_object_get(f, "question")), "aggregated_periods") &&
            !strcmp(json_string_value(json_array_get(args, 0)), "DE") &&
            !strcmp(json_string_value(json_array_get(args, 1)), "old_age"))
            eu_ph = true;
    }
    cr_expect(eu_ph, "the known conflict: EU 883/2004 and ph_de on aggregated_periods(DE, old_age)");
    json_decref(r);
    unload(b);
}

/* ---- (c) diff: brute force over a grid ------------------------------------------------------ */

/* The value of one coordinate of a case, as the box JSON writes it. */
static bool point_in_box(json_t *box, const Value *k, const IrRecord *cr, const IrQuestion *q, const Value *args) {
    const char *key;
    json_t *v;
    json_object_foreach(box, key, v) {
        char want[64] = "";
        int64_t num = 0;
        bool is_num = false;
        const char *colon = strchr(key, ':');
        const Value *x = NULL;
        const Type *t = NULL;
        if (colon) { /* "question:i" */
            int i = atoi(colon + 1);
            cr_assert(!strncmp(key, q->name, strlen(q->name)));
            x = &args[i];
            t = q->ptypes[i];
        } else {
            const Value *rec = k;
            const IrRecord *r = cr;
            char path[96];
            snprintf(path, sizeof path, "%s", key);
            for (char *s = strtok(path, "."); s; s = strtok(NULL, ".")) {
                int fi = -1;
                for (int j = 0; j < r->nfields; j++)
                    if (!strcmp(r->fields[j].name, s)) fi = j;
                cr_assert(fi >= 0, "box key %s is a field of the case (no atom in the box fragment)", key);
                x = &rec->agg.items[fi];
                t = r->fields[fi].type;
                if (t->kind == TY_RECORD) {
                    rec = x;
                    r = t->rec;
                }
            }
        }
        if (t->kind == TY_BOOL) snprintf(want, sizeof want, "%s", x->b ? "true" : "false");
        else if (t->kind == TY_COUNTRY) snprintf(want, sizeof want, "%s", x->i ? acc_country_code((int)x->i) : "none");
        else if (t->kind == TY_ENUM) snprintf(want, sizeof want, "%s", x->i ? t->en->consts[x->i - 1] : "none");
        else {
            is_num = true;
            num = x->i;
        }
        if (is_num) {
            json_t *lo = json_array_get(v, 0), *hi = json_array_get(v, 1);
            if (!json_is_null(lo) && num < json_integer_value(lo)) return false;
            if (!json_is_null(hi) && num > json_integer_value(hi)) return false;
        } else {
            /* a list of the values in the box, or {"not": [the values outside it]} */
            json_t *not = json_object_get(v, "not");
            bool in = false;
            size_t i;
            json_t *e;
            json_array_foreach(not ? not : v, i, e) in |= !strcmp(json_string_value(e), want);
            if (in == (not != NULL)) return false;
        }
    }
    return true;
}

Test(checker, diff_is_exact_and_complete_on_a_grid) {
    Lib *a = load1("tests/checker/diff_v1.accord"), *b = load1("tests/checker/diff_v2.accord");
    const IrAgreement *A = a->l.agreements.items[0], *B = b->l.agreements.items[0];
    CheckerOptions o = {0};
    json_t *r = checker_diff_json(&a->l, A, &b->l, B, &o);
    Lib *libs[2] = {a, b};
    replay_all(r, libs, 2);
    cr_assert_eq(json_array_size(json_object_get(r, "unconfirmed")), 0);
    cr_assert_eq(json_array_size(json_object_get(r, "unanalysed")), 0);
    const IrVocabulary *voc = A->vocab;
    const IrRecord *cr = voc->case_rec;
    int fdate = -1, fperson = -1, fdeparted = -1;
    for (int i = 0; i < cr->nfields; i++) {
        if (!strcmp(cr->fields[i].name, "date")) fdate = i;
        if (!strcmp(cr->fields[i].name, "person")) fperson = i;
        if (!strcmp(cr->fields[i].name, "departed")) fdeparted = i;
    }
    const IrRecord *pr = cr->fields[fperson].type->rec;
    int fres = -1, fstateless = -1, frole = -1;
    for (int i = 0; i < pr->nfields; i++) {
        if (!strcmp(pr->fields[i].name, "residence")) fres = i;
        if (!strcmp(pr->fields[i].name, "stateless")) fstateless = i;
        if (!strcmp(pr->fields[i].name, "role")) frole = i;
    }
    const char *dates[] = {"2020-12-31", "2021-01-01", "2021-12-31", "2022-01-01", "2023-05-31",
                           "2023-06-01", "2023-12-31", "2024-01-01", "2024-12-31", "2025-01-01"};
    int res[] = {0, acc_country_lookup("FR", 2), acc_country_lookup("SN", 2), acc_country_lookup("DE", 2)};
    const char *qs[] = {"applicable_legislation", "covered", "refund", "exportable"};
    Interp *ia = interp_new(A), *ib = interp_new(B);
    Arena ar = {0};
    Type ct = {.kind = TY_RECORD, .rec = cr};
    long points = 0, differing = 0;
    for (size_t d = 0; d < sizeof dates / sizeof *dates; d++)
        for (int ri = 0; ri < 4; ri++)
            for (int st = 0; st < 2; st++)
                for (int dep = 0; dep < 2; dep++)
                    for (int role = 0; role <= 3; role++) {
                        Value k = value_default(&ar, &ct);
                        int yy, mm, dd;
                        sscanf(dates[d], "%d-%d-%d", &yy, &mm, &dd);
                        k.agg.items[fdate].i = acc_date_from_ymd(yy, mm, dd);
                        k.agg.items[fdeparted].b = dep;
                        Value *p = &k.agg.items[fperson];
                        p->agg.items[fres].i = res[ri];
                        p->agg.items[fstateless].b = st;
                        p->agg.items[frole].i = role;
                        for (size_t qi = 0; qi < sizeof qs / sizeof *qs; qi++) {
                            const IrQuestion *qa = ir_question(A, qs[qi]), *qb = ir_question(B, qs[qi]);
                            /* arguments: every value of a small domain */
                            int dom = qa->nparams ? (qa->ptypes[0]->kind == TY_COUNTRY ? 3 : 4) : 1;
                            for (int ai = 0; ai < dom; ai++) {
                                Value args[2];
                                memset(args, 0, sizeof args);
                                if (qa->nparams) {
                                    args[0].kind = qa->ptypes[0]->kind;
                                    args[0].i = qa->ptypes[0]->kind == TY_COUNTRY ? res[ai + 1] : ai + 1;
                                }
                                Outcome oa = interp_ask(ia, &k, qa, args), ob = interp_ask(ib, &k, qb, args);
                                bool differ = oa.kind != ob.kind || (oa.kind == OUT_DECIDED && !value_eq(&oa.value, &ob.value));
                                bool inside = false;
                                size_t i;
                                json_t *f;
                                json_array_foreach(json_object_get(r, "findings"), i, f) {
                                    if (strcmp(json_string_value(json_object_get(f, "question")), qs[qi])) continue;
                                    size_t j;
                                    json_t *bx;
                                    json_array_foreach(json_object_get(f, "boxes"), j, bx) inside |= point_in_box(bx, &k, cr, qa, args);
                                }
                                points++;
                                differing += differ;
                                cr_assert_eq(inside, differ, "%s on %s residence %d stateless %d departed %d role %d arg %d: %s",
                                             qs[qi], dates[d], res[ri], st, dep, role, ai,
                                             differ ? "differs but is in no region (incomplete)" : "is in a region but does not differ (inexact)");
                            }
                        }
                    }
    cr_log_info("diff brute force: %ld points, %ld differing", points, differing);
    cr_assert(differing > 0 && differing < points);
    interp_free(ia);
    interp_free(ib);
    arena_free_all(&ar);
    json_decref(r);
    unload(a);
    unload(b);
}

/* ---- (d) a minimum standard ------------------------------------------------------------------ */

Test(checker, below_standard_is_found) {
    Lib *s = load1("tests/checker/floor.accord"), *a = load1("tests/checker/gap.accord");
    CheckerOptions o = {0};
    json_t *r = checker_against_json(&s->l, s->l.agreements.items[0], &a->l, a->l.agreements.items[0], &o);
    cr_expect_str_eq(kinds(r), "below_standard refund");
    Lib *libs[2] = {a, s};
    replay_all(r, libs, 2);
    json_decref(r);
    unload(s);
    unload(a);
}

/* ---- (e) equal treatment (SPEC §13.4) ------------------------------------------------ */

/* The status of question q of agreement ag in the `equal_treatment` member, and its method. */
static const char *eq_status(json_t *r, const char *ag, const char *q, const char **method) {
    size_t i, j;
    json_t *a, *x;
    json_array_foreach(json_object_get(r, "equal_treatment"), i, a) {
        if (strcmp(json_string_value(json_object_get(a, "agreement")), ag)) continue;
        json_array_foreach(json_object_get(a, "questions"), j, x) {
            if (strcmp(json_string_value(json_object_get(x, "question")), q)) continue;
            if (method) *method = json_string_value(json_object_get(x, "method"));
            return json_string_value(json_object_get(x, "status"));
        }
    }
    return "(none)";
}

/* Independently of the checker: on generated cases (and each of the parties'
 * nationals as the person's one nationality) the answers to q never differ. */
static void equal_on_generated_cases(Lib *b, const char *agid, const char *qname, int ncases) {
    const IrAgreement *ag = by_id(&b->l, agid);
    const IrQuestion *q = ir_question(ag, qname);
    cr_assert(ag && q);
    const IrAgreement *ags[1] = {ag};
    GenOptions go = {.seed = 11, .count = ncases};
    Generator *g = gen_new(b->l.voc, ags, 1, &go);
    Interp *in = interp_new(ag);
    Arena ar = {0};
    const IrRecord *cr = b->l.voc->case_rec;
    int person = -1, nat = -1;
    for (int i = 0; i < cr->nfields; i++)
        if (!strcmp(cr->fields[i].name, "person")) person = i;
    const IrRecord *pr = cr->fields[person].type->rec;
    for (int i = 0; i < pr->nfields; i++)
        if (!strcmp(pr->fields[i].name, "nationalities")) nat = i;
    int date = -1;
    for (int i = 0; i < cr->nfields; i++)
        if (!strcmp(cr->fields[i].name, "date")) date = i;
    for (int n = 0; n < ncases; n++) {
        Value k = gen_next(g, &ar, NULL, 0);
        int64_t d = k.agg.items[date].i; /* only the parties on the case's date are compared (SPEC §13.4) */
        Value args[8];
        memset(args, 0, sizeof args);
        for (int i = 0; i < q->nparams; i++) {
            args[i].kind = q->ptypes[i]->kind;
            args[i].i = q->ptypes[i]->kind == TY_COUNTRY ? acc_country_lookup("DE", 2) : 1 + n % q->ptypes[i]->en->n;
        }
        Outcome first;
        bool have = false;
        for (int c = 1; c < 256; c++) {
            if (!set_has(&ag->parties, c) || d < ag->party_from[c] || d >= ag->party_until[c]) continue;
            Value x = k, *items = arena_alloc(&ar, sizeof *items * k.agg.n);
            memcpy(items, k.agg.items, sizeof *items * k.agg.n);
            x.agg.items = items;
            Value *p = &items[person], *pitems = arena_alloc(&ar, sizeof *pitems * p->agg.n);
            memcpy(pitems, p->agg.items, sizeof *pitems * p->agg.n);
            p->agg.items = pitems;
            memset(&pitems[nat], 0, sizeof pitems[nat]);
            pitems[nat].kind = TY_SET;
            set_add(&pitems[nat], c);
            Outcome o = interp_ask(in, &x, q, args);
            if (!have) first = o;
            have = true;
            cr_assert(o.kind == first.kind && (o.kind != OUT_DECIDED || value_eq(&o.value, &first.value)),
                      "%s %s: case %d answers differently for a national of %s", agid, qname, n, acc_country_code(c));
        }
    }
    arena_free_all(&ar);
    interp_free(in);
    gen_free(g);
}

/* Check the status and method of one question; for `unequal`, every
 * unequal_treatment finding has that method (and, found on boxes, an exact
 * region: the planted answers are constants); for `proved`, the answers do
 * not change on generated cases either. */
static void expect_equal_status(const char *path, const char *agid, const char *q, const char *status, const char *method) {
    Lib *b = load1(path);
    json_t *r = conflicts(b);
    const char *m = NULL;
    cr_expect_str_eq(eq_status(r, agid, q, &m), status, "%s %s", agid, q);
    cr_expect_str_eq(m ? m : "(none)", method, "%s %s", agid, q);
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r, "findings"), i, f) {
        if (strcmp(json_string_value(json_object_get(f, "kind")), "unequal_treatment") ||
            strcmp(json_string_value(json_object_get(f, "question")), q))
            continue;
        cr_expect(!strcmp(status, "unequal"), "no unequal_treatment finding on %s", q);
        cr_expect_str_eq(json_string_value(json_object_get(f, "method")), method);
        if (!strcmp(method, "boxes")) cr_expect(json_is_true(json_object_get(f, "exact")), "the region is exact");
    }
    if (!strcmp(status, "proved")) equal_on_generated_cases(b, agid, q, 300);
    json_decref(r);
    unload(b);
}

Test(checker, unequal_treatment_in_a_box_condition_is_found_by_the_proof) {
    planted("tests/checker/eq_box.accord", "unequal_treatment exportable");
    expect_equal_status("tests/checker/eq_box.accord", "eq_box", "exportable", "unequal", "boxes");
    expect_equal_status("tests/checker/eq_box.accord", "eq_box", "covered", "proved (does not read nationality)", "ir");
    /* the older planted agreement (is_national_of of a set literal) goes the same way */
    expect_equal_status("tests/checker/unequal.accord", "unequal", "exportable", "unequal", "boxes");
}

Test(checker, symmetric_reads_of_nationality_are_proved_on_boxes) {
    planted("tests/checker/eq_sym.accord", "");
    const char *qs[] = {"equal_treatment", "exportable", "refund"};
    for (int i = 0; i < 3; i++) expect_equal_status("tests/checker/eq_sym.accord", "eq_sym", qs[i], "proved", "boxes");
}

Test(checker, nationality_outside_the_box_fragment_is_only_searched) {
    planted("tests/checker/eq_search.accord", "");
    expect_equal_status("tests/checker/eq_search.accord", "eq_search", "exportable", "searched (not proved)", "search");
}

/* EU 883/2004: the rules never read the nationality, the personal scope of
 * Art. 2 does; the proof by the scope alone (SPEC §13.4) holds on generated
 * cases, parties joining and leaving included (HR, GB, CH, IS, LI, NO). */
Test(checker, equal_treatment_by_the_scope_alone_holds_on_generated_cases, .timeout = 300) {
    const char *paths[] = {"agreements/eu_883_2004.accord"};
    Lib *b = load(paths, 1);
    CheckerOptions o = {.no_between = true, .no_z3 = true, .question = "applicable_legislation"};
    json_t *r = checker_conflicts_json(&b->l, &o);
    const char *m = NULL;
    cr_expect_str_eq(eq_status(r, "eu_883_2004", "applicable_legislation", &m), "proved");
    cr_expect_str_eq(m, "scope");
    equal_on_generated_cases(b, "eu_883_2004", "applicable_legislation", 400);
    json_decref(r);
    unload(b);
}

Test(checker, shipped_equal_treatment_proofs_hold_on_generated_cases, .timeout = 300) {
    const char *paths[] = {"agreements/in_be.accord", "agreements/ph_de.accord"};
    Lib *b = load(paths, 2);
    CheckerOptions o = {.no_between = true};
    json_t *r = checker_conflicts_json(&b->l, &o);
    const char *m = NULL;
    cr_expect_str_eq(eq_status(r, "ph_de", "equal_treatment", &m), "proved");
    const char *qs[] = {"applicable_legislation", "covered", "equal_treatment", "entitled", "refund"};
    for (int i = 0; i < 5; i++) {
        cr_expect_str_eq(eq_status(r, "in_be", qs[i], &m), "proved", "in_be %s", qs[i]);
        equal_on_generated_cases(b, "in_be", qs[i], 150);
    }
    equal_on_generated_cases(b, "ph_de", "equal_treatment", 150);
    json_decref(r);
    unload(b);
}
