/* The case generator (gencases.h) against the shipped agreements, loaded
 * from agreements/ (the tests run from the repository root) with the
 * embedded prelude:
 *   (a) determinism: a seed gives byte-identical JSON, another seed differs;
 *   (b) validity: every case survives case_to_json -> case_from_line;
 *   (c) boundaries: postings of exactly the PH-DE and EU posting limits and
 *       one month more, determination dates on the entry into force and
 *       the day before; every enum constant and none in every enum field;
 *   (d) robustness: generated cases through the reference interpreter
 *       (every question, arguments from the parties and the branch enum)
 *       and through the evaluator and `explain` (engine_eval_case,
 *       engine_explain): no crash, only the documented outcome kinds.  The
 *       outcome distribution is logged, never asserted.
 * A case that breaks the case I/O or the interpreter is appended to
 * /tmp/bugs-gen.txt (the case JSON and the agreement) as soon as it is seen. */
#include "accord_rt.h"
#include "caseio.h"
#include "diag.h"
#include "driver.h"
#include "eval.h"
#include "gencases.h"
#include "interp.h"
#include "iso.h"
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

#define BUGS_FILE "/tmp/bugs-gen.txt"

static Compilation cx;
static Loaded lib;
static const IrAgreement *ags[64];
static int nag;

static void setup(void) {
    cx_init(&cx);
    const char *paths[] = {"agreements"};
    DriverOptions opt = {0};
    bool ok = drv_load(&cx, paths, 1, &opt, &lib);
    if (diag_error_count(&cx)) diag_render(&cx, stderr, DIAG_FMT_HUMAN, false);
    cr_assert(ok, "agreements/ loads (run the tests from the repository root)");
    cr_assert_eq(diag_error_count(&cx), 0, "the shipped agreements check");
    cr_assert_eq(lib.broken.len, 0);
    cr_assert(lib.agreements.len >= 2 && lib.agreements.len <= 64);
    nag = (int)lib.agreements.len;
    for (int i = 0; i < nag; i++) ags[i] = lib.agreements.items[i];
}

static void teardown(void) { cx_free(&cx); }

static Generator *new_gen(uint64_t seed) {
    GenOptions o = {seed, 0};
    return gen_new(lib.voc, ags, nag, &o);
}

/* the case as compact canonical JSON; the caller frees */
static char *case_text(const Value *k, const char *id, bool full) {
    json_t *j = case_to_json(lib.voc, k, id, full);
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return s;
}

static void append_bug(const char *what, const char *agreement, const char *casejson) {
    FILE *f = fopen(BUGS_FILE, "a");
    if (!f) return;
    fprintf(f, "---- test_gencases: %s\nagreement: %s\ncase: %s\n", what, agreement ? agreement : "(none)",
            casejson ? casejson : "(none)");
    fclose(f);
}

/* What is being evaluated, for the crash hook: a crash or a sanitizer report
 * still leaves a repro in BUGS_FILE. */
static struct {
    const char *what;
    const IrQuestion *q;  /* with what == "interp_ask" */
    const Value *args;
    const char *agreement;
    char *casejson;
    int sig;
} current;

static void dump_current(void) {
    if (!current.casejson) return;
    char what[512];
    snprintf(what, sizeof what, "crash in %s", current.what ? current.what : "?");
    if (current.q && current.args) {
        snprintf(what + strlen(what), sizeof what - strlen(what), " %s(", current.q->name);
        for (int i = 0; i < current.q->nparams && i < 8; i++) {
            if (i) snprintf(what + strlen(what), sizeof what - strlen(what), ", ");
            value_format(what + strlen(what), sizeof what - strlen(what), &current.args[i], current.q->ptypes[i]);
        }
        snprintf(what + strlen(what), sizeof what - strlen(what), ")");
    }
    if (current.sig) snprintf(what + strlen(what), sizeof what - strlen(what), " (signal %d)", current.sig);
    append_bug(what, current.agreement, current.casejson);
    current.casejson = NULL;
}
static void on_signal(int sig) {
    current.sig = sig;
    dump_current();
    signal(sig, SIG_DFL);
    raise(sig);
}
/* UndefinedBehaviorSanitizer has its own runtime, which ignores the death
 * callback: make it abort, so that the SIGABRT handler records the case.
 * (Unused without -fsanitize=undefined; UBSAN_OPTIONS still overrides it.) */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "abort_on_error=1"; }

static void arm_crash_hook(void) {
    signal(SIGSEGV, on_signal);
    signal(SIGABRT, on_signal);
    signal(SIGBUS, on_signal);
    signal(SIGFPE, on_signal);
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_set_death_callback(dump_current);
#endif
}

/* ---- (a) determinism ---------------------------------------------------------- */

Test(gencases, same_seed_same_cases_other_seed_other_cases, .init = setup, .fini = teardown) {
    Generator *g1 = new_gen(42), *g2 = new_gen(42), *g3 = new_gen(43);
    Arena a = {0};
    int same_as_other_seed = 0;
    for (int i = 0; i < 1000; i++) {
        char id1[64], id2[64], id3[64];
        Value k1 = gen_next(g1, &a, id1, sizeof id1);
        Value k2 = gen_next(g2, &a, id2, sizeof id2);
        Value k3 = gen_next(g3, &a, id3, sizeof id3);
        char *s1 = case_text(&k1, id1, false), *s2 = case_text(&k2, id2, false), *s3 = case_text(&k3, id3, false);
        cr_assert_str_eq(s1, s2, "case %d differs for one seed", i);
        /* the id names the seed; compare the facts */
        if (!strcmp(strchr(s1, ','), strchr(s3, ','))) same_as_other_seed++;
        free(s1);
        free(s2);
        free(s3);
        arena_free_all(&a);
    }
    cr_expect_lt(same_as_other_seed, 10, "%d of 1000 cases are the same for seeds 42 and 43", same_as_other_seed);
    gen_free(g1);
    gen_free(g2);
    gen_free(g3);
}

Test(gencases, count_does_not_change_the_stream, .init = setup, .fini = teardown) {
    GenOptions o1 = {7, 10}, o2 = {7, 1000000};
    Generator *g1 = gen_new(lib.voc, ags, nag, &o1), *g2 = gen_new(lib.voc, ags, nag, &o2);
    Arena a = {0};
    for (int i = 0; i < 50; i++) {
        char id1[64], id2[64];
        Value k1 = gen_next(g1, &a, id1, sizeof id1), k2 = gen_next(g2, &a, id2, sizeof id2);
        cr_assert(value_eq(&k1, &k2));
        cr_assert_str_eq(id1, id2);
    }
    arena_free_all(&a);
    gen_free(g1);
    gen_free(g2);
}

Test(gencases, no_agreements_still_gives_valid_cases, .init = setup, .fini = teardown) {
    GenOptions o = {3, 0};
    Generator *g = gen_new(lib.voc, NULL, 0, &o);
    Arena a = {0};
    for (int i = 0; i < 500; i++) {
        char id[64];
        Value k = gen_next(g, &a, id, sizeof id);
        char *s = case_text(&k, id, false);
        Value back;
        const char *bid;
        CaseError err;
        bool ok = case_from_line(lib.voc, &a, s, strlen(s), &back, &bid, &err);
        if (!ok) append_bug("case_from_line rejects a generated case (no agreements)", NULL, s);
        cr_assert(ok, "%s: %s in %s", err.path, err.message, s);
        free(s);
        arena_free_all(&a);
    }
    gen_free(g);
}

/* ---- (b) validity --------------------------------------------------------------- */

Test(gencases, ten_thousand_cases_round_trip, .init = setup, .fini = teardown) {
    Generator *g = new_gen(1);
    Arena a = {0};
    int full_rejected = 0;
    for (int i = 0; i < 10000; i++) {
        char id[64];
        Value k = gen_next(g, &a, id, sizeof id);
        char *s = case_text(&k, id, false);
        Value back;
        const char *bid;
        CaseError err;
        bool ok = case_from_line(lib.voc, &a, s, strlen(s), &back, &bid, &err);
        if (!ok) append_bug("case_from_line rejects a generated case", NULL, s);
        cr_assert(ok, "case %d: %s: %s\n%s", i, err.path, err.message, s);
        cr_assert_str_eq(bid, id);
        cr_assert(value_eq(&k, &back), "case %d reads back different facts: %s", i, s);
        char *s2 = case_text(&back, bid, false);
        cr_assert_str_eq(s, s2, "case %d: JSON -> case -> JSON changes it", i);
        /* the `full` rendering (every default written out) reads back too
         * (checked on one case in five) */
        if (i % 5 == 0) {
            char *f = case_text(&k, id, true);
            if (!case_from_line(lib.voc, &a, f, strlen(f), &back, &bid, &err)) {
                if (!full_rejected++) append_bug("case_to_json(full=true) of a valid case does not read back", NULL, f);
                cr_expect(false, "case %d, full form: %s: %s\n%s", i, err.path, err.message, f);
            } else {
                cr_expect(value_eq(&k, &back), "case %d, full form: reads back different facts", i);
            }
            free(f);
        }
        free(s);
        free(s2);
        arena_free_all(&a);
    }
    gen_free(g);
}

/* ---- (c) boundaries --------------------------------------------------------------- */

static int fidx(const IrRecord *r, const char *name) {
    for (int i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name)) return i;
    cr_assert_fail("the prelude has no field %s.%s", r->name, name);
    return -1;
}

static const IrAgreement *agreement(const char *id) {
    for (int i = 0; i < nag; i++)
        if (!strcmp(ags[i]->id, id)) return ags[i];
    cr_assert_fail("no agreement %s", id);
    return NULL;
}

/* every value a parameter takes, as months */
static int param_months(const IrAgreement *ag, const char *name, int64_t *out, int max) {
    int n = 0;
    for (size_t i = 0; i < ag->parameters.len; i++) {
        const IrParameter *p = ag->parameters.items[i];
        if (strcmp(p->name, name) || p->type->kind != TY_MONTHS) continue;
        for (int k = 0; k < p->n && n < max; k++) out[n++] = p->value[k].i;
    }
    cr_assert(n > 0, "%s has a months parameter %s", ag->id, name);
    return n;
}

/* the prelude's posting_months (SPEC §7.4), computed directly */
static int64_t posting_months(int64_t start, int64_t end) {
    if (start == acc_date_min() || end == acc_date_min() || end < start) return 1200;
    return acc_period_months((acc_date)start, (acc_date)end);
}

Test(gencases, postings_reach_the_limits_and_one_month_more, .init = setup, .fini = teardown) {
    int64_t limits[16];
    int nl = param_months(agreement("ph_de"), "max_posting", limits, 8);
    nl += param_months(agreement("eu_883_2004"), "max_posting", limits + nl, 8);
    long at[16] = {0}, above[16] = {0}, posted = 0;
    const IrRecord *c = lib.voc->case_rec;
    int fact = fidx(c, "activities");
    const IrRecord *ar = c->fields[fact].type->elem->rec;
    int fposted = fidx(ar, "posted"), fposting = fidx(ar, "posting");
    const IrRecord *pr = ar->fields[fposting].type->rec;
    int fstart = fidx(pr, "start"), fend = fidx(pr, "anticipated_end");
    /* and determination dates on the day of entry into force and the day before */
    const IrAgreement *phde = agreement("ph_de");
    long on_force = 0, day_before = 0;
    int fdate = fidx(c, "date");
    Generator *g = new_gen(2);
    Arena a = {0};
    for (int i = 0; i < 10000; i++) {
        char id[64];
        Value k = gen_next(g, &a, id, sizeof id);
        if (k.agg.items[fdate].i == phde->in_force) on_force++;
        if (k.agg.items[fdate].i == phde->in_force - 1) day_before++;
        const Value *acts = &k.agg.items[fact];
        for (uint32_t j = 0; j < acts->agg.n; j++) {
            const Value *act = &acts->agg.items[j];
            if (!act->agg.items[fposted].b) continue;
            posted++;
            const Value *p = &act->agg.items[fposting];
            int64_t m = posting_months(p->agg.items[fstart].i, p->agg.items[fend].i);
            for (int l = 0; l < nl; l++) {
                if (m == limits[l]) at[l]++;
                if (m == limits[l] + 1) above[l]++;
            }
        }
        arena_free_all(&a);
    }
    gen_free(g);
    for (int l = 0; l < nl; l++) {
        cr_log_info("gencases: posting limit %ld months: %ld postings at it, %ld one month above (of %ld postings)",
                    (long)limits[l], at[l], above[l], posted);
        cr_expect_gt(at[l], 0, "no posting of exactly %ld months", (long)limits[l]);
        cr_expect_gt(above[l], 0, "no posting of %ld months", (long)limits[l] + 1);
    }
    cr_log_info("gencases: %ld cases decided on ph_de's entry into force, %ld on the day before", on_force, day_before);
    cr_expect_gt(on_force, 0);
    cr_expect_gt(day_before, 0);
}

/* every enum field reachable from the case, with the ordinals seen in it */
typedef struct EnumField {
    const IrRecord *rec;
    int field;
    uint64_t seen[4];
} EnumField;
static EnumField efields[64];
static int nefields;

static void find_enum_fields(const IrRecord *r) {
    for (int i = 0; i < r->nfields; i++) {
        const Type *t = r->fields[i].type;
        if (t->kind == TY_LIST) t = t->elem;
        if (t->kind == TY_ENUM && nefields < 64) efields[nefields++] = (EnumField){r, i, {0}};
        if (t->kind == TY_RECORD) find_enum_fields(t->rec);
    }
}

static void note_enums(const Value *v, const IrRecord *r) {
    for (int i = 0; i < r->nfields; i++) {
        const Type *t = r->fields[i].type;
        const Value *f = &v->agg.items[i];
        if (t->kind == TY_ENUM)
            for (int e = 0; e < nefields; e++)
                if (efields[e].rec == r && efields[e].field == i) efields[e].seen[f->i >> 6] |= 1ull << (f->i & 63);
        if (t->kind == TY_RECORD) note_enums(f, t->rec);
        if (t->kind == TY_LIST && t->elem->kind == TY_RECORD)
            for (uint32_t j = 0; j < f->agg.n; j++) note_enums(&f->agg.items[j], t->elem->rec);
    }
}

Test(gencases, every_enum_constant_and_none_in_every_enum_field, .init = setup, .fini = teardown) {
    nefields = 0;
    find_enum_fields(lib.voc->case_rec);
    cr_assert_gt(nefields, 5);
    Generator *g = new_gen(3);
    Arena a = {0};
    for (int i = 0; i < 10000; i++) {
        char id[64];
        Value k = gen_next(g, &a, id, sizeof id);
        note_enums(&k, lib.voc->case_rec);
        arena_free_all(&a);
    }
    gen_free(g);
    for (int e = 0; e < nefields; e++) {
        const IrField *f = &efields[e].rec->fields[efields[e].field];
        const IrEnum *en = f->type->kind == TY_ENUM ? f->type->en : f->type->elem->en;
        for (int o = 0; o <= en->n; o++)
            cr_expect((efields[e].seen[o >> 6] >> (o & 63)) & 1, "%s.%s never is %s", efields[e].rec->name, f->name,
                      o ? en->consts[o - 1] : "none");
    }
}

/* ---- (d) robustness ----------------------------------------------------------------- */

static uint64_t pick_state;
static uint64_t pick(uint64_t n) {
    uint64_t z = (pick_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (z ^ (z >> 31)) % n;
}

typedef struct Reason {
    char text[96];
    long n;
} Reason;

Test(gencases, the_interpreter_decides_generated_cases, .init = setup, .fini = teardown, .timeout = 300) {
    enum { NCASES = 2000 };
    arm_crash_hook();
    pick_state = 11;
    Generator *g = new_gen(4);
    Arena a = {0};
    /* the cases first (as read back from JSON, the way `accord eval` sees them) */
    Arena kept = {0};
    Value *cases = malloc(sizeof *cases * NCASES);
    char **texts = malloc(sizeof *texts * NCASES);
    for (int i = 0; i < NCASES; i++) {
        char id[64];
        Value k = gen_next(g, &a, id, sizeof id);
        texts[i] = case_text(&k, id, false);
        const char *bid;
        CaseError err;
        cr_assert(case_from_line(lib.voc, &kept, texts[i], strlen(texts[i]), &cases[i], &bid, &err));
        arena_free_all(&a);
    }
    gen_free(g);
    long total[5] = {0}, asks = 0, why[4] = {0};
    Reason reasons[24];
    int nreasons = 0;
    long other_reasons = 0;
    const IrEnum *branch = lib.voc->branch;
    for (int ai = 0; ai < nag; ai++) {
        const IrAgreement *ag = ags[ai];
        Interp *in = interp_new(ag);
        int parties[256], np = 0;
        for (int c = 1; c < 256; c++)
            if (set_has(&ag->parties, c)) parties[np++] = c;
        long kinds[5] = {0}, live = 0;
        current.agreement = ag->path;
        for (int i = 0; i < NCASES; i++) {
            current.casejson = texts[i];
            current.what = "interp_in_personal_scope";
            current.q = NULL;
            live += interp_in_personal_scope(in, &cases[i]);
            /* arguments: two parties (both of a bilateral); every branch for a
             * question about a branch, four branches drawn for one about a
             * state and a branch; one constant drawn of any other enum */
            int cs[2], ncs = 0;
            for (int t = 0; t < 2 && t < np; t++) cs[ncs++] = np <= 2 ? parties[t] : parties[pick((uint64_t)np)];
            for (size_t qi = 0; qi < ag->questions.len; qi++) {
                const IrQuestion *q = ag->questions.items[qi];
                int dom[8][256], nd[8];
                cr_assert_leq(q->nparams, 8);
                for (int p = 0; p < q->nparams; p++) {
                    nd[p] = 0;
                    const Type *t = q->ptypes[p];
                    if (t->kind == TY_COUNTRY)
                        for (int c = 0; c < ncs; c++) dom[p][nd[p]++] = cs[c];
                    else
                        for (int e = 1; e <= t->en->n; e++) dom[p][nd[p]++] = e;
                    int keep = t->kind != TY_ENUM ? nd[p] : t->en != branch ? 1 : q->nparams > 1 ? 4 : nd[p];
                    for (int d = 0; d < keep && d < nd[p]; d++) { /* a partial Fisher-Yates draw */
                        int j = d + (int)pick((uint64_t)(nd[p] - d)), x = dom[p][d];
                        dom[p][d] = dom[p][j];
                        dom[p][j] = x;
                    }
                    if (keep < nd[p]) nd[p] = keep;
                }
                int idx[8] = {0};
                for (;;) {
                    Value args[8];
                    bool empty = false;
                    for (int p = 0; p < q->nparams; p++) {
                        if (!nd[p]) empty = true;
                        memset(&args[p], 0, sizeof args[p]);
                        args[p].kind = q->ptypes[p]->kind;
                        args[p].i = nd[p] ? dom[p][idx[p]] : 0;
                    }
                    if (empty) break;
                    current.what = "interp_ask";
                    current.q = q;
                    current.args = args;
                    Outcome o = interp_ask(in, &cases[i], q, args);
                    asks++;
                    bool kind_ok = o.kind >= OUT_DECIDED && o.kind <= OUT_ERROR;
                    bool value_ok = o.kind != OUT_DECIDED || o.value.kind == q->type->kind;
                    if (!kind_ok || !value_ok) {
                        append_bug(kind_ok ? "interp_ask: a decided value of the wrong type" : "interp_ask: outcome kind out of range",
                                   ag->path, texts[i]);
                        cr_expect(kind_ok && value_ok, "%s: %s, case %s", ag->id, q->name, texts[i]);
                    } else {
                        kinds[o.kind]++;
                    }
                    if (o.kind == OUT_NOT_COVERED) {
                        int w = strstr(o.reason, "not in force") ? 0 : strstr(o.reason, "personal scope") ? 1
                              : strstr(o.reason, "category of persons") ? 1 : strstr(o.reason, "material scope") ? 2 : 3;
                        why[w]++;
                    }
                    if (o.kind == OUT_ERROR) {
                        /* the reason without its citation, to group them */
                        char r[96];
                        snprintf(r, sizeof r, "%.24s: %.64s", ag->id, o.reason);
                        char *cut = strstr(r, " (in ");
                        if (cut) *cut = 0;
                        int k = 0;
                        while (k < nreasons && strcmp(reasons[k].text, r)) k++;
                        if (k < nreasons) reasons[k].n++;
                        else if (nreasons < 24) {
                            memcpy(reasons[nreasons].text, r, sizeof r);
                            reasons[nreasons++].n = 1;
                        } else {
                            other_reasons++;
                        }
                    }
                    int p = q->nparams - 1;
                    while (p >= 0 && ++idx[p] == nd[p]) idx[p--] = 0;
                    if (p < 0) break;
                }
            }
        }
        current.casejson = NULL;
        cr_log_info("gencases: %-16s %4ld cases in scope; decided %6ld  conflict %4ld  undetermined %6ld  not covered %6ld  "
                    "error %4ld", ag->id, live, kinds[0], kinds[1], kinds[2], kinds[3], kinds[4]);
        for (int k = 0; k < 5; k++) total[k] += kinds[k];
        interp_free(in);
    }
    cr_log_info("gencases: %d cases x %d agreements, %ld questions asked: decided %ld, conflict %ld, undetermined %ld, "
                "not covered %ld, error %ld", NCASES, nag, asks, total[0], total[1], total[2], total[3], total[4]);
    cr_log_info("gencases: not covered: %ld not in force, %ld outside the personal scope, %ld outside the material "
                "scope, %ld not a party on the date", why[0], why[1], why[2], why[3]);
    for (int k = 0; k < nreasons; k++) cr_log_info("gencases: error %5ld x %s", reasons[k].n, reasons[k].text);
    if (other_reasons) cr_log_info("gencases: error %5ld x (other reasons)", other_reasons);
    cr_expect_gt(total[OUT_DECIDED], 0);
    for (int i = 0; i < NCASES; i++) free(texts[i]);
    free(texts);
    free(cases);
    arena_free_all(&kept);
}

static const char *const answer_outcomes[] = {"decided", "conflict", "undetermined", "not covered", "error", "no agreement"};

/* every "outcome" member below an answers object names one of the six */
static void check_outcomes(json_t *j, long *counts, const char *text) {
    if (!json_is_object(j)) return;
    json_t *o = json_object_get(j, "outcome");
    if (json_is_string(o)) {
        int k = 0;
        while (k < 6 && strcmp(answer_outcomes[k], json_string_value(o))) k++;
        if (k == 6) append_bug("accord eval: an unknown outcome", NULL, text);
        cr_expect_lt(k, 6, "unknown outcome %s", json_string_value(o));
        if (k < 6) counts[k]++;
        return;
    }
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) check_outcomes(v, counts, text);
}

Test(gencases, eval_and_explain_take_generated_cases, .init = setup, .fini = teardown, .timeout = 300) {
    enum { NCASES = 240 };
    arm_crash_hook();
    EvalOptions eo = {0};
    eo.jobs = 1;
    Engine *e = engine_new(&lib, &eo);
    cr_assert(e);
    Generator *g = new_gen(5);
    Arena a = {0};
    long counts[6] = {0}, explained = 0;
    FILE *devnull = fopen("/dev/null", "w");
    for (int i = 0; i < NCASES; i++) {
        char id[64];
        Value k0 = gen_next(g, &a, id, sizeof id);
        char *s = case_text(&k0, id, false);
        Value k;
        const char *bid;
        CaseError err;
        cr_assert(case_from_line(lib.voc, &a, s, strlen(s), &k, &bid, &err));
        current.casejson = s;
        current.agreement = "every shipped agreement";
        current.what = "engine_eval_case";
        current.q = NULL;
        EvalStats st = {0};
        json_t *r = engine_eval_case(e, 0, &k, bid, i + 1, &st);
        cr_assert(r && json_is_object(r));
        if (json_object_get(r, "error")) append_bug("accord eval: an error record for a valid case", NULL, s);
        cr_expect(!json_object_get(r, "error"), "case %s gives an error record", s);
        check_outcomes(json_object_get(r, "answers"), counts, s);
        json_decref(r);
        /* explain, both formats, on one case in four (it is the slow path) */
        if (i % 4 == 0) {
            current.what = "engine_explain (json)";
            char *buf = NULL;
            size_t len = 0;
            FILE *mem = open_memstream(&buf, &len);
            engine_explain(e, &k, bid, true, mem);
            fclose(mem);
            json_error_t je;
            json_t *doc = json_loadb(buf, len, 0, &je);
            if (!doc) append_bug("accord explain --format json: not JSON", NULL, s);
            cr_expect(doc, "explain JSON does not parse: %s (%s)", je.text, s);
            if (doc) {
                const char *schema = json_string_value(json_object_get(doc, "schema"));
                cr_expect(schema && !strcmp(schema, "accord-explain/1"));
                json_decref(doc);
            }
            free(buf);
            current.what = "engine_explain (text)";
            engine_explain(e, &k, bid, false, devnull);
            explained++;
        }
        current.casejson = NULL;
        free(s);
        arena_free_all(&a);
    }
    fclose(devnull);
    cr_log_info("gencases: accord eval of %d cases (%ld explained): decided %ld, conflict %ld, undetermined %ld, "
                "not covered %ld, error %ld, no agreement %ld", NCASES, explained, counts[0], counts[1], counts[2],
                counts[3], counts[4], counts[5]);
    gen_free(g);
    engine_free(e);
}
