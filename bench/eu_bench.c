/* eu_bench.c - the applicable legislation of Regulation 883/2004 decided by
 * hand-written C (eu_hand.c), by the compiled evaluator (LLVM, in process)
 * and by the reference interpreter, on the same generated cases held in
 * memory (issue 4's three columns).  The interpreter is the oracle: the C
 * and the compiled code must agree with it on the outcome kind, the value
 * and the deciding rules (for a conflict: the two rules and their values)
 * of every case; then the three are timed.
 * usage: eu_bench [N] [--check]   (N cases from `accord gen`'s generator
 * with only eu_883_2004 and seed 1, default 1,000,000; --check: the
 * agreement checks only, no timing, for `make test`).  The last line is
 * "1 passed, 0 failed" or "0 passed, 1 failed".
 * Memory: the cases stay in memory as Values (for the interpreter) and
 * packed (for the C and the compiled code); about 4 KB a case. */
#include "driver.h"
#include "diag.h"
#include "interp.h"
#include "iso.h"
#include "gencases.h"
#include "caseio.h"
#include "native.h"
#include "eu_hand.h"
#include "bench_common.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const IrRecord *record(const IrVocabulary *voc, const char *name) {
    for (size_t i = 0; i < voc->records.len; i++) {
        const IrRecord *r = voc->records.items[i];
        if (!strcmp(r->name, name)) return r;
    }
    return NULL;
}

/* The hand-written structs must be the ABI layout (layout.c), field by field. */
typedef struct Mirror {
    const char *rec, *field;
    size_t offset, size;
} Mirror;
#define M(S, R, F) {R, #F, offsetof(S, F), sizeof(((S *)0)->F)}
static const Mirror mirrors[] = {
    M(EuPerson, "person", nationalities), M(EuPerson, "person", stateless), M(EuPerson, "person", refugee),
    M(EuPerson, "person", residence), M(EuPerson, "person", birth_date), M(EuPerson, "person", migration_status),
    M(EuPerson, "person", role),
    M(EuPosting, "posting", sending_state), M(EuPosting, "posting", start), M(EuPosting, "posting", anticipated_end),
    M(EuPosting, "posting", months_insured_before), M(EuPosting, "posting", replaces_posted_person),
    M(EuPosting, "posting", employer_substantial_activity), M(EuPosting, "posting", similar_activity),
    M(EuActivity, "activity", state), M(EuActivity, "activity", kind), M(EuActivity, "activity", sector),
    M(EuActivity, "activity", employer_seat), M(EuActivity, "activity", share), M(EuActivity, "activity", marginal),
    M(EuActivity, "activity", flag_state), M(EuActivity, "activity", home_base), M(EuActivity, "activity", posted),
    M(EuActivity, "activity", posting), M(EuActivity, "activity", qualified), M(EuActivity, "activity", skilled),
    M(EuPeriod, "period", state), M(EuPeriod, "period", branch), M(EuPeriod, "period", from), M(EuPeriod, "period", to),
    M(EuPeriod, "period", type),
    M(EuAmount, "amount", state), M(EuAmount, "amount", theoretical), M(EuAmount, "amount", independent),
    M(EuAmount, "amount", full_benefit_months),
    M(EuClaim, "claim", branch), M(EuClaim, "claim", date), M(EuClaim, "claim", residence), M(EuClaim, "claim", amounts),
    M(EuCase, "case", date), M(EuCase, "case", person), M(EuCase, "case", activities),
    M(EuCase, "case", unemployment_benefit_from), M(EuCase, "case", armed_service), M(EuCase, "case", exception_state),
    M(EuCase, "case", periods), M(EuCase, "case", claim), M(EuCase, "case", departed),
};
static const struct { const char *rec; size_t size; } sizes[] = {
    {"person", sizeof(EuPerson)}, {"posting", sizeof(EuPosting)}, {"activity", sizeof(EuActivity)},
    {"period", sizeof(EuPeriod)}, {"amount", sizeof(EuAmount)}, {"claim", sizeof(EuClaim)}, {"case", sizeof(EuCase)}};

static bool check_layout(const IrVocabulary *voc, const Layout *lay) {
    int nfields[7] = {0};
    for (size_t i = 0; i < sizeof mirrors / sizeof mirrors[0]; i++) {
        const Mirror *m = &mirrors[i];
        const IrRecord *r = record(voc, m->rec);
        int f = -1;
        for (int k = 0; r && k < r->nfields; k++)
            if (!strcmp(r->fields[k].name, m->field)) f = k;
        if (f < 0) {
            fprintf(stderr, "eu_bench: the vocabulary has no field %s.%s (eu_hand.h)\n", m->rec, m->field);
            return false;
        }
        uint32_t sz, al;
        layout_type(lay, r->fields[f].type, &sz, &al);
        if (layout_of(lay, r)->offset[f] != m->offset || sz != m->size) {
            fprintf(stderr, "eu_bench: %s.%s is at %u (%u bytes) in the ABI layout, at %zu (%zu bytes) in eu_hand.h\n",
                    m->rec, m->field, layout_of(lay, r)->offset[f], sz, m->offset, m->size);
            return false;
        }
        for (int k = 0; k < 7; k++)
            if (!strcmp(sizes[k].rec, m->rec)) nfields[k]++;
    }
    for (int k = 0; k < 7; k++) {
        const IrRecord *r = record(voc, sizes[k].rec);
        if (!r || layout_of(lay, r)->size != sizes[k].size || r->nfields != nfields[k]) {
            fprintf(stderr, "eu_bench: record %s has changed (size or fields) since eu_hand.h was written\n", sizes[k].rec);
            return false;
        }
    }
    return true;
}

static int enum_ord(const IrVocabulary *voc, const char *en, const char *c) {
    for (size_t i = 0; i < voc->enums.len; i++) {
        const IrEnum *e = voc->enums.items[i];
        if (strcmp(e->name, en)) continue;
        for (int k = 0; k < e->n; k++)
            if (!strcmp(e->consts[k], c)) return k + 1;
    }
    return -1;
}

/* The rule structure the hand-written combination assumes (eu_hand.c):
 * each rule's exceptions, in order, and its priority. */
static const struct { int rule; int64_t priority; int exceptions[13]; } structure[] = {
    {EU_R_LEX_LOCI_LABORIS, 0, {EU_R_FLAG_STATE, EU_R_HOME_BASE, EU_R_POSTED_EMPLOYEE, EU_R_POSTED_SELF_EMPLOYED,
                                EU_R_SUBSTANTIAL_PART_EMPLOYED, EU_R_SINGLE_EMPLOYER_SEAT, EU_R_OTHER_SEAT_THAN_RESIDENCE,
                                EU_R_SEATS_IN_OTHER_STATES, EU_R_SUBSTANTIAL_PART_SELF, EU_R_EMPLOYED_PREVAILS,
                                EU_R_CIVIL_SERVANT_OTHER, EU_R_COMMON_AGREEMENT, -1}},
    /* Arts 12 and 13 are exceptions to every point of 11(3) ("subject to") */
    {EU_R_CIVIL_SERVANT, 0, {EU_R_POSTED_EMPLOYEE, EU_R_POSTED_SELF_EMPLOYED, EU_R_SUBSTANTIAL_PART_EMPLOYED,
                                  EU_R_SINGLE_EMPLOYER_SEAT, EU_R_OTHER_SEAT_THAN_RESIDENCE, EU_R_SEATS_IN_OTHER_STATES,
                                  EU_R_SUBSTANTIAL_PART_SELF, EU_R_EMPLOYED_PREVAILS, EU_R_CIVIL_SERVANT_OTHER,
                                  EU_R_COMMON_AGREEMENT, -1}},
    {EU_R_UNEMPLOYMENT_BENEFIT, 0, {EU_R_POSTED_EMPLOYEE, EU_R_POSTED_SELF_EMPLOYED, EU_R_SUBSTANTIAL_PART_EMPLOYED,
                                         EU_R_SINGLE_EMPLOYER_SEAT, EU_R_OTHER_SEAT_THAN_RESIDENCE, EU_R_SEATS_IN_OTHER_STATES,
                                         EU_R_SUBSTANTIAL_PART_SELF, EU_R_EMPLOYED_PREVAILS, EU_R_CIVIL_SERVANT_OTHER,
                                         EU_R_COMMON_AGREEMENT, -1}},
    {EU_R_ARMED_SERVICE, 0, {EU_R_POSTED_EMPLOYEE, EU_R_POSTED_SELF_EMPLOYED, EU_R_SUBSTANTIAL_PART_EMPLOYED,
                                  EU_R_SINGLE_EMPLOYER_SEAT, EU_R_OTHER_SEAT_THAN_RESIDENCE, EU_R_SEATS_IN_OTHER_STATES,
                                  EU_R_SUBSTANTIAL_PART_SELF, EU_R_EMPLOYED_PREVAILS, EU_R_CIVIL_SERVANT_OTHER,
                                  EU_R_COMMON_AGREEMENT, -1}},
    /* point (e): Art. 12 and 13(4) only (13(1)-(3) cannot meet it) */
    {EU_R_RESIDENCE, 0, {EU_R_POSTED_EMPLOYEE, EU_R_POSTED_SELF_EMPLOYED, EU_R_CIVIL_SERVANT_OTHER, EU_R_COMMON_AGREEMENT, -1}},
    {EU_R_FLAG_STATE, 0, {EU_R_REMUNERATING_UNDERTAKING, EU_R_POSTED_EMPLOYEE, EU_R_POSTED_SELF_EMPLOYED,
                          EU_R_COMMON_AGREEMENT, -1}},
    {EU_R_REMUNERATING_UNDERTAKING, 0, {EU_R_COMMON_AGREEMENT, -1}},
    {EU_R_HOME_BASE, 0, {EU_R_POSTED_EMPLOYEE, EU_R_POSTED_SELF_EMPLOYED, EU_R_COMMON_AGREEMENT, -1}},
    {EU_R_POSTED_EMPLOYEE, 0, {-1}},
    {EU_R_POSTED_SELF_EMPLOYED, 0, {-1}},
    {EU_R_SUBSTANTIAL_PART_EMPLOYED, 0, {EU_R_EMPLOYER_OUTSIDE_UNION, -1}},
    {EU_R_SINGLE_EMPLOYER_SEAT, 0, {EU_R_EMPLOYER_OUTSIDE_UNION, -1}},
    {EU_R_OTHER_SEAT_THAN_RESIDENCE, 0, {EU_R_EMPLOYER_OUTSIDE_UNION, -1}},
    {EU_R_SEATS_IN_OTHER_STATES, 0, {EU_R_EMPLOYER_OUTSIDE_UNION, -1}},
    {EU_R_SUBSTANTIAL_PART_SELF, 0, {-1}},
    {EU_R_EMPLOYED_PREVAILS, 0, {-1}},
    {EU_R_CIVIL_SERVANT_OTHER, 1, {-1}},
    {EU_R_COMMON_AGREEMENT, 2, {-1}},
    {EU_R_EMPLOYER_OUTSIDE_UNION, 0, {-1}},
};

/* rule id (IrRule.id) -> EU_R_*, or -1 */
static int *rule_index;

static bool check_agreement(const IrAgreement *ag, const IrQuestion *q, const IrVocabulary *voc) {
    if (enum_ord(voc, "activity_kind", "employed") != EU_KIND_EMPLOYED ||
        enum_ord(voc, "activity_kind", "self_employed") != EU_KIND_SELF_EMPLOYED ||
        enum_ord(voc, "activity_kind", "civil_servant") != EU_KIND_CIVIL_SERVANT ||
        enum_ord(voc, "sector", "sea") != EU_SECTOR_SEA || enum_ord(voc, "sector", "air") != EU_SECTOR_AIR ||
        enum_ord(voc, "role", "family_member") != EU_ROLE_FAMILY_MEMBER ||
        enum_ord(voc, "role", "survivor") != EU_ROLE_SURVIVOR) {
        fprintf(stderr, "eu_bench: eu_hand.h enum constants no longer match the vocabulary\n");
        return false;
    }
    /* parties and their dates, and the date of application */
    for (int c = 1; c < 256; c++) {
        acc_date probes[8] = {acc_date_min(), acc_date_max(), ag->in_force, 0, 0, 0, 0, 0};
        int np = 3;
        if (ag->party_from[c] > acc_date_min() && ag->party_from[c] <= acc_date_max())
            probes[np++] = ag->party_from[c], probes[np++] = ag->party_from[c] - 1;
        if (ag->party_until[c] > acc_date_min() && ag->party_until[c] <= acc_date_max()) probes[np++] = ag->party_until[c], probes[np++] = ag->party_until[c] - 1;
        for (int k = 0; k < np; k++) {
            acc_date d = probes[k];
            bool want = set_has(&ag->parties, c) && d >= ag->party_from[c] && d < ag->party_until[c];
            if (eu_party(c, acc_cdate_from(d)) != want) {
                fprintf(stderr, "eu_bench: party %s differs between eu_hand.c and the agreement\n", acc_country_code(c));
                return false;
            }
        }
    }
    if (ag->in_force != acc_date_from_ymd(EU_IN_FORCE_Y, EU_IN_FORCE_M, EU_IN_FORCE_D) || ag->terminates != INT32_MAX ||
        ag->personal_scope.len != 4) {
        fprintf(stderr, "eu_bench: the dates or the personal scope of the agreement changed since eu_hand.c was written\n");
        return false;
    }
    /* the rules and their exceptions */
    rule_index = xmalloc(sizeof *rule_index * (ag->rules.len + 1));
    for (size_t i = 0; i <= ag->rules.len; i++) rule_index[i] = -1;
    if (q->rules.len != EU_NRULES) {
        fprintf(stderr, "eu_bench: applicable_legislation has %zu rules, eu_hand.c knows %d\n", q->rules.len, EU_NRULES);
        return false;
    }
    const IrRule *by_index[EU_NRULES] = {0};
    for (size_t i = 0; i < q->rules.len; i++) {
        const IrRule *r = q->rules.items[i];
        int k = -1;
        for (int j = 0; j < EU_NRULES; j++)
            if (r->label && !strcmp(r->label, eu_rule_labels[j])) k = j;
        if (k < 0 || by_index[k] || r->from != INT32_MIN || r->until != INT32_MAX) {
            fprintf(stderr, "eu_bench: rule %s (%s) is not one eu_hand.c knows, or has dates\n", r->label ? r->label : "?",
                    r->cite);
            return false;
        }
        by_index[k] = r;
        rule_index[r->id] = k;
    }
    for (int j = 0; j < EU_NRULES; j++) {
        int k = structure[j].rule;
        const IrRule *r = by_index[k];
        size_t ne = 0;
        while (structure[j].exceptions[ne] >= 0) ne++;
        bool same = r->priority == structure[j].priority && r->exceptions.len == ne;
        for (size_t e = 0; same && e < ne; e++)
            same = r->exceptions.items[e] == by_index[structure[j].exceptions[e]];
        if (!same) {
            fprintf(stderr, "eu_bench: the exceptions or the priority of %s changed since eu_hand.c was written\n",
                    eu_rule_labels[k]);
            return false;
        }
    }
    return true;
}

/* The interpreter's outcome in the hand-written code's terms. */
static EuAnswer from_outcome(const Outcome *o) {
    EuAnswer a = {o->kind, 0, 0, {-1, -1}, {0, 0}};
    for (int i = 0; i < o->nrules; i++) {
        int k = rule_index[o->rules[i]->id];
        a.rules |= k >= 0 ? 1u << k : 1u << 31; /* 31: a rule eu_hand.c does not know */
        if (i < 2) a.rule[i] = k;
    }
    if (o->kind == OUT_DECIDED) a.value = (int)o->value.i, a.rule[1] = -1;
    else if (o->kind == OUT_CONFLICT) a.values[0] = (int)o->values[0].i, a.values[1] = (int)o->values[1].i;
    else if (o->kind == OUT_ERROR) a.rule[1] = -1;
    else a.rules = 0, a.rule[0] = a.rule[1] = -1;
    return a;
}

static bool same_answer(const EuAnswer *a, const EuAnswer *b) {
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case ACC_DECIDED: return a->value == b->value && a->rules == b->rules && a->rule[0] == b->rule[0];
    case ACC_CONFLICT:
        return a->rule[0] == b->rule[0] && a->rule[1] == b->rule[1] && a->values[0] == b->values[0] &&
               a->values[1] == b->values[1];
    case ACC_ERROR: return a->rule[0] == b->rule[0];
    default: return true;
    }
}

static void describe(const EuAnswer *a, char *buf, size_t n) {
    const char *kinds[] = {"decided", "conflict", "undetermined", "not covered", "error"};
    int len = snprintf(buf, n, "%s", a->kind >= 0 && a->kind <= 4 ? kinds[a->kind] : "nothing");
    if (a->kind == ACC_DECIDED) len += snprintf(buf + len, n - (size_t)len, " %s", acc_country_code(a->value) ? acc_country_code(a->value) : "none");
    if (a->kind == ACC_CONFLICT)
        len += snprintf(buf + len, n - (size_t)len, " %s/%s", acc_country_code(a->values[0]) ? acc_country_code(a->values[0]) : "none",
                        acc_country_code(a->values[1]) ? acc_country_code(a->values[1]) : "none");
    for (int k = 0; k < 32 && len < (int)n - 40; k++)
        if (a->rules >> k & 1) len += snprintf(buf + len, n - (size_t)len, " %s", k < EU_NRULES ? eu_rule_labels[k] : "?");
}

static void show_case(const IrVocabulary *voc, const Value *kase, long i) {
    char id[32];
    snprintf(id, sizeof id, "case-%ld", i);
    json_t *j = case_to_json(voc, kase, id, false);
    char *s = json_dumps(j, JSON_COMPACT);
    fprintf(stderr, "  %s\n", s);
    free(s);
    json_decref(j);
}

/* ---- crafted cases: shares whose exact sum overflows 64 bits --------------
 * The generator's shares never overflow, so these few cases exercise the
 * failure path of the combination (SPEC §6.3: a failing rule is the answer
 * unless a rule of higher priority decided). */
static Value *fld(const Value *v, const IrRecord *r, const char *name) {
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name)) return &v->agg.items[i];
    fprintf(stderr, "eu_bench: the vocabulary has no field %s.%s\n", r->name, name);
    exit(2);
}
static int country(const char *code) { return acc_country_lookup(code, 2); }

/* kinds: 'e' employed, 's' self-employed, 'c' civil servant (seat AT) */
static Value crafted(const IrVocabulary *voc, Arena *a, const char *res, const char *exception, const char *kinds,
                     const char *const *states, const int64_t *share_den) {
    const IrRecord *cr = voc->case_rec, *pr = record(voc, "person"), *ar = record(voc, "activity");
    Type ct = {TY_RECORD, NULL, NULL, cr}, at = {TY_RECORD, NULL, NULL, ar};
    Value v = value_default(a, &ct);
    fld(&v, cr, "date")->i = acc_date_from_ymd(2020, 6, 1);
    Value *pe = fld(&v, cr, "person");
    set_add(fld(pe, pr, "nationalities"), country("DE"));
    fld(pe, pr, "residence")->i = country(res);
    if (exception) fld(&v, cr, "exception_state")->i = country(exception);
    Value *list = fld(&v, cr, "activities");
    list->agg.n = (uint32_t)strlen(kinds);
    list->agg.items = arena_alloc(a, sizeof(Value) * list->agg.n);
    for (uint32_t k = 0; k < list->agg.n; k++) {
        Value x = value_default(a, &at);
        fld(&x, ar, "state")->i = country(states[k]);
        fld(&x, ar, "kind")->i = kinds[k] == 'e' ? EU_KIND_EMPLOYED : kinds[k] == 's' ? EU_KIND_SELF_EMPLOYED : EU_KIND_CIVIL_SERVANT;
        if (kinds[k] == 'c') fld(&x, ar, "employer_seat")->i = country("AT");
        else fld(&x, ar, "employer_seat")->i = country(states[k]);
        rat_make(1, share_den[k], &fld(&x, ar, "share")->q);
        list->agg.items[k] = x;
    }
    return v;
}
#define P1 INT64_C(4294967291) /* primes near 2^32: 1/P1 + 1/P2 does not fit */
#define P2 INT64_C(4294967279)
static int add_crafted(const IrVocabulary *voc, Arena *a, Value *out) {
    static const char *const de2fr[] = {"DE", "DE", "FR", "AT"}, *const us2[] = {"US", "US", "DE", "FR"};
    static const int64_t dens[] = {P1, P2, 2, 2};
    int k = 0;
    out[k++] = crafted(voc, a, "DE", NULL, "eee", de2fr, dens);  /* fails in 987/2009 14(11) */
    out[k++] = crafted(voc, a, "US", NULL, "eeee", us2, dens);   /* residence outside: fails in 13(1)(b)(i) */
    out[k++] = crafted(voc, a, "DE", NULL, "sss", de2fr, dens);  /* fails in 13(2)(a) */
    out[k++] = crafted(voc, a, "DE", NULL, "eeec", de2fr, dens); /* 13(4), priority 1, outweighs the failure */
    out[k++] = crafted(voc, a, "DE", "PL", "eee", de2fr, dens);  /* 16(1), priority 2 */
    return k;
}
#define NCRAFTED 5

/* this process's CPU time in seconds: on a machine loaded by other work the
 * ratio of CPU times varies less than that of wall times */
static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The hand-written C's timed loop, apart (noinline) like run_compiled
 * (bench_common.h), so that callgrind counts each alone; the figures of
 * bench/README.md are taken so. */
__attribute__((noinline)) static long run_hand(const EuCase *const *pc, long n, int reps) {
    long sink = 0;
    for (int rep = 0; rep < reps; rep++)
        for (long i = 0; i < n; i++) sink += eu_decide(pc[i]).value;
    return sink;
}

int main(int argc, char **argv) {
    long n = 1000000;
    bool check_only = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--check")) check_only = true;
        else if ((n = atol(argv[i])) <= 0) {
            fprintf(stderr, "usage: eu_bench [N] [--check]\n");
            return 2;
        }
    }
    Compilation cx;
    cx_init(&cx);
    const char *paths[] = {"agreements"};
    DriverOptions opt = {0};
    Loaded l;
    if (!drv_load(&cx, paths, 1, &opt, &l) || diag_error_count(&cx)) {
        diag_render(&cx, stderr, DIAG_FMT_HUMAN, false);
        return 2;
    }
    const IrAgreement *ag = NULL;
    for (size_t i = 0; i < l.agreements.len; i++)
        if (!strcmp(((const IrAgreement *)l.agreements.items[i])->id, "eu_883_2004")) ag = l.agreements.items[i];
    const IrQuestion *q = ag ? ir_question(ag, "applicable_legislation") : NULL;
    Layout *lay = layout_new(l.voc, &cx.arena);
    if (!q || !eu_init() || !check_layout(l.voc, lay) || !check_agreement(ag, q, l.voc)) {
        if (!q) fprintf(stderr, "eu_bench: agreements/ has no eu_883_2004 with applicable_legislation\n");
        return 2;
    }
    char err[512];
    Native *nat = native_new(ag, lay, &cx, false, err, sizeof err);
    if (!nat) {
        fprintf(stderr, "eu_bench: %s\n", err);
        return 2;
    }
    const acc_module *m = native_module(nat);
    acc_ask_fn ask = m->questions[q->id].ask;

    /* the cases, as Values (interpreter) and packed (C, compiled code) */
    GenOptions go = {.seed = 1, .count = n};
    Generator *gen = gen_new(l.voc, &ag, 1, &go);
    Arena A = {0}, P = {0}; /* the packed cases apart, contiguous, as a host would hold them */
    Value *vc = xmalloc(sizeof *vc * (size_t)(n + NCRAFTED));
    const EuCase **pc = xmalloc(sizeof *pc * (size_t)(n + NCRAFTED));
    for (long i = 0; i < n; i++) vc[i] = gen_next(gen, &A, NULL, 0);
    gen_free(gen);
    long all = n + add_crafted(l.voc, &A, vc + n);
    for (long i = 0; i < all; i++) pc[i] = native_pack(nat, &vc[i], &P);

    /* the differential checks: the interpreter is the oracle */
    Interp *in = interp_new(ag);
    long mismatches = 0, cmismatches = 0, crafted_errors = 0, conflicts[EU_NRULES][EU_NRULES] = {{0}}, kinds[5] = {0}, by_rule[32] = {0};
    for (long i = 0; i < all; i++) {
        Outcome o = interp_ask(in, &vc[i], q, NULL);
        EuAnswer want = from_outcome(&o), hand = eu_decide(pc[i]);
        if (i < n && want.kind >= 0 && want.kind < 5) kinds[want.kind]++;
        if (i >= n) {
            char wb[512];
            describe(&want, wb, sizeof wb);
            printf("crafted case %ld: %s\n", i - n + 1, wb);
            crafted_errors += want.kind == ACC_ERROR;
        }
        if (i < n && want.kind == ACC_CONFLICT && want.rule[0] >= 0 && want.rule[1] >= 0) conflicts[want.rule[0]][want.rule[1]]++;
        if (i < n && want.kind == ACC_DECIDED)
            for (int k = 0; k < 32; k++) by_rule[k] += want.rules >> k & 1;
        if (!same_answer(&want, &hand) && mismatches++ < 5) {
            char wb[512], hb[512];
            describe(&want, wb, sizeof wb);
            describe(&hand, hb, sizeof hb);
            fprintf(stderr, "mismatch on case %ld: interpreter says %s; hand-written C says %s\n", i, wb, hb);
            show_case(l.voc, &vc[i], i);
        }
        /* compiled code: the full outcome through native_ask, and the raw entry point timed below */
        Outcome co = native_ask(nat, pc[i], q, NULL, NULL);
        EuAnswer got = from_outcome(&co);
        acc_result r;
        ask(pc[i], NULL, &r);
        if ((!same_answer(&want, &got) || r.kind != (int32_t)co.kind || (r.kind == ACC_DECIDED && r.value.i != co.value.i)) &&
            cmismatches++ < 5) {
            char wb[512], cb[512];
            describe(&want, wb, sizeof wb);
            describe(&got, cb, sizeof cb);
            fprintf(stderr, "mismatch on case %ld: interpreter says %s; compiled code says %s\n", i, wb, cb);
            show_case(l.voc, &vc[i], i);
        }
    }
    printf("EU 883/2004 applicable_legislation: %ld cases: %ld decided, %ld conflict, %ld undetermined, %ld not covered, "
           "%ld error\n",
           n, kinds[ACC_DECIDED], kinds[ACC_CONFLICT], kinds[ACC_UNDETERMINED], kinds[ACC_NOT_COVERED], kinds[ACC_ERROR]);
    printf("and %d crafted cases with shares whose sum overflows: %ld errors\n", NCRAFTED, crafted_errors);
    printf("decided by:");
    for (int k = 0; k < EU_NRULES; k++) printf(" %s %ld%s", eu_rule_labels[k], by_rule[k], k + 1 < EU_NRULES ? "," : "\n");
    printf("conflicts between:");
    for (int a = 0; a < EU_NRULES; a++)
        for (int b = 0; b < EU_NRULES; b++)
            if (conflicts[a][b]) printf(" %s/%s %ld", eu_rule_labels[a], eu_rule_labels[b], conflicts[a][b]);
    printf("\n");
    printf("%ld mismatches between the interpreter and hand-written C (%ld cases)\n", mismatches, all);
    printf("%ld mismatches between the interpreter and compiled code (%ld cases)\n", cmismatches, all);
    mismatches += cmismatches;

    if (!check_only && !mismatches) {
        volatile long sink = 0;
        int reps = 10;
        double t0 = now(), c0 = cpu_now();
        sink += run_hand(pc, n, reps);
        double hand = (now() - t0) / reps, hand_cpu = cpu_now() - c0;
        t0 = now(), c0 = cpu_now();
        sink += run_compiled(ask, (const void *const *)pc, n, reps);
        double compiled = (now() - t0) / reps, compiled_cpu = cpu_now() - c0;
        t0 = now();
        for (long i = 0; i < n; i++) sink += interp_ask(in, &vc[i], q, NULL).value.i;
        double interp = now() - t0;
        (void)sink;
        printf("hand-written C:        %12.0f cases/s (%d passes)\n", n / hand, reps);
        printf("compiled (LLVM JIT):   %12.0f cases/s (%d passes, single-case entry point)\n", n / compiled, reps);
        printf("reference interpreter: %12.0f cases/s (1 pass)\n", n / interp);
        printf("ratio compiled / C:           %.2f (time)\n", compiled / hand);
        printf("ratio compiled / C:           %.2f (CPU time)\n", compiled_cpu / hand_cpu);
        printf("ratio interpreter / compiled: %.0fx\n", interp / compiled);
        printf("ratio interpreter / C:        %.0fx\n", interp / hand);
    }
    interp_free(in);
    native_free(nat);
    free(rule_index);
    free(pc);
    free(vc);
    arena_free_all(&A);
    arena_free_all(&P);
    cx_free(&cx);
    printf("%d passed, %d failed\n", mismatches ? 0 : 1, mismatches ? 1 : 0);
    return mismatches ? 1 : 0;
}
