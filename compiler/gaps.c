/* gaps.c - corridors, careers not aggregated, persons left out; see gaps.h. */
#include "gaps.h"
#include "accord_rt.h"
#include "caseio.h"
#include "eval.h"
#include "iso.h"
#include <stdlib.h>
#include <string.h>

/* ---- corridors ------------------------------------------------------------------ */

static bool treaty(const IrAgreement *ag) { return !ag->is_standard; }

static int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }

/* When both a and b are parties of ag and ag is in force: [*from, *until). */
static bool both_parties(const IrAgreement *ag, int a, int b, int32_t *from, int32_t *until) {
    if (!set_has(&ag->parties, a) || !set_has(&ag->parties, b)) return false;
    *from = max32(ag->in_force, max32(ag->party_from[a], ag->party_from[b]));
    *until = min32(ag->terminates, min32(ag->party_until[a], ag->party_until[b]));
    return *from < *until;
}

/* The branches in ag's material scope for the corridor a-b during
 * [from, until), each with the first date it is in scope (SPEC §6.5: a
 * clause `for X` counts when X is one of the two states). */
static void link_branches(const IrVocabulary *voc, CorridorLink *l, int a, int b) {
    const IrAgreement *ag = l->ag;
    memset(&l->branches, 0, sizeof l->branches);
    l->branches.kind = TY_SET;
    for (int i = 0; i < 256; i++) l->branch_from[i] = INT32_MAX;
    l->all_branches = ag->material_scope.len == 0;
    if (l->all_branches) {
        for (int k = 1; k <= voc->branch->n; k++) {
            set_add(&l->branches, k);
            l->branch_from[k] = l->from;
        }
        return;
    }
    for (size_t j = 0; j < ag->material_scope.len; j++) {
        const IrMaterialClause *m = ag->material_scope.items[j];
        if (m->country && m->country != a && m->country != b) continue;
        int32_t f = max32(m->from, l->from), u = min32(m->until, l->until);
        if (f >= u) continue;
        for (int k = 1; k <= voc->branch->n; k++)
            if (set_has(&m->branches, k)) {
                set_add(&l->branches, k);
                l->branch_from[k] = min32(l->branch_from[k], f);
            }
    }
}

static int corridor_index(int n, int i, int j) {
    if (i > j) { int t = i; i = j; j = t; }
    /* row i holds the pairs (i, i+1..n-1) */
    return i * n - i * (i + 1) / 2 + (j - i - 1);
}

const Corridor *coverage_corridor(const Coverage *cov, int i, int j) {
    if (i == j || i < 0 || j < 0 || i >= cov->nstates || j >= cov->nstates) return NULL;
    return &cov->corridors[corridor_index(cov->nstates, i, j)];
}

static int cmp_by_parties(const void *x, const void *y) {
    const IrAgreement *a = *(const IrAgreement *const *)x, *b = *(const IrAgreement *const *)y;
    int na = set_size(&a->parties), nb = set_size(&b->parties);
    if (na != nb) return nb - na;
    return strcmp(a->id, b->id);
}

Coverage *coverage_build(const Loaded *lib, const Value *only) {
    Coverage *cov = xcalloc(1, sizeof *cov);
    cov->voc = lib->voc;
    Value all;
    memset(&all, 0, sizeof all);
    all.kind = TY_SET;
    size_t nag = lib->agreements.len;
    const IrAgreement **multi = xcalloc(nag + 1, sizeof *multi);
    int nmulti = 0;
    for (size_t i = 0; i < nag; i++) {
        const IrAgreement *ag = lib->agreements.items[i];
        if (!treaty(ag)) continue;
        for (int w = 0; w < 4; w++) all.bits[w] |= ag->parties.bits[w];
        if (set_size(&ag->parties) > 2) multi[nmulti++] = ag;
    }
    if (only)
        for (int w = 0; w < 4; w++) all.bits[w] = only->bits[w];
    qsort(multi, (size_t)nmulti, sizeof *multi, cmp_by_parties);
    /* regions: each multilateral agreement (largest first), then the rest */
    bool placed[256] = {0};
    for (int g = 0; g <= nmulti && g < 63; g++) {
        int before = cov->nstates;
        for (int c = 1; c < 256; c++) {
            if (!set_has(&all, c) || placed[c]) continue;
            if (g < nmulti && !set_has(&multi[g]->parties, c)) continue;
            placed[c] = true;
            cov->group_of[cov->nstates] = cov->ngroups;
            cov->states[cov->nstates++] = c;
        }
        if (cov->nstates > before) cov->group_name[cov->ngroups++] = g < nmulti ? multi[g]->id : "other";
    }
    free(multi);
    int n = cov->nstates;
    cov->corridors = xcalloc((size_t)(n * (n - 1) / 2) + 1, sizeof *cov->corridors);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            Corridor *c = &cov->corridors[corridor_index(n, i, j)];
            c->a = cov->states[i] < cov->states[j] ? cov->states[i] : cov->states[j];
            c->b = cov->states[i] < cov->states[j] ? cov->states[j] : cov->states[i];
            for (size_t k = 0; k < nag; k++) {
                const IrAgreement *ag = lib->agreements.items[k];
                int32_t f, u;
                if (!treaty(ag) || !both_parties(ag, c->a, c->b, &f, &u)) continue;
                c->links = xrealloc(c->links, sizeof *c->links * (size_t)(c->nlinks + 1));
                CorridorLink *l = &c->links[c->nlinks++];
                l->ag = ag;
                l->from = f;
                l->until = u;
                link_branches(lib->voc, l, c->a, c->b);
            }
        }
    return cov;
}

void coverage_free(Coverage *cov) {
    if (!cov) return;
    int n = cov->nstates;
    for (int i = 0; i < n * (n - 1) / 2; i++) free(cov->corridors[i].links);
    free(cov->corridors);
    free(cov);
}

void coverage_branches_text(const Coverage *cov, const CorridorLink *l, char *buf, size_t n) {
    size_t k = 0;
    buf[0] = 0;
    if (l->all_branches) {
        snprintf(buf, n, "every branch");
        return;
    }
    for (int b = 1; b <= cov->voc->branch->n && k < n; b++)
        if (set_has(&l->branches, b)) k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? ", " : "", cov->voc->branch->consts[b - 1]);
}

/* ---- witness cases ------------------------------------------------------------------ */

static json_t *jdate(int32_t d) {
    char b[11];
    acc_date_format(d, b);
    return json_string(b);
}
static json_t *jcountry(int c) { return c ? json_string(acc_country_code(c)) : json_null(); }
static int32_t months_before(int32_t d, int m) {
    acc_date out = d;
    if (!acc_date_add_months(d, -m, &out)) return d;
    return out;
}
static int branch_ord(const IrVocabulary *voc, const char *name) {
    for (int i = 0; i < voc->branch->n; i++)
        if (!strcmp(voc->branch->consts[i], name)) return i + 1;
    return 0;
}
static const char *branch_name(const IrVocabulary *voc, int b) { return voc->branch->consts[b - 1]; }

/* A career: `n` blocks of 60 months in states[i] for branch b, the last one
 * ending the day before d; block i is left out when skip == states[i]. */
static json_t *career_periods(const IrVocabulary *voc, const int *states, int n, int b, int32_t d, int skip) {
    json_t *ps = json_array();
    for (int i = 0; i < n; i++) {
        if (states[i] == skip) continue;
        int32_t from = months_before(d, 60 * (n - i)), to = months_before(d, 60 * (n - i - 1)) - 1;
        json_array_append_new(ps, json_pack("{s:o,s:s,s:o,s:o,s:s}", "state", jcountry(states[i]), "branch",
                                            branch_name(voc, b), "from", jdate(from), "to", jdate(to), "type",
                                            "contribution"));
    }
    return ps;
}

static json_t *nationalities(const int *c, int n) {
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, jcountry(c[i]));
    return a;
}

/* Parse a witness into a case in `A`; false with the reason in *err. */
static bool witness_case(const IrVocabulary *voc, Arena *A, json_t *w, Value *kase, char *err, size_t n) {
    const char *id;
    CaseError ce;
    if (case_from_json(voc, A, w, kase, &id, &ce)) return true;
    snprintf(err, n, "%s%s%s", ce.path, ce.path[0] ? ": " : "", ce.message);
    return false;
}

static Interp *interp_for(Interp **ins, const Loaded *lib, const IrAgreement *ag) {
    for (size_t i = 0; i < lib->agreements.len; i++)
        if (lib->agreements.items[i] == ag) {
            if (!ins[i]) ins[i] = interp_new(ag);
            return ins[i];
        }
    return NULL;
}

static json_t *rule_json(const Loaded *lib, const IrAgreement *ag, const char *label, const char *cite, Span sp) {
    const SourceFile *f = src_file(lib->cx, sp.file);
    uint32_t line = 0, col = 0;
    if (f) src_linecol(f, sp.start, &line, &col);
    json_t *r = json_pack("{s:s,s:s,s:s,s:i}", "agreement", ag->id, "cite", cite ? cite : "", "file", f ? f->path : "",
                          "line", (int)line);
    if (label) json_object_set_new(r, "rule", json_string(label));
    return r;
}

static json_t *answer_json(const IrAgreement *ag, const Outcome *o, const Type *t) {
    json_t *a = json_pack("{s:s,s:s}", "agreement", ag->id, "outcome", ir_outcome_name(o->kind));
    if (o->kind == OUT_DECIDED) {
        char cites[512];
        outcome_cites(o, cites, sizeof cites);
        char vt[256];
        value_format(vt, sizeof vt, &o->value, t);
        json_object_set_new(a, "value", value_to_json(&o->value, t));
        json_object_set_new(a, "value_text", json_string(vt)); /* "121 months": the value as Accord writes it */
        json_object_set_new(a, "cite", json_string(cites));
    } else if (o->reason[0]) {
        json_object_set_new(a, "reason", json_string(o->reason));
    }
    return a;
}

static void codes_text(const Value *set, char *buf, size_t n) {
    size_t k = 0;
    buf[0] = 0;
    for (int c = 1; c < 256 && k < n; c++)
        if (set_has(set, c)) k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? " " : "", acc_country_code(c));
}

static json_t *codes_json(const Value *set) {
    json_t *a = json_array();
    for (int c = 1; c < 256; c++)
        if (set_has(set, c)) json_array_append_new(a, jcountry(c));
    return a;
}

static const char *s_of(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* ---- uncovered corridors and link witnesses ------------------------------------------- */

typedef struct Ctx {
    const Loaded *lib;
    const IrVocabulary *voc;
    Engine *eng;
    Interp **ins;
    Coverage *cov;
    json_t *findings;
} Ctx;

/* An employee of an employer in a, posted to work in b for 12 months,
 * insured in a then b: the case of the corridor a-b on date d.  The engine
 * decides applicable_legislation only with agreements that have both states
 * among their parties (SPEC §12.2), so its answer names the agreements that
 * coordinate the corridor, or says "no agreement". */
static json_t *corridor_witness(const Ctx *x, int a, int b, int32_t d, int br, json_t **answer, json_t **applied,
                                char *err, size_t n) {
    int st[2] = {a, b};
    char id[64];
    acc_date end = d;
    acc_date_add_months(d, 12, &end);
    snprintf(id, sizeof id, "corridor-%s-%s", acc_country_code(a), acc_country_code(b));
    json_t *w = json_pack("{s:s,s:o,s:{s:o,s:o},s:[{s:o,s:s,s:o,s:b,s:{s:o,s:o,s:o,s:b}}],s:o}", "id", id, "date", jdate(d),
                          "person", "nationalities", nationalities(&a, 1), "residence", jcountry(a), "activities", "state",
                          jcountry(b), "kind", "employed", "employer_seat", jcountry(a), "posted", true, "posting",
                          "sending_state", jcountry(a), "start", jdate(d), "anticipated_end", jdate(end),
                          "employer_substantial_activity", true, "periods", career_periods(x->voc, st, 2, br, d, 0));
    Arena A = {0};
    Value k;
    *answer = *applied = NULL;
    if (witness_case(x->voc, &A, w, &k, err, n)) {
        json_t *r = engine_eval_case(x->eng, 0, &k, id, 0, NULL);
        *answer = json_incref(json_object_get(json_object_get(r, "answers"), "applicable_legislation"));
        *applied = json_incref(json_object_get(r, "agreements"));
        json_decref(r);
    }
    arena_free_all(&A);
    return w;
}

static bool in_list(json_t *arr, const char *s) {
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), s)) return true;
    return false;
}

/* The answer (SPEC §12.7) comes from agreement `id`: it gave it, or gave the
 * same (also), or is one side of a conflict between agreements. */
static bool answered_by(json_t *ans, const char *id) {
    const char *ag = json_string_value(json_object_get(ans, "agreement"));
    if (ag && !strcmp(ag, id)) return true;
    const char *lists[] = {"also", "between"};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(ans, lists[l]), i, v) {
            ag = json_string_value(json_object_get(v, "agreement"));
            if (ag && !strcmp(ag, id)) return true;
        }
    }
    return false;
}

static int32_t today_like(const Coverage *cov) {
    (void)cov;
    /* a fixed reference date keeps the output deterministic (SPEC §15) */
    return acc_date_from_ymd(2025, 1, 1);
}

static json_t *corridors_json(Ctx *x) {
    json_t *arr = json_array();
    Coverage *cov = x->cov;
    int old_age = branch_ord(x->voc, "old_age");
    for (int i = 0; i < cov->nstates; i++)
        for (int j = i + 1; j < cov->nstates; j++) {
            const Corridor *c = coverage_corridor(cov, i, j);
            json_t *jc = json_pack("{s:[o,o],s:b}", "states", jcountry(c->a), jcountry(c->b), "covered", c->nlinks > 0);
            json_t *links = json_array();
            Value any;
            memset(&any, 0, sizeof any);
            for (int li = 0; li < c->nlinks; li++) {
                const CorridorLink *l = &c->links[li];
                json_t *jl = json_pack("{s:s,s:o,s:o}", "agreement", l->ag->id, "from", jdate(l->from), "until",
                                       l->until == INT32_MAX ? json_null() : jdate(l->until));
                json_t *bs = json_array(), *later = json_object();
                int32_t when = l->from; /* the first date with every branch of the link */
                for (int b = 1; b <= x->voc->branch->n; b++) {
                    if (!set_has(&l->branches, b)) continue;
                    set_add(&any, b);
                    json_array_append_new(bs, json_string(branch_name(x->voc, b)));
                    if (l->branch_from[b] > l->from) json_object_set_new(later, branch_name(x->voc, b), jdate(l->branch_from[b]));
                    when = max32(when, l->branch_from[b]);
                }
                if (when >= l->until) when = l->from;
                json_object_set_new(jl, "branches", bs);
                if (json_object_size(later)) json_object_set_new(jl, "branches_from", later);
                else json_decref(later);
                int br = set_has(&l->branches, old_age) ? old_age : 0;
                for (int b = 1; !br && b <= x->voc->branch->n; b++)
                    if (set_has(&l->branches, b)) br = b;
                char err[400] = "";
                json_t *answer = NULL, *applied = NULL;
                json_t *w = corridor_witness(x, c->a, c->b, when, br ? br : old_age, &answer, &applied, err, sizeof err);
                json_object_set_new(jl, "witness", w);
                /* confirmed: the engine applies the agreement to the witness and
                 * decides its applicable legislation with an agreement; whether
                 * this one gave the answer or gave way to another (precedence,
                 * SPEC §12.5) is said beside */
                const char *oc = json_string_value(json_object_get(answer, "outcome"));
                json_object_set_new(jl, "confirmed", json_boolean(oc && strcmp(oc, "no agreement") && in_list(applied, l->ag->id)));
                if (answer && !answered_by(answer, l->ag->id) && json_object_get(answer, "agreement"))
                    json_object_set(jl, "gives_way_to", json_object_get(answer, "agreement"));
                if (err[0]) json_object_set_new(jl, "witness_error", json_string(err));
                json_decref(answer);
                json_decref(applied);
                json_array_append_new(links, jl);
            }
            json_object_set_new(jc, "agreements", links);
            /* every link ends (a party left): from the last end on, nothing
             * coordinates the corridor (AT-GB after 2020 in the shipped library) */
            int32_t last = INT32_MIN;
            for (int li = 0; li < c->nlinks; li++) last = max32(last, c->links[li].until);
            if (c->nlinks && last != INT32_MAX) json_object_set_new(jc, "ended", jdate(last));
            json_t *missing = json_array();
            for (int b = 1; b <= x->voc->branch->n; b++)
                if (!set_has(&any, b)) json_array_append_new(missing, json_string(branch_name(x->voc, b)));
            json_object_set_new(jc, "branches_not_coordinated", missing);
            if (!c->nlinks) {
                /* no treaty of the library has both states among its parties:
                 * the witness must get "no agreement" */
                char err[400] = "";
                json_t *answer = NULL, *applied = NULL;
                json_object_set_new(jc, "witness", corridor_witness(x, c->a, c->b, today_like(cov), old_age, &answer, &applied,
                                                                    err, sizeof err));
                json_decref(applied);
                const char *oc = json_string_value(json_object_get(answer, "outcome"));
                json_object_set_new(jc, "confirmed", json_boolean(oc && !strcmp(oc, "no agreement")));
                if (err[0]) json_object_set_new(jc, "witness_error", json_string(err));
                json_decref(answer);
            }
            json_array_append_new(arr, jc);
        }
    return arr;
}

/* ---- careers across three states ----------------------------------------------------- */

/* A branch coordinated by both links on date d: old_age if it is, else the first. */
static int common_branch(const IrVocabulary *voc, const CorridorLink *l1, const CorridorLink *l2, int32_t d) {
    int old_age = branch_ord(voc, "old_age"), pick = 0;
    for (int b = 1; b <= voc->branch->n; b++) {
        if (!set_has(&l1->branches, b) || !set_has(&l2->branches, b)) continue;
        if (l1->branch_from[b] > d || l2->branch_from[b] > d) continue;
        if (b == old_age) return b;
        if (!pick) pick = b;
    }
    return pick;
}

static const CorridorLink *link_of(const Coverage *cov, int a, int b, const IrAgreement *ag) {
    int i = -1, j = -1;
    for (int k = 0; k < cov->nstates; k++) {
        if (cov->states[k] == a) i = k;
        if (cov->states[k] == b) j = k;
    }
    const Corridor *c = coverage_corridor(cov, i, j);
    for (int k = 0; c && k < c->nlinks; k++)
        if (c->links[k].ag == ag) return &c->links[k];
    return NULL;
}

/* Some treaty of the library has a, b and c among its parties on d. */
static bool one_agreement_for(const Loaded *lib, int a, int b, int c, int32_t d) {
    for (size_t i = 0; i < lib->agreements.len; i++) {
        const IrAgreement *ag = lib->agreements.items[i];
        int32_t f1, u1, f2, u2;
        if (!treaty(ag) || !both_parties(ag, a, b, &f1, &u1) || !both_parties(ag, b, c, &f2, &u2)) continue;
        if (d >= max32(f1, f2) && d < min32(u1, u2)) return true;
    }
    return false;
}

static int cmp_date(const void *p, const void *q) {
    int32_t a = *(const int32_t *)p, b = *(const int32_t *)q;
    return (a > b) - (a < b);
}

typedef struct Triple {
    int a, b, c, branch;
    int32_t date;
} Triple;

static json_t *career_case(const Ctx *x, const Triple *t, const int *nat, int nnat, int skip) {
    int st[3] = {t->a, t->b, t->c};
    char id[64];
    snprintf(id, sizeof id, "career-%s-%s-%s", acc_country_code(t->a), acc_country_code(t->b), acc_country_code(t->c));
    return json_pack("{s:s,s:o,s:{s:o,s:o},s:o,s:{s:s,s:o,s:o}}", "id", id, "date", jdate(t->date), "person",
                     "nationalities", nationalities(nat, nnat), "residence", jcountry(t->b), "periods",
                     career_periods(x->voc, st, 3, t->branch, t->date, skip), "claim", "branch",
                     branch_name(x->voc, t->branch), "date", jdate(t->date), "residence", jcountry(t->b));
}

/* Ask aggregated_periods(b, branch) of ag on the career, and again without each
 * state's periods: a state whose removal changes nothing is not counted. */
static json_t *aggregation_answer(const Ctx *x, const IrAgreement *ag, const Triple *t, const int *nat, int nnat,
                                  bool *counts_all, json_t **rules) {
    const IrQuestion *q = ir_question(ag, "aggregated_periods");
    Interp *in = interp_for(x->ins, x->lib, ag);
    *counts_all = false;
    if (!q || q->nparams != 2 || !in) return json_pack("{s:s,s:s,s:s}", "agreement", ag->id, "outcome", "error", "reason",
                                                       "the vocabulary has no question aggregated_periods(country, branch)");
    Value args[2];
    memset(args, 0, sizeof args);
    args[0].kind = TY_COUNTRY;
    args[0].i = t->b;
    args[1].kind = TY_ENUM;
    args[1].i = t->branch;
    int st[3] = {t->a, t->b, t->c};
    Outcome full;
    json_t *ans = NULL, *not_counted = json_array(), *counted = json_array();
    for (int s = -1; s < 3; s++) {
        Arena A = {0};
        Value k;
        char err[400];
        json_t *w = career_case(x, t, nat, nnat, s < 0 ? 0 : st[s]);
        bool ok = witness_case(x->voc, &A, w, &k, err, sizeof err);
        json_decref(w);
        if (!ok) {
            arena_free_all(&A);
            json_decref(ans);
            json_decref(not_counted);
            json_decref(counted);
            return json_pack("{s:s,s:s,s:s}", "agreement", ag->id, "outcome", "error", "reason", err);
        }
        Outcome o = interp_ask(in, &k, q, args);
        if (s < 0) {
            full = o;
            ans = answer_json(ag, &o, q->type);
            for (int r = 0; r < o.nrules; r++)
                json_array_append_new(*rules, rule_json(x->lib, ag, o.rules[r]->label, o.rules[r]->cite, o.rules[r]->span));
        } else if (full.kind == OUT_DECIDED && o.kind == OUT_DECIDED && value_eq(&o.value, &full.value)) {
            json_array_append_new(not_counted, jcountry(st[s]));
        } else if (full.kind == OUT_DECIDED) {
            json_array_append_new(counted, jcountry(st[s]));
        } else {
            json_array_append_new(not_counted, jcountry(st[s]));
        }
        arena_free_all(&A);
    }
    *counts_all = json_array_size(not_counted) == 0;
    json_object_set_new(ans, "counted", counted);
    json_object_set_new(ans, "not_counted", not_counted);
    return ans;
}

/* A nationality that both agreements' personal scope accepts on t->date: the
 * bridge state's, else one end's; false (and the bridge's) when none is. */
static bool career_nationality(const Ctx *x, Interp *ix, Interp *iy, const Triple *t, int *nat) {
    int tries[3] = {t->b, t->a, t->c};
    *nat = t->b;
    for (int i = 0; i < 3; i++) {
        Arena A = {0};
        Value k;
        char err[400];
        json_t *w = career_case(x, t, &tries[i], 1, 0);
        bool ok = witness_case(x->voc, &A, w, &k, err, sizeof err) && interp_in_personal_scope(ix, &k) &&
                  interp_in_personal_scope(iy, &k);
        json_decref(w);
        arena_free_all(&A);
        if (ok) {
            *nat = tries[i];
            return true;
        }
    }
    return false;
}

static bool decided(json_t *answer) {
    const char *o = json_string_value(json_object_get(answer, "outcome"));
    return o && !strcmp(o, "decided");
}

static void career_finding(Ctx *x, const IrAgreement *X, const IrAgreement *Y, int b, const Value *as, const Value *cs,
                           Triple *t, const int32_t *dates, int ndates) {
    Interp *ix = interp_for(x->ins, x->lib, X), *iy = interp_for(x->ins, x->lib, Y);
    json_t *rules = json_array(), *ax = NULL, *ay = NULL;
    bool all_x = false, all_y = false, in_scope = false;
    int nat = t->b;
    /* the first date when both agreements decide (an agreement may phase its
     * coordination in, as the ASEAN model does); else the first date */
    for (int pass = 0; pass < 2; pass++)
        for (int di = 0; di < ndates; di++) {
            t->date = dates[pass ? 0 : di];
            json_decref(ax);
            json_decref(ay);
            json_array_clear(rules);
            in_scope = career_nationality(x, ix, iy, t, &nat);
            ax = aggregation_answer(x, X, t, &nat, 1, &all_x, &rules);
            ay = aggregation_answer(x, Y, t, &nat, 1, &all_y, &rules);
            if (pass || (decided(ax) && decided(ay))) goto chosen;
        }
chosen:;
    char region[2400], sa[800], sc[800];
    codes_text(as, sa, sizeof sa);
    codes_text(cs, sc, sizeof sc);
    snprintf(region, sizeof region,
             "a career in %s, %s and %s (and any career in one of %s, then %s, then one of %s): %s has %s and %s among "
             "its parties, %s has %s and %s, and no agreement of the library has all three; %s periods of the career "
             "cannot be added up in one agreement",
             acc_country_code(t->a), acc_country_code(t->b), acc_country_code(t->c), sa, acc_country_code(b), sc, X->id,
             acc_country_code(t->a), acc_country_code(b), Y->id, acc_country_code(b), acc_country_code(t->c),
             branch_name(x->voc, t->branch));
    json_t *f = json_pack("{s:s,s:s,s:s,s:s,s:[o,s],s:o,s:[o,o],s:s,s:o,s:b,s:b,s:b}", "kind", "not_aggregated",
                          "agreement", X->id, "other", Y->id, "question", "aggregated_periods", "args", jcountry(t->b),
                          branch_name(x->voc, t->branch), "rules", rules, "answers", ax, ay, "region", region, "witness",
                          career_case(x, t, &nat, 1, 0), "confirmed", !all_x && !all_y, "in_personal_scope", in_scope,
                          "acknowledged", false);
    json_object_set_new(f, "first_states", codes_json(as));
    json_object_set_new(f, "last_states", codes_json(cs));
    json_array_append_new(x->findings, f);
}

/* For each pair of treaties X, Y sharing a state B: careers A-B-C with A a
 * party of X only and C of Y only, on a date when no treaty has all three. */
static void careers(Ctx *x) {
    const Loaded *lib = x->lib;
    bool in_cov[256] = {0};
    for (int i = 0; i < x->cov->nstates; i++) in_cov[x->cov->states[i]] = true;
    for (size_t i = 0; i < lib->agreements.len; i++)
        for (size_t j = i + 1; j < lib->agreements.len; j++) {
            const IrAgreement *X = lib->agreements.items[i], *Y = lib->agreements.items[j];
            if (!treaty(X) || !treaty(Y)) continue;
            for (int b = 1; b < 256; b++) {
                if (!in_cov[b] || !set_has(&X->parties, b) || !set_has(&Y->parties, b)) continue;
                Value as, cs;
                memset(&as, 0, sizeof as);
                memset(&cs, 0, sizeof cs);
                as.kind = cs.kind = TY_SET;
                Triple first = {0};
                int32_t dates[520];
                int ndates = 0;
                for (int a = 1; a < 256; a++) {
                    if (!in_cov[a] || a == b || !set_has(&X->parties, a) || set_has(&Y->parties, a)) continue;
                    for (int c = 1; c < 256; c++) {
                        if (!in_cov[c] || c == b || !set_has(&Y->parties, c) || set_has(&X->parties, c)) continue;
                        const CorridorLink *l1 = link_of(x->cov, a, b, X), *l2 = link_of(x->cov, b, c, Y);
                        if (!l1 || !l2) continue;
                        int32_t d = max32(l1->from, l2->from);
                        if (d >= min32(l1->until, l2->until) || one_agreement_for(lib, a, b, c, d)) continue;
                        int br = common_branch(x->voc, l1, l2, d);
                        if (!br) continue;
                        set_add(&as, a);
                        set_add(&cs, c);
                        if (!first.a) {
                            first = (Triple){a, b, c, br, d};
                            /* candidate dates: d and each later date a branch enters either link */
                            int32_t until = min32(l1->until, l2->until);
                            dates[ndates++] = d;
                            for (int k = 1; k < 256; k++) {
                                int32_t e1 = l1->branch_from[k], e2 = l2->branch_from[k];
                                if (e1 > d && e1 < until) dates[ndates++] = e1;
                                if (e2 > d && e2 < until) dates[ndates++] = e2;
                            }
                            qsort(dates + 1, (size_t)ndates - 1, sizeof *dates, cmp_date);
                        }
                    }
                }
                if (first.a) career_finding(x, X, Y, b, &as, &cs, &first, dates, ndates);
            }
        }
}

/* ---- persons left out by personal scope ----------------------------------------------- */

typedef struct Person {
    int nat[2], nnat;
    bool no_activity;
    const char *pfield, *afield; /* the varied fact, in person or activity */
    json_t *pvalue, *avalue;
} Person;

static json_t *person_case(const Ctx *x, const IrAgreement *ag, int p1, int p2, int32_t d, int br, const Person *v) {
    const IrRecord *cr = x->voc->case_rec;
    json_t *person = json_pack("{s:o,s:o}", "nationalities", nationalities(v->nat, v->nnat), "residence", jcountry(p2));
    json_t *act = json_pack("{s:o,s:o}", "state", jcountry(p2), "employer_seat", jcountry(p2));
    /* every enum fact of the person and the activity at its first constant:
     * the baseline that the variants change one at a time */
    for (int f = 0; f < cr->nfields; f++) {
        const Type *t = cr->fields[f].type;
        bool is_act = t->kind == TY_LIST && t->elem->kind == TY_RECORD && !strcmp(cr->fields[f].name, "activities");
        const IrRecord *r = t->kind == TY_RECORD && !strcmp(cr->fields[f].name, "person") ? t->rec : is_act ? t->elem->rec : NULL;
        for (int g = 0; r && g < r->nfields; g++)
            if (r->fields[g].type->kind == TY_ENUM && r->fields[g].type->en->n > 0)
                json_object_set_new(is_act ? act : person, r->fields[g].name, json_string(r->fields[g].type->en->consts[0]));
    }
    if (v->pfield) json_object_set(person, v->pfield, v->pvalue);
    if (v->afield) json_object_set(act, v->afield, v->avalue);
    int st[2] = {p1, p2};
    char id[96];
    snprintf(id, sizeof id, "scope-%s%s%s", ag->id, v->pfield || v->afield ? "-" : "",
             v->pfield ? v->pfield : v->afield ? v->afield : "");
    json_t *w = json_pack("{s:s,s:o,s:o,s:o}", "id", id, "date", jdate(d), "person", person, "periods",
                          career_periods(x->voc, st, 2, br, d, 0));
    if (v->no_activity) json_decref(act);
    else json_object_set_new(w, "activities", json_pack("[o]", act));
    return w;
}

static void describe(const Person *v, const Person *base, char *buf, size_t n) {
    if (v->pfield || v->afield) {
        char *s = json_dumps(v->pfield ? v->pvalue : v->avalue, JSON_ENCODE_ANY);
        snprintf(buf, n, "%s.%s = %s", v->pfield ? "person" : "activity", v->pfield ? v->pfield : v->afield, s);
        free(s);
    } else if (v->no_activity) {
        snprintf(buf, n, "no current activity (a pensioner or a person between jobs)");
    } else if (v->nnat && base->nnat && v->nat[0] != base->nat[0]) {
        snprintf(buf, n, "a national of %s, not of a party", acc_country_code(v->nat[0]));
    } else {
        snprintf(buf, n, "the baseline");
    }
}

static void excluded_persons(Ctx *x, const IrAgreement *ag, json_t *scope_summary) {
    int p[2], np = 0;
    bool in_cov[256] = {0};
    for (int i = 0; i < x->cov->nstates; i++) in_cov[x->cov->states[i]] = true;
    for (int c = 1; c < 256 && np < 2; c++)
        if (set_has(&ag->parties, c) && in_cov[c]) p[np++] = c;
    if (np < 2) return;
    int32_t d = max32(ag->in_force, max32(ag->party_from[p[0]], ag->party_from[p[1]]));
    int third = 0;
    for (int i = 0; i < x->cov->nstates && !third; i++)
        if (!set_has(&ag->parties, x->cov->states[i])) third = x->cov->states[i];
    for (int c = 1; c < 256 && !third; c++)
        if (acc_country_code(c) && !set_has(&ag->parties, c)) third = c;
    int br = branch_ord(x->voc, "old_age");
    Interp *in = interp_for(x->ins, x->lib, ag);
    const IrQuestion *q = NULL;
    for (size_t i = 0; i < ag->questions.len && !q; i++)
        if (((IrQuestion *)ag->questions.items[i])->nparams == 0) q = ag->questions.items[i];
    Person base = {{p[0]}, 1, false, NULL, NULL, NULL, NULL};
    json_t *bw = person_case(x, ag, p[0], p[1], d, br, &base);
    Arena A = {0};
    Value k;
    char err[400];
    bool base_ok = witness_case(x->voc, &A, bw, &k, err, sizeof err) && interp_in_personal_scope(in, &k);
    arena_free_all(&A);
    json_t *sum = json_pack("{s:s,s:O,s:b,s:[],s:[]}", "agreement", ag->id, "baseline", bw, "baseline_in_scope", base_ok,
                            "excluded", "included");
    json_decref(bw);
    json_array_append_new(scope_summary, sum);
    if (!base_ok) return; /* nothing to compare with: said in the summary */
    /* the variants: every other constant of every enum fact, every boolean
     * fact of the person and activity set to true, a third-state national,
     * no current activity */
    Person vs[128];
    int nv = 0;
    json_t *owned = json_array();
    const IrRecord *cr = x->voc->case_rec;
    for (int f = 0; f < cr->nfields; f++) {
        const Type *t = cr->fields[f].type;
        bool is_act = t->kind == TY_LIST && t->elem->kind == TY_RECORD && !strcmp(cr->fields[f].name, "activities");
        const IrRecord *r = t->kind == TY_RECORD && !strcmp(cr->fields[f].name, "person") ? t->rec : is_act ? t->elem->rec : NULL;
        for (int g = 0; r && g < r->nfields; g++) {
            const Type *ft = r->fields[g].type;
            int from = ft->kind == TY_ENUM ? 1 : 0, to = ft->kind == TY_ENUM ? ft->en->n : ft->kind == TY_BOOL ? 1 : 0;
            for (int c = from; c < to && nv < 128; c++) {
                Person v = base;
                json_t *val = ft->kind == TY_ENUM ? json_string(ft->en->consts[c]) : json_true();
                json_array_append_new(owned, val);
                if (is_act) { v.afield = r->fields[g].name; v.avalue = val; }
                else { v.pfield = r->fields[g].name; v.pvalue = val; }
                /* a stateless person has no nationality; a refugee's is not a party's */
                if (!strcmp(r->fields[g].name, "stateless")) v.nnat = 0;
                if (!strcmp(r->fields[g].name, "refugee")) v.nat[0] = third;
                vs[nv++] = v;
            }
        }
    }
    if (nv < 128) { Person v = base; v.nat[0] = third; vs[nv++] = v; }
    if (nv < 128) { Person v = base; v.no_activity = true; vs[nv++] = v; }
    json_t *excl = json_object_get(sum, "excluded"), *incl = json_object_get(sum, "included");
    for (int i = 0; i < nv; i++) {
        json_t *w = person_case(x, ag, p[0], p[1], d, br, &vs[i]);
        char what[256];
        describe(&vs[i], &base, what, sizeof what);
        Arena B = {0};
        bool ok = witness_case(x->voc, &B, w, &k, err, sizeof err);
        if (ok && interp_in_personal_scope(in, &k)) {
            json_array_append_new(incl, json_string(what));
        } else {
            json_array_append_new(excl, json_string(what));
            char region[600];
            snprintf(region, sizeof region,
                     "%s (otherwise like the baseline: a national of %s living and working in %s, insured in both, "
                     "on %s): outside the personal scope",
                     what, acc_country_code(p[0]), acc_country_code(p[1]), json_string_value(json_object_get(w, "date")));
            json_t *rules = json_array();
            for (size_t s = 0; s < ag->personal_scope.len; s++) {
                const IrScopeClause *sc = ag->personal_scope.items[s];
                if (d >= sc->from && d < sc->until) json_array_append_new(rules, rule_json(x->lib, ag, NULL, sc->cite, sc->span));
            }
            json_t *answers = json_array();
            if (ok && q) {
                Outcome o = interp_ask(in, &k, q, NULL);
                json_array_append_new(answers, answer_json(ag, &o, q->type));
            }
            json_t *fnd = json_pack("{s:s,s:s,s:s,s:[],s:o,s:o,s:s,s:O,s:b,s:b}", "kind", "excluded_persons", "agreement",
                                    ag->id, "question", q ? q->name : "", "args", "rules", rules, "answers", answers,
                                    "region", region, "witness", w, "confirmed", ok, "acknowledged", false);
            json_object_set_new(fnd, "category", json_string(what));
            if (!ok) json_object_set_new(fnd, "witness_error", json_string(err));
            json_array_append_new(x->findings, fnd);
        }
        json_decref(w);
        arena_free_all(&B);
    }
    json_decref(owned);
}

/* ---- the command ---------------------------------------------------------------------- */

json_t *gaps_json(const Loaded *lib, const Value *only) {
    QSpec qs = {.name = "applicable_legislation"};
    EvalOptions eo;
    memset(&eo, 0, sizeof eo);
    eo.branches.kind = TY_SET;
    eo.jobs = 1;
    eo.questions = &qs;
    /* a few thousand witnesses: interpreting them costs less than compiling
     * the agreements (SPEC §14.1) */
    eo.interp = true;
    /* the engine is asked which agreements apply; one question keeps it cheap */
    for (size_t i = 0; i < lib->voc->questions.len; i++)
        if (!strcmp(((IrQuestion *)lib->voc->questions.items[i])->name, qs.name)) eo.nquestions = 1;
    Ctx x = {lib, lib->voc, NULL, NULL, NULL, json_array()};
    x.eng = engine_new(lib, &eo);
    if (!x.eng) {
        json_decref(x.findings);
        return NULL;
    }
    x.ins = xcalloc(lib->agreements.len + 1, sizeof *x.ins);
    x.cov = coverage_build(lib, only);
    json_t *doc = json_object();
    json_object_set_new(doc, "schema", json_string("accord-gaps/1"));
    json_t *states = json_array(), *groups = json_array();
    for (int i = 0; i < x.cov->nstates; i++) json_array_append_new(states, jcountry(x.cov->states[i]));
    for (int g = 0; g < x.cov->ngroups; g++) {
        json_t *members = json_array();
        for (int i = 0; i < x.cov->nstates; i++)
            if (x.cov->group_of[i] == g) json_array_append_new(members, jcountry(x.cov->states[i]));
        json_array_append_new(groups, json_pack("{s:s,s:o}", "group", x.cov->group_name[g], "states", members));
    }
    json_object_set_new(doc, "states", states);
    json_object_set_new(doc, "groups", groups);
    json_t *corr = corridors_json(&x);
    json_object_set_new(doc, "corridors", corr);
    careers(&x);
    json_t *scope = json_array();
    for (size_t i = 0; i < lib->agreements.len; i++)
        if (treaty(lib->agreements.items[i])) excluded_persons(&x, lib->agreements.items[i], scope);
    json_object_set_new(doc, "personal_scope", scope);
    /* summary */
    long covered = 0, uncovered = 0, ended = 0, kinds[2] = {0}, unconfirmed = 0;
    size_t i;
    json_t *v;
    json_array_foreach(corr, i, v) {
        if (json_is_true(json_object_get(v, "covered"))) covered++;
        else uncovered++;
        ended += json_object_get(v, "ended") != NULL;
        if (json_object_get(v, "confirmed") && !json_is_true(json_object_get(v, "confirmed"))) unconfirmed++;
        size_t j;
        json_t *l;
        json_array_foreach(json_object_get(v, "agreements"), j, l) if (!json_is_true(json_object_get(l, "confirmed"))) unconfirmed++;
    }
    json_array_foreach(x.findings, i, v) {
        kinds[strcmp(json_string_value(json_object_get(v, "kind")), "not_aggregated") ? 1 : 0]++;
        if (!json_is_true(json_object_get(v, "confirmed"))) unconfirmed++;
    }
    json_object_set_new(doc, "findings", x.findings);
    json_object_set_new(doc, "summary",
                        json_pack("{s:i,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "states", x.cov->nstates, "corridors_covered",
                                  (json_int_t)covered, "corridors_uncovered", (json_int_t)uncovered, "corridors_ended",
                                  (json_int_t)ended, "not_aggregated",
                                  (json_int_t)kinds[0], "excluded_persons", (json_int_t)kinds[1], "findings",
                                  (json_int_t)json_array_size(x.findings), "unconfirmed", (json_int_t)unconfirmed));
    for (size_t k = 0; k < lib->agreements.len; k++) interp_free(x.ins[k]);
    free(x.ins);
    coverage_free(x.cov);
    engine_free(x.eng);
    return doc;
}

/* ---- text output ------------------------------------------------------------------------ */

static void print_codes(FILE *out, json_t *arr) {
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) fprintf(out, "%s%s", i ? " " : "", json_is_string(v) ? json_string_value(v) : "none");
}

/* the position of a state's code in the listing's "states" (SIZE_MAX if absent) */
static size_t state_rank(json_t *states, const char *code) {
    size_t i;
    json_t *v;
    json_array_foreach(states, i, v) if (!strcmp(json_string_value(v), code)) return i;
    return SIZE_MAX;
}

void gaps_print(json_t *g, FILE *out) {
    json_t *sum = json_object_get(g, "summary");
    fprintf(out, "States: %d in %zu groups\n", (int)json_integer_value(json_object_get(sum, "states")),
            json_array_size(json_object_get(g, "groups")));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(g, "groups"), i, v) {
        fprintf(out, "  %s: ", s_of(v, "group"));
        print_codes(out, json_object_get(v, "states"));
        fputc('\n', out);
    }
    fprintf(out, "\nCorridors coordinated (%" JSON_INTEGER_FORMAT "):\n",
            json_integer_value(json_object_get(sum, "corridors_covered")));
    json_array_foreach(json_object_get(g, "corridors"), i, v) {
        if (!json_is_true(json_object_get(v, "covered"))) continue;
        json_t *st = json_object_get(v, "states");
        fprintf(out, "  %s-%s:", json_string_value(json_array_get(st, 0)), json_string_value(json_array_get(st, 1)));
        size_t j;
        json_t *l;
        json_array_foreach(json_object_get(v, "agreements"), j, l) {
            fprintf(out, "%s %s from %s", j ? ";" : "", s_of(l, "agreement"), s_of(l, "from"));
            /* a corridor that ended (a party left: GB and the EU Regulation) says so */
            if (json_is_string(json_object_get(l, "until"))) fprintf(out, " until %s", s_of(l, "until"));
            fputs(" (", out);
            size_t k;
            json_t *b;
            json_array_foreach(json_object_get(l, "branches"), k, b) {
                const char *later = json_string_value(json_object_get(json_object_get(l, "branches_from"), json_string_value(b)));
                fprintf(out, "%s%s%s%s", k ? " " : "", json_string_value(b), later ? " from " : "", later ? later : "");
            }
            fputc(')', out);
            if (json_object_get(l, "gives_way_to")) fprintf(out, " [gives way to %s]", s_of(l, "gives_way_to"));
            if (!json_is_true(json_object_get(l, "confirmed"))) fputs(" [witness not confirmed by eval]", out);
        }
        fputc('\n', out);
    }
    fprintf(out, "\nCorridors no agreement coordinates (%" JSON_INTEGER_FORMAT "):\n",
            json_integer_value(json_object_get(sum, "corridors_uncovered")));
    /* One line per state, to keep a large library readable: each corridor
     * under whichever of its two states comes first in the listing above
     * (its "states", group by group).  The corridors come in that order, so
     * a state's partners are consecutive; a pair's codes are alphabetical,
     * which is not that order (AT-AG is listed as AG-AT). */
    const char *row = NULL;
    json_t *order = json_object_get(g, "states");
    json_array_foreach(json_object_get(g, "corridors"), i, v) {
        if (json_is_true(json_object_get(v, "covered"))) continue;
        json_t *st = json_object_get(v, "states");
        const char *a = json_string_value(json_array_get(st, 0)), *b = json_string_value(json_array_get(st, 1));
        if (state_rank(order, b) < state_rank(order, a)) {
            const char *t = a;
            a = b;
            b = t;
        }
        if (!row || strcmp(row, a)) fprintf(out, "%s  %s:", row ? "\n" : "", a);
        row = a;
        fprintf(out, " %s", b);
    }
    if (row) fputc('\n', out);
    fprintf(out, "\nCorridors coordinated once, by no agreement since (%" JSON_INTEGER_FORMAT "):\n",
            json_integer_value(json_object_get(sum, "corridors_ended")));
    json_array_foreach(json_object_get(g, "corridors"), i, v) {
        if (!json_object_get(v, "ended")) continue;
        json_t *st = json_object_get(v, "states");
        fprintf(out, "  %s-%s: since %s\n", json_string_value(json_array_get(st, 0)), json_string_value(json_array_get(st, 1)),
                s_of(v, "ended"));
    }
    fputs("\nCareers whose periods no single agreement adds up:\n", out);
    json_array_foreach(json_object_get(g, "findings"), i, v) {
        if (strcmp(s_of(v, "kind"), "not_aggregated")) continue;
        fprintf(out, "  %s + %s: %s\n", s_of(v, "agreement"), s_of(v, "other"), s_of(v, "region"));
        size_t j;
        json_t *a;
        json_array_foreach(json_object_get(v, "answers"), j, a) {
            json_t *val = json_object_get(a, "value_text");
            char *sv = val ? strdup(json_string_value(val)) : NULL;
            fprintf(out, "    %s: %s%s%s; counts ", s_of(a, "agreement"), s_of(a, "outcome"), sv ? " " : "", sv ? sv : "");
            print_codes(out, json_object_get(a, "counted"));
            fputs(", not ", out);
            print_codes(out, json_object_get(a, "not_counted"));
            fputc('\n', out);
            free(sv);
        }
        if (!json_is_true(json_object_get(v, "confirmed"))) fputs("    (not confirmed: an agreement counts all three)\n", out);
        char *w = json_dumps(json_object_get(v, "witness"), JSON_COMPACT);
        fprintf(out, "    witness: %s\n", w);
        free(w);
    }
    fputs("\nPersons outside the personal scope:\n", out);
    json_array_foreach(json_object_get(g, "personal_scope"), i, v) {
        fprintf(out, "  %s:", s_of(v, "agreement"));
        if (!json_is_true(json_object_get(v, "baseline_in_scope"))) {
            fputs(" no baseline case in the personal scope was found; not analysed\n", out);
            continue;
        }
        size_t j;
        json_t *e;
        if (!json_array_size(json_object_get(v, "excluded"))) fputs(" no category tried is left out", out);
        json_array_foreach(json_object_get(v, "excluded"), j, e) fprintf(out, "%s %s", j ? ";" : "", json_string_value(e));
        fputc('\n', out);
    }
    fprintf(out, "\n%" JSON_INTEGER_FORMAT " corridors coordinated (%" JSON_INTEGER_FORMAT " of them no longer), %" JSON_INTEGER_FORMAT
                 " not; %" JSON_INTEGER_FORMAT " careers not aggregated, %" JSON_INTEGER_FORMAT " exclusions; %" JSON_INTEGER_FORMAT
                 " witnesses not confirmed\n",
            json_integer_value(json_object_get(sum, "corridors_covered")), json_integer_value(json_object_get(sum, "corridors_ended")),
            json_integer_value(json_object_get(sum, "corridors_uncovered")),
            json_integer_value(json_object_get(sum, "not_aggregated")),
            json_integer_value(json_object_get(sum, "excluded_persons")), json_integer_value(json_object_get(sum, "unconfirmed")));
}
